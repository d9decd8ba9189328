"""The session's pointers: the selected and hovered sample, each side's cursor, and linking the two maps.

Linked, a cursor dragged in one map takes the other model's cursor to the same place
relative to the data (see :mod:`vae_explorer.core.latent.linking`), and a pan or a zoom
of one map shows the same data in the other.

A member of :class:`~vae_explorer.core.session.Session` (``session.cursors``) that owns
this state and its signals (``selection_changed``, ``hover_changed``, ``cursor_changed``,
``decoded_changed``, ``linked_changed``, ``region_linked``); it places cursors on the
maps of ``session.maps``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vae_explorer.core.data import Dataset, index_of
from vae_explorer.core.errors import DataError
from vae_explorer.core.events import Signal
from vae_explorer.core.latent.cursor import DecodeResult
from vae_explorer.core.latent.linking import MapLink

from .maps import SessionMaps
from .slot import SLOTS, ModelSlot


class SessionCursors:
    """Selection, hover and the two cursors: a code each, and where it sits on its map."""

    def __init__(self, slots: dict[str, ModelSlot], maps: SessionMaps, dataset: Callable[[], Dataset | None]) -> None:
        self.slots, self.maps, self._dataset = slots, maps, dataset
        self.selection: int | None = None
        self.hover: int | None = None
        self.linked = False  # True: a cursor dragged in one map takes the other's to the same place among the data
        self.selection_changed = Signal("selection_changed")
        self.hover_changed = Signal("hover_changed")
        self.cursor_changed = Signal("cursor_changed")
        self.decoded_changed = Signal("decoded_changed")
        self.linked_changed = Signal("linked_changed")
        self.region_linked = Signal("region_linked")
        self._links: dict[str, MapLink] = {}  # per slot: its current map linked to the other side's (see link())
        maps.maps_changed.connect(lambda slot: self._links.clear())  # made again from the new maps when next used

    @property
    def dataset(self) -> Dataset | None:
        return self._dataset()

    def forget(self) -> None:
        """Other data is open: no sample is selected or hovered, and no link holds."""
        self.selection = self.hover = None
        self._links.clear()

    def select(self, index: int | str | None) -> None:
        """Select a sample (an index, or a name in the data's folder) in both maps; both cursors jump to its code."""
        if index is not None and self.dataset is None:
            raise DataError("no data is open")
        if index is not None:
            index = index_of(self.dataset, index)  # type: ignore[arg-type]
        self.selection = index
        self.selection_changed.emit(index)
        if index is None:
            return
        for name, s in self.slots.items():
            if s.codes is not None:
                self.set_cursor_code(name, s.codes.mu[index])

    def set_hover(self, index: int | None) -> None:
        if index != self.hover:
            self.hover = index
            self.hover_changed.emit(index)

    def anchor(self, slot: str) -> np.ndarray | None:
        """The code the PCA inverse keeps the dropped components of: the selected sample's."""
        s = self.slots[slot]
        if self.selection is None or s.codes is None:
            return None
        return s.codes.mu[self.selection]

    def set_linked(self, on: bool) -> None:
        """Link the cursors (a drag in one map moves both) or let each map's cursor move alone."""
        if bool(on) != self.linked:
            self.linked = bool(on)
            self.linked_changed.emit(self.linked)

    def move_cursor(self, slot: str, point: np.ndarray) -> np.ndarray | None:
        """Put ``slot``'s cursor at a map point; its code comes from the map's inverse.

        With the cursors linked, the other model's cursor goes to the same place relative
        to the data in its map (:meth:`carry`), so both decode the same place side by side.
        """
        z = self._place_cursor(slot, point)
        if z is not None and self.linked:
            carried = self.carry(slot, point)
            if carried is not None:
                self._place_cursor(other_slot(slot), carried[0])
        return z

    def link(self, slot: str) -> MapLink | None:
        """The link from ``slot``'s current map to the other side's, or None while either map is missing.

        Made once per pair of maps (see :class:`MapLink`) and kept until a map is replaced.
        """
        source, target = self.maps.projection(slot), self.maps.projection(other_slot(slot))
        if source is None or target is None or len(source.points) != len(target.points):
            return None
        link = self._links.get(slot)
        if link is None or link.source is not source or link.target is not target:
            link = self._links[slot] = MapLink(source, target)
        return link

    def carry(self, slot: str, points: np.ndarray) -> np.ndarray | None:
        """Points ``(m, 2)`` of ``slot``'s map -> the same places relative to the data in the other map ``(m, 2)``.

        The one mapping every linked gesture uses; None while either map is missing.
        """
        link = self.link(slot)
        return None if link is None else link.carry(np.asarray(points, dtype=np.float64).reshape(-1, 2))

    def show_region(self, slot: str, rect: tuple[float, float, float, float] | None) -> None:
        """The user panned or zoomed ``slot``'s map to ``rect = (x, y, width, height)``, or asked to see all (None).

        Linked, the other map is told to show the same data: ``region_linked(other, rect)``
        with the region carried by :meth:`MapLink.carry_region`, or None for all of it.
        """
        if not self.linked:
            return
        if rect is None:
            self.region_linked.emit(other_slot(slot), None)
            return
        link = self.link(slot)
        if link is not None:
            self.region_linked.emit(other_slot(slot), link.carry_region(rect))

    def _place_cursor(self, slot: str, point: np.ndarray) -> np.ndarray | None:
        proj = self.maps.projection(slot)
        if proj is None:
            return None
        s = self.slots[slot]
        s.cursor_point = np.asarray(point, dtype=np.float64).reshape(2)
        s.cursor_z = proj.inverse(s.cursor_point, self.anchor(slot))[0].astype(np.float32)
        self.cursor_changed.emit(slot)
        return s.cursor_z

    def set_cursor_code(self, slot: str, z: np.ndarray) -> None:
        """Set ``slot``'s cursor to a code (a slider, a selection); its map point follows."""
        s = self.slots[slot]
        s.cursor_z = np.asarray(z, dtype=np.float32).reshape(-1).copy()
        proj = self.maps.projection(slot)
        s.cursor_point = None if proj is None else proj.forward(s.cursor_z)[0]
        self.cursor_changed.emit(slot)

    def set_decoded(self, slot: str, result: DecodeResult) -> None:
        self.slots[slot].decoded = result
        self.decoded_changed.emit(slot)


def other_slot(slot: str) -> str:
    """The side beside ``slot``."""
    return SLOTS[1 - SLOTS.index(slot)]
