"""numpy images -> Qt images, and a widget that shows one image sharply."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from vae_explorer.core.io.images import image_grid
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.palette import MUTED


def to_qimage(image: np.ndarray) -> QImage:
    """``(C, H, W)`` float in [0, 1] or uint8 (C = 1 or 3) -> a QImage that owns its pixels."""
    arr = image if image.dtype == np.uint8 else to_uint8(image)
    c, h, w = arr.shape
    if c == 1:
        buf = np.ascontiguousarray(arr[0])
        qimg = QImage(buf.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        buf = np.ascontiguousarray(arr.transpose(1, 2, 0))
        qimg = QImage(buf.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return qimg.copy()  # detach from the numpy buffer


def to_pixmap(image: np.ndarray, scale: int = 1) -> QPixmap:
    pm = QPixmap.fromImage(to_qimage(image))
    if scale > 1:
        pm = pm.scaled(pm.width() * scale, pm.height() * scale, mode=Qt.TransformationMode.FastTransformation)
    return pm


class ImageView(QWidget):
    """One image, scaled to fit with whole pixels kept sharp.

    ``sigPainted(token)`` is emitted after a paint that showed the image set with
    ``token``: the end of the drag -> decode -> screen path, which benchmarks time.
    """

    sigPainted = Signal(object)

    def __init__(self, placeholder: str = "", min_side: int = 96, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._token: object = None
        self._placeholder = placeholder
        self.setMinimumSize(min_side, min_side)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: np.ndarray | QImage | None, token: object = None) -> None:
        self._image = to_qimage(image) if isinstance(image, np.ndarray) else image
        self._token = token
        self.update()

    def image(self) -> QImage | None:
        return self._image

    def sizeHint(self) -> QSize:
        return QSize(160, 160)

    def target_rect(self) -> QRect:
        if self._image is None:
            return QRect()
        iw, ih = self._image.width(), self._image.height()
        s = min(self.width() / iw, self.height() / ih)
        w, h = int(iw * s), int(ih * s)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().window())
        if self._image is None:
            p.setPen(QColor(MUTED))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
        else:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            p.drawImage(self.target_rect(), self._image)
        p.end()
        if self._image is not None:
            self.sigPainted.emit(self._token)


def best_columns(n: int, cell: tuple[int, int], pad: int, width: float, height: float) -> int:
    """The number of columns that shows ``n`` images of ``cell = (h, w)`` pixels largest in ``width x height``."""
    h, w = cell

    def scale(cols: int) -> float:
        rows = -(-n // cols)
        return min(width / (cols * (w + pad) + pad), height / (rows * (h + pad) + pad))

    return max(range(1, max(n, 1) + 1), key=lambda cols: (scale(cols), -cols))


class ImageGridView(ImageView):
    """Several images in a grid whose columns are chosen to show them largest, again as the widget resizes."""

    def __init__(self, placeholder: str = "", min_side: int = 40, pad: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(placeholder, min_side, parent)
        self.pad = pad
        self.columns = 0
        self._images: np.ndarray | None = None
        theme.follow(self, lambda t: self.set_images(self._images))  # the lines between the images

    def set_images(self, images: np.ndarray | None) -> None:
        """``images: (n, C, H, W)`` in [0, 1] or uint8, or None to clear."""
        self._images, self.columns = images, 0
        self._arrange()

    def images(self) -> np.ndarray | None:
        return self._images

    def _arrange(self) -> None:
        images = self._images
        if images is None or not len(images):
            self.set_image(None)
            return
        n = len(images)
        cols = best_columns(n, images.shape[2:4], self.pad, self.width(), self.height())
        if cols != self.columns:
            self.columns = cols
            fill = palette.current().frame_gap
            self.set_image(image_grid(images, -(-n // cols), cols, pad=self.pad, fill=fill))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange()
