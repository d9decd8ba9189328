"""Class colours, and one shared pen and brush per colour.

pyqtgraph caches scatter symbols by pen and brush *object*, so handing every
point of a class the same QBrush keeps drawing a large map fast.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtGui import QBrush, QColor, QPen

# Tableau's ten categorical colours, then a few more for data sets with more classes.
CLASS_COLORS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#e7ba52", "#637939", "#ad494a", "#a55194",
]  # fmt: skip
UNLABELLED = "#4c72b0"
CURSOR = "#111111"
SELECTION = "#000000"
HOVER = "#ff00ff"


def class_color(k: int) -> QColor:
    return QColor(CLASS_COLORS[k % len(CLASS_COLORS)])


@lru_cache(maxsize=64)
def class_brush(k: int, alpha: int = 200) -> QBrush:
    color = QColor(UNLABELLED) if k < 0 else class_color(k)
    color.setAlpha(alpha)
    return QBrush(color)


@lru_cache(maxsize=16)
def pen(color: str, width: float = 1.0, dashed: bool = False) -> QPen:
    p = QPen(QColor(color))
    p.setWidthF(width)
    p.setCosmetic(True)
    if dashed:
        p.setDashPattern([4.0, 4.0])
    return p


def point_brushes(labels: np.ndarray | None, n: int) -> list[QBrush]:
    """One brush per point, shared between points of a class."""
    if labels is None:
        b = class_brush(-1)
        return [b] * n
    brushes = {int(k): class_brush(int(k)) for k in np.unique(labels)}
    return [brushes[int(k)] for k in labels]
