"""The Morph dock: keys A -> B, the timeline of both models' frames, playback, and exports.

A thin view of ``session.morph``: the keys and settings are written there, the
frames arrive there from the session's work (:mod:`vae_explorer.core.session.work`),
and the frame on show is kept there so the maps' markers follow it. Playback lives
in :mod:`.player`, the exports in :mod:`.exports`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.limits import FRAMES
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.morph.exports import MorphExports
from vae_explorer.gui.morph.keys import KeyPicker, ViaPicker
from vae_explorer.gui.morph.player import DEFAULT_FPS, MorphPlayer
from vae_explorer.gui.morph.strips import DistancePlot, StripView
from vae_explorer.gui.morph.writer import MorphWriter
from vae_explorer.gui.tasks import TaskRunner
from vae_explorer.gui.widgets.images import ImageView
from vae_explorer.gui.widgets.labels import steady_label
from vae_explorer.gui.widgets.palette import ERROR, SLOT_COLORS
from vae_explorer.gui.widgets.text import markup, tooltip


class MorphPanel(QWidget):
    """Pick A and B, watch the AE's and the VAE's frames side by side, play, scrub, export."""

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.writer = MorphWriter(session, runner)
        self.player = MorphPlayer(session.morph, self)
        self.play_button, self.loop, self.pingpong = self.player.play_button, self.player.loop, self.player.pingpong
        self.speed = self.player.speed
        self._build()
        morph = session.morph
        morph.frames_changed.connect(self._on_frames_changed)
        morph.frame_changed.connect(self._on_frame_changed)
        morph.keys_changed.connect(self._on_request_changed)
        morph.settings_changed.connect(self._on_request_changed)
        session.model_changed.connect(lambda slot: self._update_titles())
        morph.decode_started.connect(lambda: self.status.setText("decoding…"))
        morph.decode_failed.connect(self._on_failed)
        self._update_titles()
        self._on_frames_changed()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addLayout(self._build_keys())
        layout.addLayout(self._build_controls())
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addLayout(self._build_rows(), 1)
        self.plot = DistancePlot()
        self.plot.sigFrameDragged.connect(self.session.morph.set_frame)
        layout.addWidget(self.plot)
        self._add_shortcuts()

    def _build_keys(self) -> QHBoxLayout:
        """A -> B, a button to swap them, and the keys on the way."""
        self.key_a, self.key_b = KeyPicker(self.session, "A"), KeyPicker(self.session, "B")
        self.via = ViaPicker(self.session)
        self.swap = QToolButton(text="⇄")
        self.swap.setToolTip("Swap A and B")
        self.swap.clicked.connect(self.session.morph.swap)
        keys = QHBoxLayout()
        for w in (self.key_a, QLabel("→"), self.key_b, self.swap, self.via):
            keys.addWidget(w)
        keys.addStretch(1)
        return keys

    def _build_controls(self) -> QHBoxLayout:
        """Frames and method, playback, the scrubber, and the exports."""
        morph = self.session.morph
        self.frames = QSpinBox(minimum=int(FRAMES.low), maximum=int(FRAMES.high), value=morph.frames)
        self.frames.setSuffix(" frames")
        self.frames.setKeyboardTracking(False)
        self.frames.setToolTip(f"Frames from A to B, both included ({FRAMES.low:g} to {FRAMES.high:g})")
        self.frames.valueChanged.connect(self._on_frames_spin)
        self.method = QComboBox()
        self.method.addItem("linear (lerp)", "lerp")
        self.method.addItem("spherical (slerp)", "slerp")
        self.method.setToolTip("slerp keeps the codes' norm between A and B; lerp cuts straight through")
        self.method.currentIndexChanged.connect(lambda i: morph.set_method(self.method.itemData(i)))
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setToolTip("Scrub through the frames (←/→ a frame, Home/End the ends)")
        self.scrubber.valueChanged.connect(morph.set_frame)
        self.frame_label = steady_label("240 / 240")
        self.exports = MorphExports(self, self.writer, self._titles, self.player.settings, DEFAULT_FPS)
        self.gif_button, self.strip_button = self.exports.gif_button, self.exports.strip_button
        self.recipe_button = self.exports.recipe_button
        controls = QHBoxLayout()
        for w in (self.frames, self.method, self.play_button, self.loop, self.pingpong, self.speed):
            controls.addWidget(w)
        controls.addWidget(self.scrubber, 1)
        for w in (self.frame_label, self.gif_button, self.strip_button, self.recipe_button):
            controls.addWidget(w)
        return controls

    def _build_rows(self) -> QGridLayout:
        """A row per model: its name, the frame on show, and the strip of all its frames."""
        self.titles = {slot: QLabel() for slot in SLOTS}
        self.current = {slot: ImageView("", min_side=56) for slot in SLOTS}
        self.strips = {slot: StripView() for slot in SLOTS}
        grid = QGridLayout()
        grid.setSpacing(3)
        for row, slot in enumerate(SLOTS):
            self.titles[slot].setMinimumWidth(70)
            grid.addWidget(self.titles[slot], row, 0)
            grid.addWidget(self.current[slot], row, 1)
            grid.addWidget(self.strips[slot], row, 2)
            self.strips[slot].sigFrameClicked.connect(self.session.morph.set_frame)
        grid.setColumnStretch(2, 1)
        return grid

    def _add_shortcuts(self) -> None:
        morph = self.session.morph
        local = Qt.ShortcutContext.WidgetWithChildrenShortcut
        window = Qt.ShortcutContext.WindowShortcut
        for key, text, handler, context in (
            ("Space", "Play or pause", self.play_button.toggle, local),
            ("Left", "Previous frame", lambda: self.step(-1), local),
            ("Right", "Next frame", lambda: self.step(1), local),
            ("Home", "First frame", lambda: morph.set_frame(0), local),
            ("End", "Last frame", lambda: morph.set_frame(morph.frames - 1), local),
            ("L", "Loop on or off", self.loop.toggle, local),
            ("P", "Ping-pong on or off", self.pingpong.toggle, local),
            ("Alt+A", "Selected sample as A", self.key_a.use_selection, window),
            ("Alt+B", "Selected sample as B", self.key_b.use_selection, window),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(context)
            action.triggered.connect(handler)
            self.addAction(action)

    # -- session events ---------------------------------------------------------------------------
    def short_title(self, slot: str) -> str:
        """``AE``, ``VAE``, ``beta-VAE 4`` or a model file's name: what the rows, the plot and the GIF call a model."""
        model = self.session.slots[slot].model
        return model.short_name if model is not None else "(no model)"

    def _update_titles(self) -> None:
        for slot in SLOTS:
            self.titles[slot].setText(f"<b style='color:{SLOT_COLORS[slot]}'>{markup(self.short_title(slot))}</b>")
            self.titles[slot].setToolTip(tooltip(self.session.slots[slot].title))

    def _on_request_changed(self) -> None:
        morph = self.session.morph
        self.frames.blockSignals(True)
        self.frames.setValue(morph.frames)
        self.frames.blockSignals(False)
        self.method.blockSignals(True)
        self.method.setCurrentIndex(self.method.findData(morph.method))
        self.method.blockSignals(False)
        if not morph.ready:
            self.status.setText("Choose A and B: right-click a point in a map, or use the buttons above.")

    def _on_failed(self, message: str) -> None:
        self.status.setText(f"<span style='color:{ERROR}'>{markup(message)}</span>")

    def _on_frames_changed(self) -> None:
        morph = self.session.morph
        results = morph.results
        for slot in SLOTS:
            r = results.get(slot)
            self.strips[slot].set_frames(None if r is None else r.images)
            if r is None:
                self.current[slot].set_image(None)
        self.plot.set_results(results, {slot: self.short_title(slot) for slot in results})
        has = bool(results)
        for w in (self.play_button, self.scrubber, self.gif_button, self.strip_button):
            w.setEnabled(has)
        self.recipe_button.setEnabled(morph.ready)
        if not has:
            if not morph.ready:
                self.pause()
            self.frame_label.setText("")
            self._on_request_changed()
            return
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, morph.frames - 1)
        self.scrubber.blockSignals(False)
        self.status.setText(self._summary())
        self._on_frame_changed(morph.frame)

    def _summary(self) -> str:
        morph = self.session.morph
        method = "spherical (slerp)" if morph.method == "slerp" else "linear (lerp)"
        far = [
            f"{self.short_title(slot)} {r.distances.max() / r.spacing:.1f}x"
            for slot, r in morph.results.items()
            if r.distances is not None and r.spacing
        ]
        text = f"{morph.frames} frames, {method}"
        if far:
            text += f"; farthest frame from the data: {', '.join(far)} the data codes' typical spacing"
        return text

    def _on_frame_changed(self, index: int) -> None:
        morph = self.session.morph
        for slot, r in morph.results.items():
            if 0 <= index < len(r.images):
                self.current[slot].set_image(r.images[index])
                self.strips[slot].set_current(index)
        self.scrubber.blockSignals(True)
        self.scrubber.setValue(index)
        self.scrubber.blockSignals(False)
        self.plot.set_current(index)
        self.frame_label.setText(f"{index + 1} / {morph.frames}")

    def show_distances(self, shown: bool) -> None:
        """Show the plot of each frame's distance to the data under the strips, or leave the strips its room."""
        self.plot.setVisible(shown)

    # -- playback ----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.player.playing

    def pause(self) -> None:
        self.player.pause()

    def step(self, delta: int) -> None:
        """Pause and show the frame ``delta`` frames on (or back)."""
        self.player.step(delta)

    def _on_frames_spin(self, value: int) -> None:
        self.session.morph.set_frames(value)

    # -- exports -------------------------------------------------------------------------------------
    def _titles(self) -> dict[str, str]:
        """The short title of each model with frames."""
        return {slot: self.short_title(slot) for slot in self.session.morph.results}
