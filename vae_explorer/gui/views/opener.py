"""Opening a saved view in the window: its models and data on workers, then the rest through the session.

The models and data open through the window's :class:`~vae_explorer.gui.shell.opener.Opener`
(a model file still asks for trust), and the view is checked against them on the
worker, before anything on show changes (:func:`~vae_explorer.core.views.fit.check_fits`).
Once both models have encoded the data and mapped it in the view's map, the view,
selection, groups, marks, cursors, morph keys and zoom are set, and the attribute
vectors are made again on a worker, then applied with their alpha.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, Signal

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.state import SELECTION_KEYS
from vae_explorer.core.errors import DataError, VaeExplorerError
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.session import Session
from vae_explorer.core.session.slot import SLOTS
from vae_explorer.core.views import ViewState, load_view
from vae_explorer.core.views.fit import check_fits

from ..tasks import TaskRunner

VECTOR_TASK = "view-vectors"


class ViewWindow(Protocol):
    """What the view opener uses of the main window."""

    session: Session
    runner: TaskRunner
    explorer: object

    def open_pair(self, left: str, right: str, data: str = "", *args, **kwargs) -> None: ...


class ViewOpener(QObject):
    """Opens saved views in one window. ``pending``: a view whose models are opening or encoding.

    Signals: ``sigApplied(where)`` once a view's state is set (its vectors may still be in the making).
    """

    sigApplied = Signal(str)

    def __init__(self, window: ViewWindow) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the window is a QObject
        self.window, self.session = window, window.session
        self.pending: tuple[ViewState, str] | None = None
        self.session.maps_changed.connect(lambda slot: self._maybe_finish())
        window.runner.sigFailed.connect(lambda message: self._give_up())

    def open_file(self, path: str | Path, allow_outside: bool = False) -> bool:
        """Open the view saved at ``path``; False (and the window says why, naming the file) when it cannot."""
        try:
            state = load_view(path, allow_outside)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        return self.open_state(state, str(path))

    def open_state(self, state: ViewState, where: str) -> bool:
        """Show ``state`` (read from ``where``, named in messages); its models and data open unless on show."""
        if set(state.models) != set(SLOTS):
            self.session.report(f"{where}: invalid view: models names {len(state.models)} of the 2 models it opens")
            return False
        self.window.runner.cancel(VECTOR_TASK)
        if self._on_show(state):
            try:
                self._check(state, where, self.session.dataset, [s.model for s in self.session.slots.values()])
            except VaeExplorerError as exc:
                self.session.report(str(exc))
                return False
            self.pending = (state, where)
            self._maybe_finish()
            return True
        self.pending = (state, where)
        self.window.open_pair(
            state.models[SLOTS[0]],
            state.models[SLOTS[1]],
            state.data,
            state.split,
            state.data_dir,
            test_fraction=state.test_fraction,
            image_size=state.image_size,
            check=lambda a, b, data: self._check(state, where, data, [a, b]),
        )
        return True

    @staticmethod
    def _check(state: ViewState, where: str, data, models) -> None:
        table = data.attributes
        columns = list(table.names) if table is not None else []
        check_fits(state, where, data, {slot: m.latent_dim for slot, m in zip(SLOTS, models, strict=True)}, columns)

    def _on_show(self, state: ViewState) -> bool:
        """Whether the view's models and data are the ones on show."""
        s = self.session
        if s.dataset is None or s.dataset.split != state.split:
            return False
        if state.data and Path(state.data).name != Path(s.dataset.name).name:
            return False
        for slot in SLOTS:
            model = s.slots[slot].model
            if model is None or model.path is None or Path(model.path).resolve() != Path(state.models[slot]).resolve():
                return False
        return True

    def _give_up(self) -> None:
        self.pending = None  # the opening failed; the window shows why

    def _maybe_finish(self) -> None:
        if self.pending is None:
            return
        state, where = self.pending
        s = self.session
        if not self._on_show(state) or any(s.slots[slot].codes is None for slot in SLOTS):
            return
        if s.view != state.view:
            s.set_view(state.view)  # a t-SNE map is made now, if it is not there
        if any(s.projection(slot) is None for slot in SLOTS):
            return
        self.pending = None
        try:
            self._apply(state)
        except VaeExplorerError as exc:
            self.session.report(f"{where}: {exc}")
            return
        self.sigApplied.emit(where)

    def _apply(self, state: ViewState) -> None:
        """Set everything but the vectors, through the session and the maps' public methods."""
        s, explorer = self.session, self.window.explorer
        s.set_linked(False)  # each map's zoom is set on its own, then linked as saved
        s.select(state.selected)
        for key in SELECTION_KEYS:
            indices = state.groups.get(key)
            s.attributes.set_selection(key, None if indices is None else np.array(indices, dtype=np.int64))
        s.marks.set_colour_by(state.colour_by)
        s.marks.set_hidden(state.hidden)
        s.marks.set_only(np.array(state.groups["S"]) if state.isolated and "S" in state.groups else None)
        for slot in SLOTS:
            cursor = state.cursors.get(slot)
            if cursor is not None and cursor.z is not None:
                s.set_cursor_code(slot, np.array(cursor.z, dtype=np.float32))
        self._apply_morph(state)
        maps = explorer.maps  # type: ignore[attr-defined]
        for slot in SLOTS:
            if slot not in state.zoom:
                maps[slot].view_all()
        for slot, rect in state.zoom.items():
            maps[slot].show_region(rect)
        s.set_linked(state.linked)
        for slot in SLOTS:  # a point on the map: placed by the map's inverse, linked as saved
            cursor = state.cursors.get(slot)
            if cursor is not None and cursor.point is not None:
                s.move_cursor(slot, np.array(cursor.point, dtype=np.float64))
        if state.vectors:
            self._make_vectors(state)

    def _apply_morph(self, state: ViewState) -> None:
        morph = self.session.morph
        if state.morph_frames is not None:
            morph.set_frames(state.morph_frames)
        morph.set_method(state.morph_method)
        if not state.morph_keys:
            return
        keys = [MorphKey(k) if isinstance(k, int) else MorphKey(path=k) for k in state.morph_keys]
        morph.clear_via()
        morph.set_start(keys[0])
        for key in keys[1:-1]:
            morph.add_via(key)
        morph.set_end(keys[-1])

    def _make_vectors(self, state: ViewState) -> None:
        """Make the view's vectors on a worker; add them, make the saved one active and move alpha as saved."""
        attributes = self.session.attributes

        def keep(vectors) -> None:
            for vector in vectors:
                attributes.add(vector)
            attributes.set_active(state.active)
            if state.active is not None:
                attributes.set_alpha(state.alpha)

        try:
            wanted = [(v.name, parse_groups(v.groups)) for v in state.vectors]
            self.window.work.features.define_vectors(wanted, keep, VECTOR_TASK, "Making the view's attribute vectors")
        except VaeExplorerError as exc:
            raise DataError(f"vectors: {exc}") from None
