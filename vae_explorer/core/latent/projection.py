"""2-D maps of latent codes, and the inverses that turn a map point back into a code.

Shapes: ``codes: (N, d) float32``, map points ``(n, 2)``. Every projection offers
``points`` (the data's map coordinates), ``forward(z) -> p`` and
``inverse(p, anchor) -> z``:

- :class:`LatentPlane` (d = 2): the latent plane itself; exact both ways.
- :class:`PCAProjection`: keeps what the plot drops. ``z = z0 + W2^T (p - p0)``,
  with ``z0`` the anchor's code and ``W2`` the two components: exact at the
  anchor, linear, continuous.
- :class:`NeighbourProjection` (t-SNE): an inverse-distance (Shepard) blend of
  the codes of the k nearest map points; exact at data points, approximate
  between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

VIEWS = ("pca", "tsne", "latent")
VIEW_TITLES = {"pca": "PCA", "tsne": "t-SNE", "latent": "latent plane"}


def kdtree(points: np.ndarray) -> Any:
    """A KD-tree over ``points (n, k)``; scipy is imported on first use, off the start-up path."""
    from scipy.spatial import cKDTree

    return cKDTree(np.asarray(points, dtype=np.float64))


def _as_2d(a: np.ndarray, width: int) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a.reshape(-1, width)


class Projection:
    """Base of every map; subclasses set ``points`` and implement the two directions."""

    name = "base"
    exact = True
    points: np.ndarray

    def forward(self, z: np.ndarray) -> np.ndarray:
        """Codes ``(n, d)`` -> map points ``(n, 2)``."""
        raise NotImplementedError

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        """Map points ``(n, 2)`` -> codes ``(n, d)``; ``anchor (d,)`` where the inverse needs one."""
        raise NotImplementedError


class LatentPlane(Projection):
    """The raw plane of a 2-D latent space."""

    name = "latent"

    def __init__(self, codes: np.ndarray) -> None:
        if codes.shape[1] != 2:
            raise ValueError(f"the latent plane needs 2-D codes, not {codes.shape[1]}-D")
        self.points = np.asarray(codes, dtype=np.float32)

    def forward(self, z: np.ndarray) -> np.ndarray:
        return _as_2d(z, 2)

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        return _as_2d(p, 2)


class PCAProjection(Projection):
    """The plane of the two largest principal components of the codes."""

    name = "pca"

    def __init__(self, codes: np.ndarray) -> None:
        x = np.asarray(codes, dtype=np.float64)
        self.mean = x.mean(axis=0)
        # SVD of the centred codes: rows of vt are the principal directions.
        _, _, vt = np.linalg.svd(x - self.mean, full_matrices=False)
        d = x.shape[1]
        w = np.zeros((2, d))
        w[: min(2, d)] = vt[:2]
        # Fix each component's sign (largest entry positive) so maps repeat across runs.
        for row in w:
            k = np.argmax(np.abs(row))
            if row[k] < 0:
                row *= -1
        self.components = w
        self.points = self.forward(x).astype(np.float32)

    def forward(self, z: np.ndarray) -> np.ndarray:
        return (_as_2d(z, len(self.mean)) - self.mean) @ self.components.T

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        z0 = self.mean if anchor is None else np.asarray(anchor, dtype=np.float64).reshape(-1)
        p0 = self.forward(z0)[0]
        return z0 + (_as_2d(p, 2) - p0) @ self.components


class NeighbourProjection(Projection):
    """A map given only as points (t-SNE), with a Shepard-blend inverse.

    ``inverse`` blends the codes of the ``k`` nearest map points with weights
    ``1 / distance^power``; ``forward`` blends the map points of the ``k`` nearest
    codes the same way, so a code edited elsewhere can be drawn on the map.
    """

    name = "tsne"
    exact = False

    def __init__(self, codes: np.ndarray, points: np.ndarray, k: int = 8, power: float = 2.0) -> None:
        if len(codes) != len(points):
            raise ValueError(f"{len(codes)} codes for {len(points)} map points")
        self.codes = np.asarray(codes, dtype=np.float64)
        self.points = np.asarray(points, dtype=np.float32)
        self.k, self.power = min(k, len(codes)), power
        self._map_tree = kdtree(self.points)
        self._code_tree: Any = None

    @staticmethod
    def _blend(values: np.ndarray, dist: np.ndarray, idx: np.ndarray, power: float) -> np.ndarray:
        dist = dist.reshape(len(dist), -1)
        idx = idx.reshape(len(idx), -1)
        exact = dist[:, 0] <= 1e-12
        w = 1.0 / np.maximum(dist, 1e-12) ** power
        w /= w.sum(axis=1, keepdims=True)
        out = np.einsum("nk,nkd->nd", w, values[idx])
        out[exact] = values[idx[exact, 0]]
        return out

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        dist, idx = self._map_tree.query(_as_2d(p, 2), k=self.k)
        return self._blend(self.codes, dist, idx, self.power)

    def forward(self, z: np.ndarray) -> np.ndarray:
        if self._code_tree is None:
            self._code_tree = kdtree(self.codes)
        dist, idx = self._code_tree.query(_as_2d(z, self.codes.shape[1]), k=self.k)
        return self._blend(self.points.astype(np.float64), dist, idx, self.power)


class Aligned(Projection):
    """``base`` turned by an orthogonal matrix ``rotation (2, 2)``: display = native @ rotation."""

    def __init__(self, base: Projection, rotation: np.ndarray) -> None:
        self.base, self.rotation = base, np.asarray(rotation, dtype=np.float64)
        self.name, self.exact = base.name, base.exact
        self.points = (base.points.astype(np.float64) @ self.rotation).astype(np.float32)

    def forward(self, z: np.ndarray) -> np.ndarray:
        return self.base.forward(z) @ self.rotation

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        return self.base.inverse(_as_2d(p, 2) @ self.rotation.T, anchor)


def procrustes_rotation(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal ``R (2, 2)`` (rotation or reflection) minimising ``|(S - s) R - (T - t)|``.

    ``source, target: (N, 2)``, the same N samples in two maps; ``s, t`` their means.
    """
    s = np.asarray(source, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    u, _, vt = np.linalg.svd((s - s.mean(axis=0)).T @ (t - t.mean(axis=0)))
    return u @ vt


def align_to(projection: Projection, reference: Projection) -> Aligned:
    """``projection`` turned so that its points best match ``reference``'s (same samples)."""
    return Aligned(projection, procrustes_rotation(projection.points, reference.points))


@dataclass
class NearestCode:
    """Where a code sits relative to the data: the nearest data code and its distance."""

    codes: np.ndarray
    _tree: Any = field(default=None, repr=False)
    _spacing: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)

    @property
    def tree(self) -> Any:
        if self._tree is None:
            self._tree = kdtree(self.codes)
        return self._tree

    def query(self, z: np.ndarray) -> tuple[int, float]:
        dist, idx = self.tree.query(np.asarray(z, dtype=np.float64).reshape(-1))
        return int(idx), float(dist)

    def query_many(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dist, idx = self.tree.query(np.asarray(z, dtype=np.float64).reshape(len(z), -1))
        return idx.astype(np.int64), dist

    def spacing(self, sample: int = 500, seed: int = 0) -> float:
        """Median distance from a data code to its nearest other data code, over a seeded sample.

        The scale a distance to the data is read against: 1 means as far from the
        data as its codes typically are from each other.
        """
        if len(self.codes) < 2:
            return float("nan")
        if (sample, seed) not in self._spacing:
            rows = np.random.default_rng(seed).choice(len(self.codes), min(sample, len(self.codes)), replace=False)
            dist, _ = self.tree.query(np.asarray(self.codes, dtype=np.float64)[rows], k=2)
            self._spacing[(sample, seed)] = float(np.median(dist[:, 1]))
        return self._spacing[(sample, seed)]


def prior_log_density(z: np.ndarray) -> np.ndarray:
    """log N(z; 0, I) for codes ``(n, d)`` -> ``(n,)``, in nats."""
    z = np.asarray(z, dtype=np.float64)
    z = z.reshape(-1, z.shape[-1])
    return -0.5 * (np.sum(z**2, axis=1) + z.shape[1] * np.log(2 * np.pi))
