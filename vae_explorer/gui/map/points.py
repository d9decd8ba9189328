"""What a map shows of its data: the finished map or the part of it made so far, as one :class:`PointCloud`.

Kept apart from the panel: how points are coloured and drawn, where a data row is
drawn and which row lies under the mouse, whether the map is finished or partial.
Nothing here holds a Python object per point.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from vae_explorer.core.latent.projection import Projection
from vae_explorer.core.latent.stream import PartialMap, encoding_order
from vae_explorer.gui.widgets import palette

from .raster import PointCloud, Submit


@lru_cache(maxsize=4)
def drawing_order(n: int) -> np.ndarray:
    """The order ``n`` points are drawn in: shuffled, so that no class always lies on top of another."""
    return encoding_order(n)


class MapPoints:
    """The points of one map on show: a finished map (a projection) or a partial one."""

    def __init__(self, submit: Submit | None = None) -> None:
        self.cloud = PointCloud(submit)
        self.shown: Projection | PartialMap | None = None
        self.final: np.ndarray | None = None  # the finished map's points ``(N, 2)`` by data row; None while partial
        self._colors: tuple[np.ndarray | None, int, np.ndarray] | None = None  # (labels, n, class index per row)

    def class_colors(self, labels: np.ndarray | None, total: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Colours by class of the data ``rows`` -> ``(index (n,) uint8, table (k, 4) uint8)``.

        Each row's index is worked out once per data set and picked from then on.
        """
        if self._colors is None or self._colors[0] is not labels or self._colors[1] != total:
            self._colors = (labels, total, palette.class_index(labels, total))
        return self._colors[2][rows], palette.class_lut()

    def draw(self, shown: Projection | PartialMap, labels: np.ndarray | None) -> int:
        """Draw a finished map or a partial one (points of its ``indices``) -> how many points."""
        if isinstance(shown, PartialMap):
            xy, rows, self.final = shown.points, shown.indices, None
        else:
            rows = drawing_order(len(shown.points))
            xy, self.final = shown.points[rows], shown.points
        self.shown = shown
        total = shown.total if isinstance(shown, PartialMap) else len(shown.points)
        self.cloud.set_points(xy, *self.class_colors(labels, total, rows))
        return len(xy)

    def clear(self) -> None:
        self.cloud.clear()
        self.shown = self.final = None

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
