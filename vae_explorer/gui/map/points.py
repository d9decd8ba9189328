"""What a map shows of its data: the finished map or the part of it made so far, as one :class:`PointCloud`.

Kept apart from the panel: how points are coloured (as the session's marks say) and drawn, where a data row is
drawn and which row lies under the mouse, whether the map is finished or partial.
Nothing here holds a Python object per point.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from vae_explorer.core.latent.marks import MapMarks
from vae_explorer.core.latent.projection import Projection
from vae_explorer.core.latent.stream import PartialMap, encoding_order

from .marks import fades, point_colors
from .raster import PointCloud, Submit


@lru_cache(maxsize=4)
def drawing_order(n: int) -> np.ndarray:
    """The order ``n`` points are drawn in: shuffled, so that no class always lies on top of another."""
    return encoding_order(n)


class MapPoints:
    """The points of one map on show: a finished map (a projection) or a partial one, coloured as the marks say."""

    def __init__(self, submit: Submit | None = None) -> None:
        self.cloud = PointCloud(submit)
        self.shown: Projection | PartialMap | None = None
        self.final: np.ndarray | None = None  # the finished map's points ``(N, 2)`` by data row; None while partial
        self._rows = np.zeros(0, np.int64)  # the data row of each point drawn, in drawing order
        self._colors: tuple[tuple, np.ndarray, np.ndarray] | None = None  # (marks' state, index by data row, table)
        self.faded = False  # the points a search did not find are drawn faded

    def row_colors(self, marks: MapMarks, total: int) -> tuple[np.ndarray, np.ndarray]:
        """Each data row's colour -> ``(index (total,), table (k, 4) uint8 RGBA)``; hidden rows are not drawn.

        Worked out once per state of the marks and picked from then on (a partial map is drawn many times).
        """
        found = fades(marks) and id(marks.highlight)  # a large search fades the rest: its results matter
        key = (id(marks.dataset), id(marks.table), marks.colour_by, marks.hidden, id(marks.only), found, total)
        if self._colors is None or self._colors[0] != key:
            self._colors = (key, *point_colors(marks, total))
        return self._colors[1], self._colors[2]

    def draw(self, shown: Projection | PartialMap, marks: MapMarks) -> int:
        """Draw a finished map or a partial one (points of its ``indices``) -> how many points."""
        before = self.shown
        if isinstance(shown, PartialMap):
            xy, self._rows, self.final = shown.points, shown.indices, None
        else:
            self._rows = drawing_order(len(shown.points))
            xy, self.final = shown.points[self._rows], shown.points
        self.shown = shown
        self._set(xy, marks, extends=_grew(before, shown))
        return len(xy)

    def recolour(self, marks: MapMarks) -> None:
        """Draw the same points in the marks' colours now (another colouring, classes hidden or shown, a search)."""
        if self.shown is not None:
            partial = isinstance(self.shown, PartialMap)
            self._set(self.shown.points if partial else self.shown.points[self._rows], marks)

    def _set(self, xy: np.ndarray, marks: MapMarks, extends: bool = False) -> None:
        """Draw ``xy``, the points of ``_rows``; faded points first, so that the ones a search found lie on top.

        ``extends``: the points drawn last come first in ``xy``, more after them (a map being made grew).
        """
        total = self.shown.total if isinstance(self.shown, PartialMap) else len(self.shown.points)
        state, was_faded = self._colors, self.faded
        index, lut = self.row_colors(marks, total)
        colors = index[self._rows]
        self.faded = fades(marks)
        if self.faded:
            order = np.argsort(colors < len(lut) // 2, kind="stable")  # the faded copy's rows first
            xy, colors = xy[order], colors[order]
        # Reordered for a search, the points drawn last are no longer the first ones: all are drawn again.
        grew = extends and self._colors is state and not (self.faded or was_faded)
        self.cloud.set_points(xy, colors, lut, extends=grew)

    def drawn_colours(self, marks: MapMarks) -> tuple[np.ndarray, np.ndarray]:
        """The points on show in drawing order ``(n, 2)`` and their colours ``(n, 4) uint8`` RGBA (alpha 0: hidden)."""
        if self.shown is None:
            return np.zeros((0, 2), np.float32), np.zeros((0, 4), np.uint8)
        partial = isinstance(self.shown, PartialMap)
        index, lut = self.row_colors(marks, self.shown.total if partial else len(self.shown.points))
        return (self.shown.points if partial else self.shown.points[self._rows]), lut[index[self._rows]]

    def colour_of(self, index: int) -> tuple[int, int, int, int] | None:
        """The RGBA colour data row ``index`` is drawn in, or None when it is not drawn (hidden, or not yet there)."""
        if self._colors is None or self.point_of(index) is None:
            return None
        rgba = self._colors[2][self._colors[1][index]]
        return None if not rgba[3] else tuple(int(v) for v in rgba)

    def drawn_points(self, indices: np.ndarray) -> np.ndarray:
        """The map points ``(m, 2)`` of the data rows ``indices`` that are drawn (on the map so far, not hidden)."""
        indices = np.asarray(indices, dtype=np.int64)
        if self.shown is None or not len(indices):
            return np.zeros((0, 2), np.float32)
        index, lut = self._colors[1], self._colors[2]
        if self.final is not None:
            indices = indices[(indices >= 0) & (indices < len(self.final))]
            return self.final[indices[lut[index[indices], 3] > 0]]
        at = np.flatnonzero(np.isin(self._rows, indices))
        return self.shown.points[at[lut[index[self._rows[at]], 3] > 0]]

    def clear(self) -> None:
        self.cloud.clear()
        self.shown = self.final = None
        self._rows = np.zeros(0, np.int64)

    def point_of(self, index: int) -> np.ndarray | None:
        """Where data row ``index`` is drawn ``(2,)``, or ``None`` when it is not (yet) on the map."""
        if self.final is not None:
            return self.final[index] if 0 <= index < len(self.final) else None
        if isinstance(self.shown, PartialMap):
            at = np.flatnonzero(self.shown.indices == index)
            return self.shown.points[at[0]] if len(at) else None
        return None

    def nearest(self, p: np.ndarray) -> tuple[int, float] | None:
        """The data row drawn nearest to the map point ``p (2,)`` and its distance, or None with nothing drawn."""
        return None if self.shown is None else self.shown.nearest_point(p)


def _grew(before: Projection | PartialMap | None, after: Projection | PartialMap) -> bool:
    """Whether ``after`` is ``before`` with more points: the same rows first, at the same places (a map being made)."""
    if not (isinstance(before, PartialMap) and isinstance(after, PartialMap)) or before.total != after.total:
        return False
    n = len(before.indices)
    return (
        len(after.indices) >= n
        and np.array_equal(after.indices[:n], before.indices)
        and np.array_equal(after.points[:n], before.points)
    )
