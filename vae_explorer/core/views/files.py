"""Saved views as files: read (checked, and confined to their folder like morph recipes) and written (safe-write).

A view file names models and data; a shared one must not open a model file from
elsewhere on the machine, nor read a folder of images there. Its paths must lie in the
view's folder or below it, unless the user allows more (``--allow-outside``, see
:mod:`vae_explorer.core.morph.reach`); the shipped checkpoints (``shipped:NAME``) and the
built-in data sets are always allowed. A model file still runs only when trusted.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.data import BUILTIN
from vae_explorer.core.errors import DataError
from vae_explorer.core.io.documents import read_document, write_document
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.morph.reach import Reach

from .state import FORMAT, FORMAT_VERSION, SHIPPED, ViewState

KIND = "view"


def shipped_model(name: str, where: str) -> str:
    """The file of the shipped checkpoint ``name`` (a bare file name: no folder may be named)."""
    if not name or Path(name).name != name or name in (".", ".."):
        raise DataError(f"{where}: invalid view: {SHIPPED}{name} names no shipped checkpoint")
    return str(checkpoints_dir() / name)


def load_view(path: str | Path, allow_outside: bool = False) -> ViewState:
    """Read the view at ``path``: every field checked, every path resolved and confined to the view's folder.

    Any fault is one :class:`DataError` naming the file (and the field).
    """
    path = Path(path)
    return view_from_json(read_document(path, FORMAT, FORMAT_VERSION, KIND), path, allow_outside)


def view_from_json(blob: dict, path: Path, allow_outside: bool = False) -> ViewState:
    """A view from its JSON ``blob``, read from ``path`` (its folder: where its relative paths lie)."""
    state = ViewState.from_json(blob, str(path))
    for i, vector in enumerate(state.vectors):
        try:
            parse_groups(vector.groups)
        except DataError as exc:
            raise DataError(f"{path}: invalid view: vectors[{i}].groups: {exc}") from None
    reach = Reach(path, anywhere=allow_outside, kind=KIND, verb="open")

    def model(value: str) -> str:
        return shipped_model(value[len(SHIPPED) :], str(path)) if value.startswith(SHIPPED) else reach.model(value)

    keys = tuple(k if isinstance(k, int) else reach.key(k) for k in state.morph_keys)
    return replace(
        state,
        models={slot: model(value) for slot, value in state.models.items()},
        data=reach.data(state.data) or "",
        data_dir=reach.data_dir(state.data_dir, state.data),
        morph_keys=keys,
    )


def portable(value: str, folder: Path | None) -> str:
    """A path as a view file writes it: ``shipped:NAME`` for a shipped checkpoint, relative inside the view's
    folder (``folder`` None: none), absolute elsewhere."""
    file = Path(value).expanduser().resolve()
    shipped = checkpoints_dir().resolve()
    if file.parent == shipped:
        return SHIPPED + file.name
    if folder is not None and file.is_relative_to(folder):
        return os.path.relpath(file, folder)
    return str(file)


def save_view(path: str | Path, state: ViewState) -> Path:
    """Write ``state`` to ``path`` (atomically, never over anything but a regular file), its paths made portable."""
    return write_document(path, portable_view(state, Path(path).expanduser().resolve().parent).to_json())


def portable_view(state: ViewState, folder: Path | None) -> ViewState:
    """``state`` with its paths as a view file in ``folder`` writes them (see :func:`portable`)."""
    data = state.data if not state.data or state.data.strip().lower() in BUILTIN else portable(state.data, folder)
    return replace(
        state,
        models={slot: portable(p, folder) for slot, p in state.models.items()},
        data=data,
        data_dir=None if state.data_dir is None else portable(state.data_dir, folder),
        morph_keys=tuple(k if isinstance(k, int) else portable(k, folder) for k in state.morph_keys),
    )
