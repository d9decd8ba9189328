"""What Undo and Redo put back: the parts of the window's state a user changes by hand, as before/after values.

Each :class:`Part` reads its value from the session and sets a value through the
session's public methods; an :class:`Change` holds the parts that changed together
(a click selects a sample and moves both cursors) and sets them in one fixed order,
so that a selection, which moves the cursors, is always set before them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtGui import QUndoCommand

from vae_explorer.core.session import Session
from vae_explorer.core.session.slot import SLOTS


@dataclass(frozen=True)
class Part:
    """One part of the state: ``read(session)`` its value now, ``write(session, value)`` sets it, ``same(a, b)``."""

    name: str
    read: Callable[[Session], Any]
    write: Callable[[Session], Any] | Callable[[Session, Any], Any]
    same: Callable[[Any, Any], bool]
    text: Callable[[Any], str]


def _same_arrays(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))


def _copy(z: np.ndarray | None) -> np.ndarray | None:
    return None if z is None else np.array(z, copy=True)


def _set_cursors(s: Session, cursors: dict[str, np.ndarray | None]) -> None:
    for slot, z in cursors.items():
        if z is not None:
            s.set_cursor_code(slot, z)


def _set_groups(s: Session, groups: dict[str, np.ndarray | None]) -> None:
    for key, indices in groups.items():
        s.attributes.set_selection(key, indices)


def _set_vectors(s: Session, value: tuple[dict, str | None]) -> None:
    vectors, active = value
    state = s.attributes
    for name in [n for n in state.vectors if n not in vectors]:
        state.remove(name)
    for name, vector in vectors.items():
        if state.vectors.get(name) is not vector:
            state.add(vector)
    state.set_active(active)


def _set_morph(s: Session, keys: tuple) -> None:
    start, via, end = keys
    morph = s.morph
    morph.clear_via()
    morph.set_start(start)
    for key in via:
        morph.add_via(key)
    morph.set_end(end)


def _set_shown(s: Session, value: tuple[frozenset, np.ndarray | None]) -> None:
    s.marks.set_hidden(value[0])
    s.marks.set_only(value[1])


# In the order they are set: the selection first (it moves the cursors), the cursors last.
PARTS = (
    Part(
        "selection", lambda s: s.selection, lambda s, v: s.select(v), lambda a, b: a == b, lambda v: "Select a sample"
    ),
    Part(
        "groups",
        lambda s: {k: _copy(v) for k, v in s.attributes.selections.items()},
        _set_groups,
        lambda a, b: all(_same_arrays(a[k], b[k]) for k in a),
        lambda v: "Map selection",
    ),
    Part(
        "vectors",
        lambda s: (dict(s.attributes.vectors), s.attributes.active),
        _set_vectors,
        lambda a, b: a[1] == b[1] and a[0].keys() == b[0].keys() and all(a[0][k] is b[0][k] for k in a[0]),
        lambda v: "Attribute vectors",
    ),
    Part(
        "morph",
        lambda s: (s.morph.start, tuple(s.morph.via), s.morph.end),
        _set_morph,
        lambda a, b: a == b,
        lambda v: "Morph keys",
    ),
    Part(
        "shown",
        lambda s: (s.marks.hidden, _copy(s.marks.only)),
        _set_shown,
        lambda a, b: a[0] == b[0] and _same_arrays(a[1], b[1]),
        lambda v: "Hidden classes",
    ),
    Part(
        "cursors",
        lambda s: {slot: _copy(s.slots[slot].cursor_z) for slot in SLOTS},
        _set_cursors,
        lambda a, b: all(_same_arrays(a[k], b[k]) for k in a),
        lambda v: "Move cursor",
    ),
)
PART = {part.name: part for part in PARTS}


class Change(QUndoCommand):
    """Parts of the state that changed together: ``before`` and ``after`` values by part name.

    Pushed once the change has happened, so its first redo does nothing; ``applied(self)``
    is called after each undo and redo (the recorder reads the state again).
    """

    def __init__(self, session: Session, before: dict, after: dict, applied: Callable[[], None]) -> None:
        super().__init__(", ".join(dict.fromkeys(PART[name].text(after[name]) for name in after)))
        self.session, self.before, self.after, self.applied = session, before, after, applied
        self._done = True

    def _set(self, values: dict) -> None:
        for part in PARTS:
            if part.name in values:
                part.write(self.session, values[part.name])  # type: ignore[call-arg]
        self.applied()

    def redo(self) -> None:
        if self._done:  # pushed after the fact: already done
            self._done = False
            return
        self._set(self.after)

    def undo(self) -> None:
        self._set(self.before)
