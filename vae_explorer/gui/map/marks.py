"""The session's map marks drawn on one map: point colours, hidden classes, and rings around found samples."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from vae_explorer.core.latent.marks import Colouring, MapMarks
from vae_explorer.gui.widgets import palette

HIGHLIGHT_SIZE = 12
TRANSPARENT = np.zeros((1, 4), np.uint8)  # the colour of hidden points: not drawn


def colouring_colors(colouring: Colouring, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The colours of ``n`` points for ``colouring`` -> ``(index (n,) uint8, table (k, 4) uint8 RGBA)``.

    Class colours, or the colour scale for an attribute (a binary one at its two ends).
    """
    if colouring.kind == "class":
        return palette.class_index(colouring.values, n), palette.class_lut()
    unit = np.asarray(colouring.values, dtype=np.float64) if colouring.kind == "binary" else colouring.unit()
    return palette.scale_index(unit), palette.scale_lut()


def point_colors(marks: MapMarks, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each of ``n`` data rows' colour as the marks have it -> ``(index (n,), table (k, 4) uint8 RGBA)``.

    Class colours when the colouring does not fit the ``n`` rows; the rows of hidden
    classes point at the table's last row, which is transparent, so they are not drawn.
    """
    colouring = marks.colouring()
    if colouring.values is not None and len(colouring.values) != n:
        colouring = Colouring("class", None)
    index, lut = colouring_colors(colouring, n)
    visible = marks.visible()
    if visible is not None and len(visible) == n:
        index = np.where(visible, index, len(lut)).astype(index.dtype)
        lut = np.concatenate([lut, TRANSPARENT])
    return index, lut


class HighlightRings(pg.ScatterPlotItem):
    """Rings around the samples a search found, over one map's points."""

    def __init__(self) -> None:
        super().__init__(size=HIGHLIGHT_SIZE, symbol="o", pen=palette.pen(palette.HIGHLIGHT, 2.0), brush=None)
        self.setZValue(4)

    def show_rings(self, points: np.ndarray) -> None:
        """Ring the map points ``(m, 2)`` of the samples found (those drawn); clear with none."""
        if not len(points):
            self.clear()
            return
        self.setData(pos=np.asarray(points, dtype=np.float64))
