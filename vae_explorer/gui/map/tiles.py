"""Decode the map: a mosaic of the images decoded at a grid over the visible region of a map.

Made off the GUI thread (the explorer's decoder thread): inverting the grid (a
KD-tree blend for t-SNE), decoding it and tiling the images.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal

from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.latent.geometry import grid_centres, mosaic, square_grid
from vae_explorer.core.latent.projection import Projection
from vae_explorer.core.model.loaded import Network
from vae_explorer.core.session import Session
from vae_explorer.core.session.work import SessionWork


def tile_mosaic(
    model: Network,
    projection: Projection,
    anchor: np.ndarray | None,
    rect: tuple[float, float, float, float],
    k: int,
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The images decoded over ``rect = (x0, y0, width, height)`` of a map, as one image, and where to draw it.

    The grid has ``k`` tiles along the view's shorter side and cells shaped like the
    images (:func:`square_grid`), so its pixels stay square on the aspect-locked map.
    ``anchor``: the code the PCA inverse keeps the dropped components of. Returns the
    mosaic, ``float32 (rows (H + 1) - 1, cols (W + 1) - 1)`` for grey images or
    ``(..., ..., C)`` for colour, tiles a 1-pixel line apart, flipped upside down
    (pyqtgraph draws row 0 at the bottom of the rectangle), and the grid's rectangle.
    """
    _, h, w = model.image_shape
    grid, cols, rows = square_grid(rect, k, w / h)
    x0, y0, width, height = grid
    z = projection.inverse(grid_centres(x0, x0 + width, y0, y0 + height, cols, rows), anchor).astype(np.float32)
    big = mosaic(decode_codes(model, z), cols, pad=1, rows=rows)  # row 0 at the top of the view
    image = big[0] if big.shape[0] == 1 else big.transpose(1, 2, 0)
    return np.ascontiguousarray(image[::-1]), grid


class TileImage(pg.ImageItem):
    """One map's "decode the map" mosaic, under its points (which can be hidden), following the view.

    Signals: ``sigDrawn()`` after a mosaic is shown.
    """

    sigDrawn = Signal()

    def __init__(self, session: Session, slot: str, work: SessionWork, view_box: pg.ViewBox) -> None:
        super().__init__()
        self.session, self.slot, self.work, self.vb = session, slot, work, view_box
        self.k = 0  # tiles per side; 0: off
        self.setZValue(-10)
        self.setOpacity(0.95)
        self._timer = QTimer(self, singleShot=True, interval=120, timeout=self.request)
        view_box.sigRangeChanged.connect(lambda *_: self.request_soon())

    def set_k(self, k: int) -> None:
        """Tile the visible region with a ``k x k`` grid of decoded images (0: off)."""
        self.k = k
        if k:
            self.request()
        else:
            self.clear()

    def waiting(self) -> bool:
        """Whether a new mosaic is asked for and not yet requested (the short wait after a change)."""
        return self._timer.isActive()

    def request_soon(self) -> None:
        """A new mosaic once the view (or the PCA anchor) stops changing for a moment."""
        if self.k:
            self._timer.start()

    def request(self) -> None:
        """Decode the visible region in the background; the newest request wins."""
        proj, model = self.session.projection(self.slot), self.session.slots[self.slot].model
        if not self.k or proj is None or model is None:
            return
        (x0, x1), (y0, y1) = self.vb.viewRange()
        k, rect, anchor = self.k, (x0, y0, x1 - x0, y1 - y0), self.session.anchor(self.slot)
        anchor = None if anchor is None else anchor.copy()
        job = lambda: tile_mosaic(model, proj, anchor, rect, k)  # noqa: E731
        self.work.decode_tiles(self.slot, job, lambda result: self._show(*result, k))

    def _show(self, image: np.ndarray, rect: tuple[float, float, float, float], k: int) -> None:
        if k != self.k:
            return
        self.setImage(image, levels=(0.0, 1.0), autoLevels=False)
        self.setRect(*rect)
        self.sigDrawn.emit()
