"""The session's maps: each side's codes, its maps (the right one turned to match the left), the view, replays, draws.

Part of :class:`~vae_explorer.core.session.Session`; the session owns the state and
the signals this part reads and emits (``codes_changed``, ``maps_changed``,
``partial_map``, ``view_changed``, ``replay_changed``, ``draws_changed``).
"""

from __future__ import annotations

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.events import Signal
from vae_explorer.core.latent.codes import Codes
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.pairing import partial_turn, turned_to_left
from vae_explorer.core.latent.projection import VIEWS, NeighbourProjection, Projection
from vae_explorer.core.latent.slot import SLOTS, ModelSlot
from vae_explorer.core.latent.stream import PartialMap, maps_of


class SessionMaps:
    """Codes and maps of both sides, kept aligned, and the view they are shown in."""

    dataset: Dataset | None
    slots: dict[str, ModelSlot]
    view: str
    replays: dict[str, tuple[np.ndarray, np.ndarray | None] | None]
    draws: dict[str, np.ndarray | None]
    codes_changed: Signal
    maps_changed: Signal
    partial_map: Signal
    view_changed: Signal
    replay_changed: Signal
    draws_changed: Signal
    _links: dict

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
        self._realign()

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
        self._realign()

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

    def _realign(self) -> None:
        left, right = (self.slots[n] for n in SLOTS)
        self._links.clear()  # made again from the new maps when next used
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
