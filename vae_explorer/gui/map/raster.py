"""Points drawn as one image made with numpy: fast and compact up to millions of points.

A scatter item keeps a record and a reference per point and redraws every symbol
when the view zooms. Here a map's points are two compact arrays (positions
``float32 (n, 2)``, colour indices ``uint8`` or ``uint16 (n,)`` into a small
colour table) and are drawn into an image of the visible region and a margin
around it. Panning draws that image moved (a blit); a zoom draws it scaled until
the image made for the new scale is in. Each point is a dot of ``DOT_RADIUS``
pixels: the points are first put one pixel each (the last point on a pixel wins),
then every pixel grows into a disc, filling only pixels that are still empty, so
the cost follows the image's size more than the number of points.

Up to ``SYNC_POINTS`` points the image is made when painted (a few milliseconds);
above that by ``submit`` (a worker thread, the newest request winning), so neither
streaming codes nor a zoom blocks the window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QImage, QTransform

DOT_RADIUS = 2.5  # pixels: dots 5 pixels across
MARGIN = 0.25  # the image spans the view and a quarter of it on each side: small pans need no new image
SYNC_POINTS = 200_000
TOLERANCE = 1e-9  # relative: scales this close are the same (a pan can change the last bits)

# submit(job, callback): run ``job()`` off the GUI thread, then ``callback(result)`` on it (newest job wins)
Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]


def premultiplied(rgba: np.ndarray) -> np.ndarray:
    """Colours ``uint8 (k, 4)`` RGBA -> ``uint32 (k,)`` as Qt's premultiplied ARGB32 stores them."""
    c = np.asarray(rgba, dtype=np.uint32)
    a = c[:, 3]
    r, g, b = ((c[:, i] * a + 127) // 255 for i in range(3))
    return (a << 24) | (r << 16) | (g << 8) | b


def _spans(radius: float) -> list[int]:
    """Half-widths of a disc's pixel rows: ``spans[dy]`` for rows ``dy = 0 .. floor(radius)``."""
    return [int(math.floor(math.sqrt(radius * radius - dy * dy))) for dy in range(int(radius) + 1)]


def _fill(dst: np.ndarray, src: np.ndarray) -> None:
    """Copy ``src`` into the pixels of ``dst`` that are still empty (0); equal-shaped views."""
    np.copyto(dst, src, where=dst == 0)


def _grow(canvas: np.ndarray, radius: float) -> np.ndarray:
    """Every non-empty pixel of ``canvas (H, W)`` grown into a disc; nearer pixels win where discs meet."""
    spans = _spans(radius)
    rows = {0: canvas}  # half-width -> canvas grown sideways by that much
    for w in range(1, max(spans) + 1):
        grown = rows[w - 1].copy()
        _fill(grown[:, w:], canvas[:, :-w])
        _fill(grown[:, :-w], canvas[:, w:])
        rows[w] = grown
    out = rows[spans[0]].copy()
    for dy in range(1, len(spans)):
        src = rows[spans[dy]]
        _fill(out[dy:], src[:-dy])
        _fill(out[:-dy], src[dy:])
    return out


def render(
    xy: np.ndarray, colors: np.ndarray, lut: np.ndarray, transform: tuple[float, float, float, float],
    size: tuple[int, int], radius: float = DOT_RADIUS,
) -> np.ndarray:  # fmt: skip
    """Draw points into an image -> ``uint32 (H, W)`` premultiplied ARGB.

    ``xy: (n, 2)`` map coordinates; ``colors: (n,)`` indices into ``lut: (k,) uint32``
    (a colour of 0 is not drawn); ``transform = (sx, cx, sy, cy)``: a point lands in
    column ``sx * x + cx``, row ``sy * y + cy``; ``size = (W, H)``.
    """
    return finish(place(xy, colors, lut, transform, size, radius), lut, size, radius)


def place(
    xy: np.ndarray, colors: np.ndarray, lut: np.ndarray, transform: tuple[float, float, float, float],
    size: tuple[int, int], radius: float = DOT_RADIUS, canvas: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """The first step of :func:`render`: each point's colour index + 1 on its pixel, the last point winning.

    Returns the canvas ``uint16 (H + 4 pad, W + 4 pad)``; points drawn onto ``canvas`` (changed in
    place) go over the ones it holds, as later points of one call do.
    """
    width, height = size
    sx, cx, sy, cy = transform
    pad = int(math.ceil(radius))
    col = xy[:, 0] * np.float32(sx) + np.float32(cx)
    row = xy[:, 1] * np.float32(sy) + np.float32(cy)
    keep = (col >= -pad) & (col < width + pad) & (row >= -pad) & (row < height + pad)
    keep &= lut[colors] != 0
    # A canvas padded by twice the radius: a dot of a point just outside reaches in, none wraps around.
    wide = width + 4 * pad
    if canvas is None:
        canvas = np.zeros((height + 4 * pad, wide), np.uint16)
    cols = np.floor(col[keep]).astype(np.int64) + 2 * pad
    rows = np.floor(row[keep]).astype(np.int64) + 2 * pad
    canvas.reshape(-1)[rows * wide + cols] = colors[keep].astype(np.uint16) + 1
    return canvas


def finish(canvas: np.ndarray, lut: np.ndarray, size: tuple[int, int], radius: float = DOT_RADIUS) -> np.ndarray:
    """The second step of :func:`render`: every placed pixel grown into a dot, coloured -> ``uint32 (H, W)``."""
    width, height = size
    pad = int(math.ceil(radius))
    grown = _grow(canvas, radius)
    table = np.concatenate([np.zeros(1, np.uint32), lut])
    return table[grown[2 * pad : 2 * pad + height, 2 * pad : 2 * pad + width]]


class _Image:
    """A rendered image and the map-to-widget transform it was made for (in the widget's logical pixels).

    ``placed``: :func:`place`'s canvas of its first ``count`` points, which an image of more
    points at the same transform starts from (``request`` says what it was made for).
    """

    def __init__(self, qimage: QImage, transform: tuple[float, float, float, float], generation: int) -> None:
        self.qimage, self.transform, self.generation = qimage, transform, generation
        self.placed: np.ndarray | None = None
        self.count, self.drawn, self.request, self.lineage = 0, 0, (), 0  # drawn: points drawn anew for it

    @property
    def width(self) -> float:
        return self.qimage.width() / self.qimage.devicePixelRatio()

    @property
    def height(self) -> float:
        return self.qimage.height() / self.qimage.devicePixelRatio()


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


class PointCloud(pg.GraphicsObject):
    """A map's data points as one item of a pyqtgraph view box.

    ``submit`` makes the images of more than ``SYNC_POINTS`` points off the GUI
    thread (without one, every image is made when painted). Signals:
    ``sigRendered()`` after a new image of the points is in.
    """

    sigRendered = Signal()

    def __init__(self, submit: Submit | None = None, radius: float = DOT_RADIUS) -> None:
        super().__init__()
        self.submit, self.radius = submit, radius
        self.xy = np.zeros((0, 2), np.float32)
        self.colors = np.zeros(0, np.uint8)
        self._lut = np.zeros(1, np.uint32)
        self._bounds = QRectF()
        self._generation = 0  # grows with every change of points or colours
        self._image: _Image | None = None
        self._asked: tuple | None = None  # the newest render asked for (generation, transform, size)
        self._lineage = 0  # grows when the points change other than by more points after the same ones
        self.renders = 0  # images made so far (the benchmarks count them)

    # -- data ------------------------------------------------------------------------------
    def set_points(self, xy: np.ndarray, colors: np.ndarray, lut: np.ndarray, extends: bool = False) -> None:
        """Draw ``xy: (n, 2) float32`` with ``colors: (n,)`` indices into ``lut: (k, 4) uint8`` RGBA.

        The arrays are kept as they are (not copied): the caller must not change them.
        ``extends``: the points so far come first, unchanged, in the same colours (a map
        still being made grew); its next image then draws only the new points.
        """
        if not (extends and len(xy) >= len(self.xy)):
            self._lineage += 1
        self.prepareGeometryChange()
        self.xy, self.colors, self._lut = xy, colors, premultiplied(lut)
        if len(xy):
            lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
            self._bounds = QRectF(float(lo[0]), float(lo[1]), float(hi[0] - lo[0]), float(hi[1] - lo[1]))
        else:
            self._bounds = QRectF()
        self._generation += 1
        self.update()

    def clear(self) -> None:
        self.set_points(np.zeros((0, 2), np.float32), np.zeros(0, np.uint8), np.zeros((1, 4), np.uint8))
        self._image = None

    def __len__(self) -> int:
        return len(self.xy)

    def pixels(self, transform: tuple[float, float, float, float], size: tuple[int, int]) -> np.ndarray:
        """The points as painted with ``transform`` into ``size`` (see :func:`render`) -> ``uint32 (H, W)`` ARGB."""
        return render(self.xy, self.colors, self._lut, transform, size, self.radius)

    @property
    def up_to_date(self) -> bool:
        """Whether the image on show is of the current points (it may still be moved or scaled)."""
        return self._image is not None and self._image.generation == self._generation

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self._bounds)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802 - pyqtgraph's auto-range
        if not len(self.xy):
            return None
        r = self._bounds
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def pixelPadding(self) -> float:  # noqa: N802 - pyqtgraph's auto-range
        return self.radius

    # -- drawing ------------------------------------------------------------------------------
    def paint(self, painter, option, widget=None) -> None:
        if not len(self.xy):
            return
        # The world transform maps the map to the widget's (logical) pixels; the device one would add
        # where the widget sits in the window, which setTransform below must not add twice.
        t = painter.worldTransform()
        visible = t.mapRect(self.getViewBox().viewRect())
        image = self._image
        if not self._fits(image, t, visible):
            self._ask(t, visible, painter.device().devicePixelRatioF())
            image = self._image
        if image is None:
            return
        sx, cx, sy, cy = image.transform
        painter.save()
        painter.setTransform(QTransform())
        if _same(sx, t.m11()) and _same(sy, t.m22()):  # the same scale: a blit, moved by the pan
            painter.drawImage(QPointF(round(t.dx() - cx), round(t.dy() - cy)), image.qimage)
        else:  # zoomed since: the old image scaled, until the new one is in
            kx, ky = t.m11() / sx, t.m22() / sy
            target = QRectF(t.dx() - cx * kx, t.dy() - cy * ky, image.width * kx, image.height * ky)
            painter.drawImage(target.normalized(), image.qimage)
        painter.restore()

    def _fits(self, image: _Image | None, t: QTransform, visible: QRectF) -> bool:
        """Whether ``image`` shows the current points at the current scale over all of ``visible``."""
        if image is None or image.generation != self._generation:
            return False
        sx, cx, sy, cy = image.transform
        if not (_same(sx, t.m11()) and _same(sy, t.m22())):
            return False
        drawn = QRectF(t.dx() - cx, t.dy() - cy, image.width, image.height)
        return drawn.adjusted(-1, -1, 1, 1).contains(visible)

    def _ask(self, t: QTransform, visible: QRectF, dpr: float) -> None:
        """Make an image of the visible region and its margin: now for a few points, else on the worker.

        The image has the screen's own pixels (``dpr`` of them to a logical pixel), dots as many wider.
        """
        left = math.floor(visible.left() - MARGIN * visible.width())
        top = math.floor(visible.top() - MARGIN * visible.height())
        size = (math.ceil(visible.width() * (1 + 2 * MARGIN)) + 1, math.ceil(visible.height() * (1 + 2 * MARGIN)) + 1)
        transform = (t.m11(), t.dx() - left, t.m22(), t.dy() - top)
        request = (self._generation, transform, size, dpr)
        if request == self._asked:
            return
        self._asked = request
        xy, colors, lut, radius, generation = self.xy, self.colors, self._lut, self.radius * dpr, self._generation
        pixels_size = (math.ceil(size[0] * dpr), math.ceil(size[1] * dpr))
        scaled = tuple(v * dpr for v in transform)
        made, lineage = (scaled, pixels_size, radius), self._lineage
        last = self._image
        if last is None or last.placed is None or (last.request, last.lineage) != (made, lineage):
            last = None  # another scale, size or set of points: every point is drawn
        base, done = (None, 0) if last is None else (last.placed, last.count)

        def job() -> _Image:
            width, height = pixels_size
            canvas = place(
                xy[done:], colors[done:], lut, scaled, pixels_size, radius, None if base is None else base.copy()
            )
            pixels = finish(canvas, lut, pixels_size, radius)
            image = QImage(pixels.data, width, height, 4 * width, QImage.Format.Format_ARGB32_Premultiplied).copy()
            image.setDevicePixelRatio(dpr)
            out = _Image(image, transform, generation)
            out.placed, out.count, out.drawn, out.request, out.lineage = canvas, len(xy), len(xy) - done, made, lineage
            return out

        if len(xy) <= SYNC_POINTS or self.submit is None:
            self._show(job())
        else:
            self.submit(job, lambda image: (self._show(image), self.update()))

    def _show(self, image: _Image) -> None:
        self._image = image
        self.renders += 1
        self.sigRendered.emit()
