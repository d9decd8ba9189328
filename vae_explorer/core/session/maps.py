"""The session's maps: each side's codes, its maps (the right one turned to match the left), the view, replays, draws.

A member of :class:`~vae_explorer.core.session.Session` (``session.maps``) that owns
this state and its signals (``codes_changed``, ``maps_changed``, ``partial_map``,
``view_changed``, ``replay_changed``, ``draws_changed``); it shares the two sides
(:class:`ModelSlot`) with the session and reads the open data through ``dataset()``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.events import Signal
from vae_explorer.core.latent.codes import Codes
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import VIEWS, NeighbourProjection, Projection
from vae_explorer.core.latent.stream import PartialMap, maps_of
from vae_explorer.core.session.pairing import partial_turn, turned_to_left
from vae_explorer.core.session.slot import SLOTS, ModelSlot


class SessionMaps:
    """Codes and maps of both sides, kept aligned, and the view they are shown in."""

    def __init__(self, slots: dict[str, ModelSlot], dataset: Callable[[], Dataset | None]) -> None:
        self.slots, self._dataset = slots, dataset
        self.view = "pca"
        self.replays: dict[str, tuple[np.ndarray, np.ndarray | None] | None] = dict.fromkeys(SLOTS)
        self.draws: dict[str, np.ndarray | None] = dict.fromkeys(SLOTS)
        self.codes_changed = Signal("codes_changed")
        self.maps_changed = Signal("maps_changed")
        self.partial_map = Signal("partial_map")
        self.view_changed = Signal("view_changed")
        self.replay_changed = Signal("replay_changed")
        self.draws_changed = Signal("draws_changed")

    @property
    def dataset(self) -> Dataset | None:
        return self._dataset()

    def set_codes(
        self,
        slot: str,
        codes: Codes,
        maps: dict[str, Projection] | None = None,
        nearest: NearestCode | None = None,
    ) -> None:
        """Codes of the data for ``slot`` (from an encoding worker) and their maps (PCA, the plane for 2-D codes).

        ``maps`` and ``nearest``: made by the worker already (see ``stream.encode_for_maps``), else made here.
        """
        s = self.slots[slot]
        if self.dataset is None or len(codes.mu) != len(self.dataset):
            return  # a stale result for data that has since been replaced
        s.codes, s.nearest = codes, nearest or NearestCode(codes.mu)
        s.native = dict(maps) if maps is not None else maps_of(codes)
        for view in s.native:
            s.partial.pop(view, None)
            s.pending.pop(view, None)
        self.codes_changed.emit(slot)
        self.realign()

    def set_tsne(self, slot: str, tsne: np.ndarray | NeighbourProjection) -> None:
        """``slot``'s t-SNE map: its points ``(N, 2)``, or the projection a worker made of them."""
        self.set_neighbour_map(slot, "tsne", tsne)

    def set_neighbour_map(self, slot: str, view: str, made: np.ndarray | NeighbourProjection) -> None:
        """``slot``'s map of ``view`` (t-SNE, UMAP) made on a worker: its points ``(N, 2)``, or their projection."""
        s = self.slots[slot]
        if s.codes is None or len(made.points if isinstance(made, Projection) else made) != len(s.codes.mu):
            return
        proj = (
            made
            if isinstance(made, Projection)
            else NeighbourProjection(s.codes.mu, made, nearest=s.nearest, name=view)
        )
        s.native[view] = proj
        s.partial.pop(view, None)
        s.pending.pop(view, None)
        self.realign()

    def show_partial(self, slot: str, view: str, partial: PartialMap) -> None:
        """A map still being made (codes arriving, t-SNE converging), for ``view`` to draw meanwhile.

        The right side's PCA map is turned to match the left's first points; until those
        exist it waits, so that it never turns under the user's eyes.
        """
        s = self.slots[slot]
        if self.dataset is None or partial.total != len(self.dataset) or view in s.native:
            return  # a stale result, or the finished map is in already
        s.pending[view] = partial
        self._show_pending(slot, view)
        right = self.slots[SLOTS[1]]
        if slot == SLOTS[0] and view == "pca" and "pca" in right.pending and "pca" not in right.partial:
            self._show_pending(SLOTS[1], view)

    def _show_pending(self, slot: str, view: str) -> None:
        s = self.slots[slot]
        partial = s.pending[view]
        if slot == SLOTS[1] and view == "pca":
            if s.partial_turn is None:
                s.partial_turn = partial_turn(partial, self.slots[SLOTS[0]])
                if s.partial_turn is None:
                    return  # shown once the left side's first points are in
            partial = partial.turned(s.partial_turn)
        s.partial[view] = partial
        self.partial_map.emit(slot)

    def partial(self, slot: str, view: str | None = None) -> PartialMap | None:
        """``slot``'s map of ``view`` (default: the current one) while it is being made, else ``None``."""
        return self.slots[slot].partial.get(view or self.view)

    def realign(self) -> None:
        """Make both sides' maps again from their native ones, the right turned to match the left."""
        left, right = (self.slots[n] for n in SLOTS)
        left.maps = dict(left.native)
        right.maps = {view: turned_to_left(proj, view, left) for view, proj in right.native.items()}
        self._project_cursors()
        for name in SLOTS:
            self.maps_changed.emit(name)

    def _project_cursors(self) -> None:
        """Put each cursor's point where its code falls in the current map."""
        for name in SLOTS:
            s, proj = self.slots[name], self.projection(name)
            if s.cursor_z is not None and proj is not None:
                s.cursor_point = proj.forward(s.cursor_z)[0]

    def projection(self, slot: str, view: str | None = None) -> Projection | None:
        return self.slots[slot].maps.get(view or self.view)

    def available_views(self) -> list[str]:
        """Views every loaded model can show: PCA, t-SNE and UMAP always, the plane for 2-D latents."""
        dims = [s.latent_dim for s in self.slots.values() if s.loaded]
        return [v for v in VIEWS if v != "latent" or (dims and all(d == 2 for d in dims))]

    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        if view != self.view:
            self.view = view
            self._project_cursors()
            self.view_changed.emit(view)

    def show_replay(self, slot: str, codes: np.ndarray | None, labels: np.ndarray | None = None) -> None:
        """Draw ``codes (n, d)`` over ``slot``'s map instead of the data (a training epoch's codes); None: stop."""
        if codes is not None or self.replays[slot] is not None:
            self.replays[slot] = None if codes is None else (np.asarray(codes, dtype=np.float32), labels)
            self.replay_changed.emit(slot)

    def show_draws(self, slot: str, codes: np.ndarray | None) -> None:
        """Mark ``codes (n, d)`` on ``slot``'s map over its data (draws from the selected sample's q(z|x)); or None."""
        if codes is not None or self.draws[slot] is not None:
            self.draws[slot] = None if codes is None else np.asarray(codes, dtype=np.float32)
            self.draws_changed.emit(slot)
