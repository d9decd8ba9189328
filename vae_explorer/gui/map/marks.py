"""The session's map marks drawn on one map: point colours, hidden classes, and rings around found samples."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush

from vae_explorer.core.latent.marks import Colouring, MapMarks
from vae_explorer.gui.widgets import palette

HIGHLIGHT_SIZE = 12


def colouring_brushes(colouring: Colouring, n: int) -> list[QBrush]:
    """One brush per point for ``colouring`` (class colours, or the colour scale for an attribute)."""
    if colouring.kind == "class":
        return palette.point_brushes(colouring.values, n)
    if colouring.kind == "binary":
        return palette.scale_brushes(np.asarray(colouring.values, dtype=np.float64))
    return palette.scale_brushes(colouring.unit())


def point_brushes(marks: MapMarks, n: int) -> list[QBrush]:
    """The brushes of ``n`` points as the marks colour them (class colours when the colouring does not fit)."""
    colouring = marks.colouring()
    if colouring.values is not None and len(colouring.values) != n:
        colouring = Colouring("class", None)
    return colouring_brushes(colouring, n)


class HighlightRings(pg.ScatterPlotItem):
    """Rings around the samples a search found, over one map's points."""

    def __init__(self) -> None:
        super().__init__(size=HIGHLIGHT_SIZE, symbol="o", pen=palette.pen(palette.HIGHLIGHT, 2.0), brush=None)
        self.setZValue(4)

    def show_rings(self, points: np.ndarray | None, indices: np.ndarray, visible: np.ndarray | None) -> None:
        """Ring ``points[indices]`` (those of shown classes); clear with no points or no indices."""
        if points is None or not len(indices):
            self.clear()
            return
        indices = indices[indices < len(points)]
        if visible is not None:
            indices = indices[visible[indices]]
        self.setData(pos=points[indices])
