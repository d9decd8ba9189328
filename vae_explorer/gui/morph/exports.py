"""The Morph dock's exports: an animated GIF, a PNG strip of every frame, and the recipe that replays them.

Each asks for a file name (the GIF first for its options), then the morph writer
writes it off the GUI thread through the same pipeline as ``vae-explorer morph``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from vae_explorer.core.limits import FPS
from vae_explorer.core.morph.pipeline import GifOptions

from .gif_dialog import GifOptionsDialog
from .writer import MorphWriter

# playback() -> (frames a second, loop, ping-pong): how the dock plays now, the GIF's starting options
Playback = Callable[[], tuple[float, bool, bool]]


def _gif_fps(fps: float) -> float:
    """The speed the dock plays at, as near as a GIF can store it (the dock plays up to 60 frames a second)."""
    return min(max(fps, FPS.low), FPS.high)  # type: ignore[type-var]


class MorphExports:
    """The three export buttons of the Morph dock (``parent``) and what they ask and write.

    ``titles()`` names each model with frames (``{slot: title}``); the GIF's options
    are remembered from one export to the next, and the strip and recipe use them too.
    """

    def __init__(
        self,
        parent: QWidget,
        writer: MorphWriter,
        titles: Callable[[], dict[str, str]],
        playback: Playback,
        fps: float,
    ) -> None:
        self.parent, self.writer, self.titles, self.playback = parent, writer, titles, playback
        self.gif_options = GifOptions(fps=_gif_fps(fps))
        self.gif_button = QPushButton("GIF…")
        self.gif_button.setToolTip("Export an animated GIF")
        self.gif_button.clicked.connect(self.export_gif_dialog)
        self.strip_button = QPushButton("PNG strip…")
        self.strip_button.setToolTip("Export every frame of each model in a row")
        self.strip_button.clicked.connect(self.export_strip_dialog)
        self.recipe_button = QPushButton("Recipe…")
        self.recipe_button.setToolTip("Save a JSON recipe that `vae-explorer morph --recipe` replays to these frames")
        self.recipe_button.clicked.connect(self.save_recipe_dialog)

    def _ask_path(self, title: str, name: str, pattern: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, name, pattern)
        return path

    def export_gif_dialog(self) -> None:
        """Ask the GIF's options (starting from how the dock plays) and a file name, then write it."""
        fps, loop, pingpong = self.playback()
        self.gif_options = dataclasses.replace(self.gif_options, fps=_gif_fps(fps), loop=loop, pingpong=pingpong)
        dialog = GifOptionsDialog(self.gif_options, self.titles(), self.parent)
        if not dialog.exec():
            return
        self.gif_options = dialog.options()
        path = self._ask_path("Export the morph as a GIF", "morph.gif", "GIF images (*.gif)")
        if path:
            self.writer.export_gif(path, self.gif_options)

    def export_strip_dialog(self) -> None:
        """Ask a file name and write every frame of each model in a row."""
        path = self._ask_path("Export the frames as a PNG strip", "morph-strip.png", "PNG images (*.png)")
        if path:
            self.writer.export_strip(path, self.gif_options)

    def save_recipe_dialog(self) -> None:
        """Ask a file name and save the JSON recipe of these frames."""
        path = self._ask_path("Save the morph's recipe", "morph.json", "Morph recipes (*.json)")
        if path:
            self.writer.save_recipe(path, self.gif_options)
