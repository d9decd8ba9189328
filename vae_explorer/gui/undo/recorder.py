"""Undo and redo for the window: a QUndoStack fed by what the user changes, one command per gesture.

The recorder listens to the session. A change marks its part of the state; at the next
turn of the event loop the parts that differ from the last state read become one
:class:`~.changes.Change` (a click that selects a sample and moves both cursors is one
step). While a map's cursor is being dragged (or a slider is held) the cursors wait, so
a drag is one step, not one per mouse event. Other data or other models empty the stack: its steps name
samples and vectors of what was on show.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QKeySequence, QUndoStack

from vae_explorer.core.session import Session

from .changes import PART, PARTS, Change

UNDO_LIMIT = 200
HELD_POLL_MS = 50  # while a drag holds the mouse button, whether it is let go is looked at this often


class UndoRecorder(QObject):
    """Records the session's hand-made changes on ``stack`` (its own by default).

    ``dragging()`` says whether a cursor is being dragged (the maps' cursors, read by the window).
    """

    def __init__(self, session: Session, dragging=lambda: False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.dragging = session, dragging
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)
        self.last = self._read()
        self._dirty: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.flush)
        self._held = QTimer(self, singleShot=True, interval=HELD_POLL_MS)  # a drag still on: look again soon
        self._held.timeout.connect(self.flush)
        mark = self._mark
        session.selection_changed.connect(lambda index: mark("selection"))
        session.cursor_changed.connect(lambda slot: mark("cursors"))
        session.attributes.selection_changed.connect(lambda key: mark("groups"))
        session.attributes.vectors_changed.connect(lambda: mark("vectors"))
        session.attributes.active_changed.connect(lambda name: mark("vectors"))
        session.morph.keys_changed.connect(lambda: mark("morph"))
        session.marks.changed.connect(lambda what: what == "hidden" and mark("shown"))
        session.data_changed.connect(self.forget)
        session.model_changed.connect(lambda slot: self.forget())

    def actions(self, parent: QObject):
        """Edit > Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z, or Ctrl+Y), named after the step they undo or redo."""
        undo, redo = self.stack.createUndoAction(parent, "&Undo"), self.stack.createRedoAction(parent, "&Redo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        return undo, redo

    def _read(self) -> dict:
        return {part.name: part.read(self.session) for part in PARTS}

    def _mark(self, name: str) -> None:
        self._dirty.add(name)
        self._timer.start()

    def flush(self) -> None:
        """Make the marked changes one step (the cursors wait for a drag to end)."""
        names = set(self._dirty)
        if self.dragging():
            names.discard("cursors")
            if "cursors" in self._dirty:  # a step once the button is let go (a map's cursor also says when)
                self._held.start()
        self._dirty -= names
        now = {name: part.read(self.session) for part in PARTS if (name := part.name) in names}
        changed = [n for n, value in now.items() if not PART[n].same(self.last[n], value)]
        if not changed:
            return
        before = {n: self.last[n] for n in changed}
        after = {n: now[n] for n in changed}
        self.last.update(after)
        self.stack.push(Change(self.session, before, after, self._applied))

    def drag_finished(self) -> None:
        """A cursor drag ended: its moves become one step."""
        self._timer.start()

    def forget(self) -> None:
        """Other data or models: no step applies to them; start again from the state now."""
        self.stack.clear()
        self._dirty.clear()
        self.last = self._read()

    def _applied(self) -> None:
        """After an undo or a redo: what it set is not a new step."""
        self._dirty.clear()
        self.last = self._read()
