"""Which map points lie inside a dragged rectangle or lasso. Points ``(N, 2)``, vertices ``(M, 2)``."""

from __future__ import annotations

import numpy as np


def points_in_rect(points: np.ndarray, corner_a: np.ndarray, corner_b: np.ndarray) -> np.ndarray:
    """Indices ``(k,) int64`` of the points inside the rectangle with opposite corners ``a`` and ``b``."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    lo = np.minimum(corner_a, corner_b)
    hi = np.maximum(corner_a, corner_b)
    inside = np.all((p >= lo) & (p <= hi), axis=1)
    return np.flatnonzero(inside)


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Indices ``(k,) int64`` of the points inside a closed polygon (even-odd rule, ray casting).

    ``polygon: (M, 2)`` vertices in order; the last joins the first. Fewer than 3
    vertices enclose nothing.
    """
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    poly = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if len(poly) < 3:
        return np.zeros(0, dtype=np.int64)
    candidates = points_in_rect(p, poly.min(axis=0), poly.max(axis=0))
    x, y = p[candidates, 0:1], p[candidates, 1:2]  # (n, 1) against the M edges
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    inside = np.logical_xor.reduce(crosses & (x < x_at), axis=1)
    return candidates[inside]
