"""What part of one map is on show: all of it, until the user pans or zooms; View all; the linked map's region.

With Link cursors on, a pan or a zoom by hand is told to the session, which tells the
other map the region of its own data to show (see ``Session.show_region``); a region
set that way is not a change by hand, so it is never told back.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF

from vae_explorer.core.session import Session

PADDING = 0.05  # the margin View all leaves around the points, a share of their extent


class MapRange:
    """The view of ``slot``'s map in ``view_box``, fitted to ``points_item``."""

    def __init__(self, session: Session, slot: str, view_box: pg.ViewBox, points_item: pg.GraphicsObject) -> None:
        self.session, self.slot, self.vb, self.points_item = session, slot, view_box, points_item
        self.follow = True  # the view fits the points as they change, until the user pans or zooms
        view_box.sigRangeChangedManually.connect(self._on_changed_by_hand)
        session.region_linked.connect(self._on_region_linked)

    def fit(self) -> None:
        """Show all the points (when the view follows them)."""
        if self.follow:
            self.vb.autoRange(items=[self.points_item], padding=PADDING)

    def view_all(self) -> None:
        """Show all the points again and follow them (Home, the map's menu); linked, the other map does too."""
        self.follow = True
        self.fit()
        self.session.show_region(self.slot, None)

    def show_region(self, rect: tuple[float, float, float, float]) -> None:
        """Show ``(x, y, width, height)`` and stop following the points; linked, the other map shows the same data."""
        self.follow = False
        self.vb.setRange(QRectF(*rect), padding=0.0)
        self.session.show_region(self.slot, self.region())

    def region(self) -> tuple[float, float, float, float]:
        """The region on show, ``(x, y, width, height)`` in map coordinates."""
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return (x0, y0, x1 - x0, y1 - y0)

    def _on_changed_by_hand(self, *args) -> None:
        self.follow = False
        self.session.show_region(self.slot, self.region())

    def _on_region_linked(self, slot: str, rect: tuple[float, float, float, float] | None) -> None:
        """The other map was panned or zoomed (or fitted): show the same data here."""
        if slot != self.slot:
            return
        if rect is None:
            self.follow = True
            self.fit()
        else:
            self.follow = False
            self.vb.setRange(QRectF(*rect), padding=0.0)
