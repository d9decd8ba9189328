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


def convex_hull(points: np.ndarray) -> np.ndarray:
    """The corners ``(h, 2) float64`` of the convex hull of ``points (N, 2)``, counter-clockwise.

    The points inside the octagon of the extreme ones are dropped first (a pass over
    the points), so a million are hulled in a few tens of milliseconds. Points on one
    line give the segment's two ends; a single point, itself.
    """
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not len(p):
        return np.zeros((0, 2))
    octagon = _extremes(p)
    candidates = p if len(octagon) < 3 else p[~_strictly_inside(p, octagon)]
    hull = _monotone_chain(candidates)
    return hull if len(hull) >= 3 else _segment_ends(candidates)


def _monotone_chain(p: np.ndarray) -> np.ndarray:
    """Andrew's monotone chain: the hull's corners counter-clockwise, collinear points left out (numpy and a loop
    over the few points the octagon leaves: no scipy to import before a map is shown)."""
    pts = np.unique(p, axis=0)  # sorted by x, then y
    if len(pts) < 3:
        return pts

    def chain(points: np.ndarray) -> list[int]:
        out: list[int] = []
        for i, (x, y) in enumerate(points):
            while len(out) >= 2:
                (ax, ay), (bx, by) = points[out[-2]], points[out[-1]]
                if (bx - ax) * (y - ay) - (by - ay) * (x - ax) > 0:  # a left turn: b stays
                    break
                out.pop()
            out.append(i)
        return out

    lower, upper = chain(pts), chain(pts[::-1])
    return np.concatenate([pts[lower[:-1]], pts[::-1][upper[:-1]]])


def _extremes(p: np.ndarray) -> np.ndarray:
    """The points extreme along the 8 directions of the axes and diagonals, counter-clockwise, duplicates dropped."""
    x, y = p[:, 0], p[:, 1]
    along = (x, x + y, y, y - x, -x, -x - y, -y, x - y)  # the directions at 0, 45, ..., 315 degrees
    corners = p[[int(np.argmax(a)) for a in along]]
    keep = [0] + [i for i in range(1, 8) if not np.array_equal(corners[i], corners[i - 1])]
    corners = corners[keep]
    if len(corners) > 1 and np.array_equal(corners[0], corners[-1]):
        corners = corners[:-1]
    return corners


def _strictly_inside(p: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which points ``(N,) bool`` lie strictly inside a convex counter-clockwise polygon."""
    x, y = p[:, 0], p[:, 1]
    inside = np.ones(len(p), bool)
    for (ax, ay), (bx, by) in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        ex, ey = bx - ax, by - ay
        inside &= ex * y - ey * x > ex * ay - ey * ax  # left of the edge a -> b
    return inside


def _segment_ends(p: np.ndarray) -> np.ndarray:
    """The two farthest-apart ends of points on one line ``(2, 2)``, or the one point ``(1, 2)``."""
    centred = p - p.mean(axis=0)
    direction = np.linalg.svd(centred, full_matrices=False)[2][0]
    along = centred @ direction
    ends = p[[int(np.argmin(along)), int(np.argmax(along))]]
    return ends[:1] if np.array_equal(ends[0], ends[1]) else ends


def nearest_in_hull(points: np.ndarray, hull: np.ndarray) -> np.ndarray:
    """Each of ``points (m, 2)`` moved to the nearest point of the convex polygon ``hull (h, 2)`` (counter-clockwise).

    Points inside stay where they are; the move is continuous (1-Lipschitz). Returns ``(m, 2)``.
    """
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    hull = np.asarray(hull, dtype=np.float64).reshape(-1, 2)
    if len(hull) == 1:
        return np.broadcast_to(hull[0], p.shape).copy()
    a = hull
    b = np.roll(hull, -1, axis=0)
    edge = b - a  # (h, 2)
    rel = p[:, None, :] - a[None, :, :]  # (m, h, 2)
    cross = edge[:, 0] * rel[..., 1] - edge[:, 1] * rel[..., 0]
    inside = np.all(cross >= 0, axis=1) if len(hull) >= 3 else np.zeros(len(p), bool)
    t = np.clip(np.einsum("mhd,hd->mh", rel, edge) / np.maximum(np.einsum("hd,hd->h", edge, edge), 1e-300), 0.0, 1.0)
    foot = a[None, :, :] + t[..., None] * edge[None, :, :]
    nearest = np.argmin(((p[:, None, :] - foot) ** 2).sum(axis=2), axis=1)
    out = foot[np.arange(len(p)), nearest]
    out[inside] = p[inside]
    return out
