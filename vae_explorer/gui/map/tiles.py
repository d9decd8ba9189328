"""Decode the map: a mosaic of the images decoded at a grid over the visible region of a map.

Made off the GUI thread (the explorer's decoder thread): inverting the grid (a
KD-tree blend for t-SNE), decoding it and tiling the images.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal

from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.latent.geometry import grid_centres, mosaic
from vae_explorer.core.latent.projection import Projection
from vae_explorer.core.model.loaded import Network
from vae_explorer.core.session import Session


def tile_mosaic(
    model: Network,
    projection: Projection,
    anchor: np.ndarray | None,
    rect: tuple[float, float, float, float],
    k: int,
) -> np.ndarray:
    """The ``k x k`` images decoded over ``rect = (x0, y0, width, height)`` of a map, as one image to draw there.

    ``anchor``: the code the PCA inverse keeps the dropped components of. Returns
    ``float32 (k (H + 1) - 1, k (W + 1) - 1)`` for grey images or ``(..., ..., C)`` for
    colour, tiles a 1-pixel line apart, flipped upside down: pyqtgraph draws row 0 at the
    bottom of the rectangle, so the top row of tiles ends on top.
    """
    x0, y0, width, height = rect
    z = projection.inverse(grid_centres(x0, x0 + width, y0, y0 + height, k), anchor).astype(np.float32)
    big = mosaic(decode_codes(model, z), k, pad=1)  # (C, kH, kW), row 0 at the top of the view
    image = big[0] if big.shape[0] == 1 else big.transpose(1, 2, 0)
    return np.ascontiguousarray(image[::-1])


class TileImage(pg.ImageItem):
    """One map's "decode the map" mosaic, under its points, following the view as it pans and zooms.

    Signals: ``sigDrawn()`` after a mosaic is shown.
    """

    sigDrawn = Signal()

    def __init__(self, session: Session, slot: str, services, view_box: pg.ViewBox) -> None:
        super().__init__()
        self.session, self.slot, self.services, self.vb = session, slot, services, view_box
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
        self.services.decode_tiles(self.slot, job, lambda image: self._show(image, k, rect))

    def _show(self, image: np.ndarray, k: int, rect: tuple[float, float, float, float]) -> None:
        if k != self.k:
            return
        self.setImage(image, levels=(0.0, 1.0), autoLevels=False)
        self.setRect(*rect)
        self.sigDrawn.emit()
