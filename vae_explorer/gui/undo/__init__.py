"""Undo and redo: what a step puts back (:mod:`.changes`) and how steps are recorded (:mod:`.recorder`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .recorder import UndoRecorder


def recorder_for(window) -> UndoRecorder:
    """The window's recorder: a drag (a map's cursor, a slider held down) is one step, recorded when it ends."""
    maps = window.explorer.maps.values()

    def dragging() -> bool:
        held = QApplication.mouseButtons() & Qt.MouseButton.LeftButton
        return bool(held) or any(panel.cursor.moving for panel in maps)

    recorder = UndoRecorder(window.session, dragging, window)
    for panel in maps:
        panel.cursor.sigPositionChangeFinished.connect(lambda item: recorder.drag_finished())
    return recorder


__all__ = ["UndoRecorder", "recorder_for"]
