"""Read back what a widget shows."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def qimage_to_array(image: QImage) -> np.ndarray:
    """A grayscale or RGB QImage -> ``uint8 (C, H, W)``."""
    if image.format() == QImage.Format.Format_Grayscale8:
        ptr = image.constBits()
        arr = np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine())[:, : image.width()]
        return arr[None].copy()
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return arr[:, : 3 * rgb.width()].reshape(rgb.height(), rgb.width(), 3).transpose(2, 0, 1).copy()
