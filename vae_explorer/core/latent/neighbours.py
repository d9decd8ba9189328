"""Nearest neighbours among a fixed set of points: map points (hover, clicks) and data codes.

Shapes: ``points: (n, k)``, queries ``(m, k)``; answers ``(m, j)`` for the ``j``
nearest. Up to :data:`BRUTE_FORCE_MAX` points are searched exhaustively (no tree,
no scipy to import, a sixteenth of a millisecond for a hover over 10,000 points);
beyond that a KD-tree is built once, on a worker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

BRUTE_FORCE_MAX = 20_000  # points searched without a tree
_BLOCK = 4_000_000  # distances per step of an exhaustive search (32 MB of float64)
_SPARE = 16  # candidates kept beyond j, re-measured exactly, so rounding never picks a farther point


def kdtree(points: np.ndarray, balanced: bool = True) -> Any:
    """A KD-tree over ``points (n, k)``; scipy is imported on first use, off the start-up path.

    ``balanced``: split at medians, the quickest to query (a third faster than sliding
    midpoints for 16-D codes); otherwise at sliding midpoints, several times quicker
    to build (a million 2-D points in well under a second). It keeps a float64 copy
    of the points.
    """
    from scipy.spatial import cKDTree

    points = np.asarray(points, dtype=np.float64)
    return cKDTree(points) if balanced else cKDTree(points, balanced_tree=False, compact_nodes=False)


def compact_kdtree(points: np.ndarray) -> Any | None:
    """A KD-tree that reads ``points (n, k) float32`` in place (scikit-learn's float32 tree), or None without one.

    It keeps only an index per point: a million 16-D codes need 8 MB beside them
    rather than a 128 MB copy.
    """
    try:
        from sklearn.neighbors._kd_tree import KDTree32
    except ImportError:  # a scikit-learn without float32 trees
        return None
    return KDTree32(points) if points.dtype == np.float32 and points.flags.c_contiguous else None


class ExhaustiveSearch:
    """Nearest points by measuring every one: exact, with ties going to the lower index.

    Distances come from ``|x|^2 - 2 x.p + |p|^2`` in float64; the ``k + 16`` best
    candidates are then measured directly and sorted, so rounding in the expansion
    cannot reorder the answer.
    """

    def __init__(self, points: np.ndarray) -> None:
        self.points = np.asarray(points, dtype=np.float64)
        self.sq_norms = np.einsum("ij,ij->i", self.points, self.points)

    def query(self, x: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.points)
        k_eff, keep = min(k, n), min(k + _SPARE, n)
        dist = np.full((len(x), k), np.inf)
        idx = np.full((len(x), k), n, dtype=np.int64)  # scipy's "no such neighbour" when k > n
        step = max(1, _BLOCK // max(n, 1))
        for start in range(0, len(x), step):
            rows = x[start : start + step]
            d2 = self.sq_norms[None, :] - 2.0 * rows @ self.points.T
            cand = (
                np.argpartition(d2, keep - 1, axis=1)[:, :keep] if keep < n else np.broadcast_to(np.arange(n), d2.shape)
            )
            exact = np.sqrt(((self.points[cand] - rows[:, None, :]) ** 2).sum(axis=2))
            order = np.lexsort((cand, exact), axis=1)[:, :k_eff]
            dist[start : start + step, :k_eff] = np.take_along_axis(exact, order, axis=1)
            idx[start : start + step, :k_eff] = np.take_along_axis(cand, order, axis=1)
        return dist, idx


class LazyTree:
    """A nearest-point index built on first use, once, whichever thread asks first (the others wait for it).

    Up to ``exhaustive_upto`` points an :class:`ExhaustiveSearch`; above it a balanced
    KD-tree (60 ms to build for 100,000 16-D codes, on a worker), and from
    ``compact_above`` points on one that reads the points in place (see
    :func:`compact_kdtree`) where one can be had, else one quick to build.
    """

    def __init__(
        self, points: np.ndarray, compact_above: int = 100_000, exhaustive_upto: int = BRUTE_FORCE_MAX
    ) -> None:
        self.points, self.compact_above, self.exhaustive_upto = points, compact_above, exhaustive_upto
        self._tree: Any = None
        self._float32 = False
        self._lock = threading.Lock()

    def build(self) -> None:
        """Build the index now (on a worker, so that the GUI thread never waits for it)."""
        if self._tree is None:
            with self._lock:
                if self._tree is None:
                    self._tree = self._make()

    def _make(self) -> Any:
        if len(self.points) <= self.exhaustive_upto:
            return ExhaustiveSearch(self.points)
        tree = compact_kdtree(self.points) if len(self.points) >= self.compact_above else None
        self._float32 = tree is not None
        return tree if tree is not None else kdtree(self.points, balanced=len(self.points) < self.compact_above)

    def query(self, x: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest points to each row of ``x (m, dim)`` -> ``(distances (m, k), indices (m, k) int64)``."""
        self.build()
        x = np.asarray(x, dtype=np.float32 if self._float32 else np.float64).reshape(-1, self.points.shape[1])
        dist, idx = self._tree.query(x, k=k)
        return np.asarray(dist, dtype=np.float64).reshape(len(x), k), np.asarray(idx, dtype=np.int64).reshape(len(x), k)


class PlaneIndex(Protocol):
    """Nearest codes to codes in one plane: ``(index, distance)``, or None for a code off the plane."""

    def query(self, z: np.ndarray) -> tuple[int, float] | None: ...


@dataclass
class NearestCode:
    """Where a code sits relative to the data: the nearest data code and its distance.

    The index (see :class:`LazyTree`) is built on first use, by whichever thread needs it first, once.
    A cursor dragged on a PCA map moves in one plane: ``plane``, an index of the codes
    for that plane (see :func:`.plane_search.prepare_plane`), answers its queries first.
    """

    codes: np.ndarray
    index: LazyTree = field(init=False, repr=False)
    _spacing: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)
    plane: PlaneIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.index = LazyTree(self.codes)

    def build(self) -> None:
        """Build the index now (on a worker, so that the GUI thread never waits for it)."""
        self.index.build()

    def query(self, z: np.ndarray) -> tuple[int, float]:
        plane = self.plane
        found = None if plane is None else plane.query(z)
        if found is not None:
            return found
        dist, idx = self.index.query(np.asarray(z).reshape(1, -1))
        return int(idx[0, 0]), float(dist[0, 0])

    def query_many(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dist, idx = self.index.query(np.asarray(z).reshape(len(z), -1))
        return idx[:, 0], dist[:, 0]

    def spacing(self, sample: int = 500, seed: int = 0) -> float:
        """Median distance from a data code to its nearest other data code, over a seeded sample.

        The scale a distance to the data is read against: 1 means as far from the
        data as its codes typically are from each other.
        """
        if len(self.codes) < 2:
            return float("nan")
        if (sample, seed) not in self._spacing:
            rows = np.random.default_rng(seed).choice(len(self.codes), min(sample, len(self.codes)), replace=False)
            dist, _ = self.index.query(self.codes[rows], k=2)
            self._spacing[(sample, seed)] = float(np.median(dist[:, 1]))
        return self._spacing[(sample, seed)]
