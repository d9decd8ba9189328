"""Undo and redo: what a step puts back (:mod:`.changes`) and how steps are recorded (:mod:`.recorder`)."""

from __future__ import annotations

from .recorder import UndoRecorder


def recorder_for(window) -> UndoRecorder:
    """The window's recorder: a cursor drag on either map is one step, recorded when the drag ends."""
    maps = window.explorer.maps.values()
    recorder = UndoRecorder(window.session, lambda: any(panel.cursor.moving for panel in maps), window)
    for panel in maps:
        panel.cursor.sigPositionChangeFinished.connect(lambda item: recorder.drag_finished())
    return recorder


__all__ = ["UndoRecorder", "recorder_for"]
