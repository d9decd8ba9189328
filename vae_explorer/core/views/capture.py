"""The view of a session as it is now: what :func:`capture` reads, and what a window adds (zoom, isolation)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vae_explorer.core.data import BUILTIN
from vae_explorer.core.errors import DataError

from .state import Cursor, SavedVector, ViewState

if TYPE_CHECKING:  # the session imports the features; the views read it only
    from vae_explorer.core.session import Session

Rect = tuple[float, float, float, float]


def data_spec(name: str) -> str:
    """The data as a view names it: a built-in name, or a folder's absolute path."""
    return name if name.strip().lower() in BUILTIN else str(Path(name).expanduser().resolve())


def capture(session: Session, zoom: dict[str, Rect | None] | None = None, isolated: bool = False) -> ViewState:
    """The session's state as a :class:`ViewState`; ``zoom``: each map's region (None: all of it), from the window.

    Raises :class:`DataError` when there is nothing a file could name (no data, a side with no model, a model
    with no file).
    """
    if session.dataset is None:
        raise DataError("nothing to save: open models and data first")
    models = {}
    for slot, s in session.slots.items():
        if s.model is None:
            raise DataError(f"nothing to save on the {slot}: a view names a model on each side")
        if s.model.path is None:
            raise DataError(f"the {slot} model ({s.model.name}) was not opened from a file: a view cannot name it")
        models[slot] = str(Path(s.model.path).resolve())
    data = session.dataset
    attributes, morph, marks = session.attributes, session.morph, session.marks
    vectors = tuple(
        SavedVector(v.name, v.groups.to_text()) for v in attributes.vectors.values() if v.groups is not None
    )
    names = {v.name for v in vectors}
    keys = tuple(k.to_json() for k in morph.chain())
    moved = attributes.active in names and attributes.alpha != 0.0  # cursors saved where alpha moves them from
    return ViewState(
        models=models,
        data=data_spec(data.name),
        split=data.split,
        test_fraction=data.test_fraction if data.name.strip().lower() not in BUILTIN else None,
        view=session.view,
        zoom={slot: tuple(float(v) for v in r) for slot, r in (zoom or {}).items() if r is not None},  # type: ignore[misc]
        selected=session.selection,
        groups={k: tuple(int(i) for i in v) for k, v in attributes.selections.items() if v is not None},
        cursors={slot: Cursor(z=tuple(float(v) for v in z)) for slot, z in _cursors(session, moved).items()},
        linked=session.linked,
        vectors=vectors,
        active=attributes.active if attributes.active in names else None,
        alpha=float(attributes.alpha) if attributes.active in names else 0.0,
        morph_keys=keys,
        morph_frames=morph.frames,
        morph_method=morph.method,
        colour_by=marks.colour_by,
        hidden=tuple(sorted(int(k) for k in marks.hidden)),
        isolated=isolated,
    )


def _cursors(session: Session, moved: bool) -> dict:
    """Each cursor's code; with alpha moving them, the code alpha moves from (opening sets alpha again)."""
    out = {}
    for slot, s in session.slots.items():
        z = session.attributes.base(slot) if moved else s.cursor_z
        if z is not None:
            out[slot] = z
    return out
