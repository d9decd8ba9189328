"""The Morph dock's playback: play and pause, loop, ping-pong and speed, stepping through ``session.morph``.

Playing moves the session's frame on a timer (:func:`~vae_explorer.core.morph.playback.next_frame`
says which comes next), so the dock, the strips and the maps' markers follow it like a scrub.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QPushButton, QSpinBox

from vae_explorer.core.morph.playback import next_frame
from vae_explorer.core.morph.state import MorphState

DEFAULT_FPS = 12


class MorphPlayer(QObject):
    """The play button, the loop and ping-pong boxes and the speed, and the timer they drive."""

    def __init__(self, morph: MorphState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.morph = morph
        self.direction = 1  # ping-pong playback: +1 forward, -1 back
        self.timer = QTimer(self, timeout=self._tick)
        self.play_button = QPushButton("▶ Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.toggled.connect(self._on_play_toggled)
        self.loop = QCheckBox("loop", checked=True)
        self.loop.setToolTip("Start again at the end (L)")
        self.pingpong = QCheckBox("ping-pong")
        self.pingpong.setToolTip("Play forward, then back (P)")
        self.speed = QSpinBox(minimum=1, maximum=60, value=DEFAULT_FPS)
        self.speed.setSuffix(" fps")
        self.speed.setToolTip("Playback speed, frames a second")
        self.speed.valueChanged.connect(self._apply_speed)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def settings(self) -> tuple[float, bool, bool]:
        """How it plays now: frames a second, loop, ping-pong."""
        return float(self.speed.value()), self.loop.isChecked(), self.pingpong.isChecked()

    def _apply_speed(self) -> None:
        self.timer.setInterval(round(1000 / self.speed.value()))

    def _on_play_toggled(self, on: bool) -> None:
        morph = self.morph
        if on and morph.ready:
            if not self.loop.isChecked() and morph.frame == morph.frames - 1 and self.direction > 0:
                morph.set_frame(0)  # play again from the start
            self._apply_speed()
            self.timer.start()
            self.play_button.setText("⏸ Pause")
        else:
            self.timer.stop()
            self.play_button.setText("▶ Play")
            if on:
                self.play_button.setChecked(False)

    def pause(self) -> None:
        self.play_button.setChecked(False)

    def step(self, delta: int) -> None:
        """Pause and show the frame ``delta`` frames on (or back)."""
        self.pause()
        self.morph.set_frame(self.morph.frame + delta)

    def _tick(self) -> None:
        morph = self.morph
        if not morph.results:
            return  # new frames are on their way: playback goes on when they arrive
        loop, pingpong = self.loop.isChecked(), self.pingpong.isChecked()
        frame, self.direction = next_frame(morph.frame, morph.frames, self.direction, loop, pingpong)
        if frame is None:
            self.pause()
        else:
            morph.set_frame(frame)
