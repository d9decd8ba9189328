"""The session's map marks drawn on one map: point colours, hidden classes, and the samples a search found.

A few found samples are ringed; past :data:`RINGS_MAX` rings would cover the map, so
the others fade instead (:data:`FADED_ALPHA`) and the found ones are drawn on top.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from vae_explorer.core.latent.marks import Colouring, MapMarks
from vae_explorer.gui.widgets import palette

HIGHLIGHT_SIZE = 12
TRANSPARENT = np.zeros((1, 4), np.uint8)  # the colour of hidden points: not drawn
RINGS_MAX = 300  # found samples ringed; more fade the rest of the map instead
FADED_ALPHA = 40  # the opacity of the points a large search did not find


def fades(marks: MapMarks) -> bool:
    """Whether the search found too many samples to ring: the others are faded instead."""
    return len(marks.highlight) > RINGS_MAX


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
    When a search found too many to ring (:func:`fades`), the rows it did not find point
    at a faded copy of the table, after the first copy.
    """
    colouring = marks.colouring()
    if colouring.values is not None and len(colouring.values) != n:
        colouring = Colouring("class", None)
    index, lut = colouring_colors(colouring, n)
    if fades(marks):
        found = np.zeros(n, bool)
        found[marks.highlight[(marks.highlight >= 0) & (marks.highlight < n)]] = True
        index = np.where(found, index, index.astype(np.int64) + len(lut))
        faded = lut.copy()
        faded[:, 3] = np.minimum(faded[:, 3], FADED_ALPHA)
        lut = np.concatenate([lut, faded])
        index = index.astype(np.uint8 if len(lut) < 256 else np.uint16)
    visible = marks.visible()
    if visible is not None and len(visible) == n:
        index = np.where(visible, index, len(lut)).astype(index.dtype)
        lut = np.concatenate([lut, TRANSPARENT])
    return index, lut


class HighlightRings(pg.ScatterPlotItem):
    """Rings around the samples a search found, over one map's points (up to :data:`RINGS_MAX` of them)."""

    def __init__(self) -> None:
        super().__init__(size=HIGHLIGHT_SIZE, symbol="o", pen=palette.pen(palette.HIGHLIGHT, 2.0), brush=None)
        self.setZValue(4)

    def show_rings(self, points: np.ndarray) -> None:
        """Ring the map points ``(m, 2)`` of the samples found (those drawn); clear with none, or too many."""
        if not len(points) or len(points) > RINGS_MAX:
            self.clear()
            return
        self.setData(pos=np.asarray(points, dtype=np.float64))
