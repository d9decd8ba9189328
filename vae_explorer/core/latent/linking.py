"""Carry a point of one map to the same place, relative to the data, in another map of the same samples.

Two models' maps of one data set differ in scale and shape (an AE's codes spread
far wider than a VAE's), so a linked cursor cannot go to the same coordinates.
It goes to the same place *relative to the data*: the point's ``k`` nearest data
points in its own map, carried to those samples' places in the other map with the
same weights. The weights fall to zero at the (k+1)-th nearest point (Franke and
Little's modified Shepard weights), so the carried point moves continuously as
neighbours come and go, and a data point carries exactly to the same sample.

Inside the data's convex hull that blend is all (it lies in the other map's hull
in turn); beyond the hull, the offset from the hull is carried by a
scale-and-rotation fit of one map to the other, so far-off points map
continuously and no farther out, in proportion, than they were.

Shapes: map points ``(N, 2)`` by data row, in both maps; queries ``(m, 2)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.regions import nearest_in_hull

K = 8  # data points a carried point is blended from
FIT_ROWS = 20_000  # rows of the scale-and-rotation fit (evenly spaced): its cost does not grow with the data


class PointMap(Protocol):
    """What a link needs of a map: its points, their nearest-point index and their convex hull."""

    points: np.ndarray

    def nearest_points(self, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def hull(self) -> np.ndarray: ...


@dataclass(frozen=True)
class Similarity:
    """``t = target_centre + (p - source_centre) @ matrix``: a scale times a rotation (or a reflection)."""

    source_centre: np.ndarray  # (2,)
    target_centre: np.ndarray  # (2,)
    matrix: np.ndarray  # (2, 2)

    @property
    def scale(self) -> float:
        """How much longer a distance is in the target map than in the source map."""
        return float(np.sqrt(abs(np.linalg.det(self.matrix))))

    def apply(self, p: np.ndarray) -> np.ndarray:
        """Points ``(m, 2)`` -> their places ``(m, 2)`` under the fit."""
        return self.target_centre + (np.asarray(p, dtype=np.float64).reshape(-1, 2) - self.source_centre) @ self.matrix


def fit_similarity(source: np.ndarray, target: np.ndarray, rows: int = FIT_ROWS) -> Similarity:
    """The least-squares scale and rotation taking ``source (N, 2)`` to ``target (N, 2)`` (Umeyama's fit).

    Fitted on at most ``rows`` evenly spaced rows. Maps with no spread fit as a plain shift.
    """
    n = len(source)
    picks = np.arange(0, n, max(1, -(-n // rows)))  # every k-th row: at most ``rows``
    s = np.asarray(source)[picks].astype(np.float64)  # the rows first: no float64 copy of a million points
    t = np.asarray(target)[picks].astype(np.float64)
    cs, ct = (s.mean(axis=0), t.mean(axis=0)) if n else (np.zeros(2), np.zeros(2))
    sc, tc = s - cs, t - ct
    spread = float((sc**2).sum())
    if spread <= 0.0:
        return Similarity(cs, ct, np.eye(2))
    u, sv, vt = np.linalg.svd(sc.T @ tc)
    return Similarity(cs, ct, (sv.sum() / spread) * (u @ vt))


def neighbour_weights(dist: np.ndarray) -> np.ndarray:
    """Weights ``(m, k)`` of the ``k`` nearest points from their distances ``dist (m, k + 1)``, ascending.

    ``((r - d) / (r d))^2`` with ``r`` the distance of the (k+1)-th point, normalised:
    a point's weight is zero when it is about to leave the ``k`` nearest, so the
    blend never jumps; a point at distance 0 takes all the weight.
    """
    dist = np.asarray(dist, dtype=np.float64)
    d, r = dist[:, :-1], dist[:, -1:]
    exact = d[:, 0] <= 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        w = (np.maximum(r - d, 0.0) / (r * d)) ** 2
    w[exact] = 0.0
    w[exact, 0] = 1.0
    total = w.sum(axis=1, keepdims=True)
    even = total[:, 0] <= 0.0  # all k + 1 at one distance: no point is nearer than another
    w[even], total[even] = 1.0, d.shape[1]
    return w / total


def carry(
    p: np.ndarray,
    dist: np.ndarray,
    idx: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    hull: np.ndarray,
    fit: Similarity,
) -> np.ndarray:
    """Points ``p (m, 2)`` of the source map -> the same places ``(m, 2)`` relative to the data in the target map.

    ``dist, idx (m, k + 1)``: the ``k + 1`` nearest source points of each (ascending);
    ``source, target (N, 2)``: both maps' points by data row; ``hull (h, 2)``: the
    source points' convex hull, counter-clockwise; ``fit``: source to target.
    """
    p = np.asarray(p, dtype=np.float64).reshape(-1, 2)
    w = neighbour_weights(dist)
    near = np.asarray(idx)[:, :-1]
    blend = np.einsum("mk,mkd->md", w, np.asarray(target)[near].astype(np.float64))
    beyond = p - nearest_in_hull(p, hull)  # zero inside the data's hull
    return blend + beyond @ fit.matrix


class MapLink:
    """Carries points of the ``source`` map to the ``target`` map (same samples, same rows), by the data.

    Made once per pair of maps: the fit reads a bounded sample of rows and the hull is
    the source map's own, so a carry costs one query of the source's nearest-point
    index and no pass over the data.
    """

    def __init__(self, source: PointMap, target: PointMap, k: int = K) -> None:
        if len(source.points) != len(target.points):
            raise ValueError(f"maps of {len(source.points)} and {len(target.points)} points cannot be linked")
        self.source, self.target = source, target
        self.k = max(1, min(k, len(source.points) - 1))
        self.fit = fit_similarity(source.points, target.points)

    def carry(self, p: np.ndarray) -> np.ndarray:
        """Source map points ``(m, 2)`` -> target map points ``(m, 2)``."""
        p = np.asarray(p, dtype=np.float64).reshape(-1, 2)
        if len(self.source.points) < 2:
            return self.fit.apply(p)
        dist, idx = self.source.nearest_points(p, self.k + 1)
        return carry(p, dist, idx, self.source.points, self.target.points, self.source.hull(), self.fit)

    def carry_region(self, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A view ``(x, y, width, height)`` of the source map -> the view of the target map on the same data.

        Its centre is carried like a point and its size scaled by the fit.
        """
        x, y, width, height = rect
        cx, cy = self.carry(np.array([x + width / 2, y + height / 2]))[0]
        w, h = width * self.fit.scale, height * self.fit.scale
        return (float(cx - w / 2), float(cy - h / 2), float(w), float(h))


def carry_code(z: np.ndarray, nearest: NearestCode, target: np.ndarray, k: int = K) -> np.ndarray:
    """A code ``z (d,)`` among ``nearest``'s codes -> the same place ``(e,)`` among ``target (N, e)``, the codes
    of the same samples by another model (or new weights): its ``k`` nearest codes' weights, carried over.

    Exact at a data code: a code on a sample goes to that sample's code.
    """
    n = len(nearest.codes)
    if n < 2:
        return np.asarray(target[0], dtype=np.float32).copy()
    k = max(1, min(k, n - 1))
    dist, idx = nearest.index.query(np.asarray(z, dtype=np.float32).reshape(1, -1), k=k + 1)
    w = neighbour_weights(dist)[0]
    return (w @ np.asarray(target)[idx[0, :-1]].astype(np.float64)).astype(np.float32)
