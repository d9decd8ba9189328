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

import numpy as np

from vae_explorer.core.latent.neighbours import LazyTree, NearestCode
from vae_explorer.core.latent.regions import convex_hull

VIEWS = ("pca", "tsne", "umap", "latent")
VIEW_TITLES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP", "latent": "latent plane"}
CHUNK = 65_536  # rows per step where a whole (N, d) float64 copy of the codes would cost too much memory


def _as_2d(a: np.ndarray, width: int) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a.reshape(-1, width)


class Projection:
    """Base of every map; subclasses set ``points`` and implement the two directions.

    ``note``: what the map's title should say about how it was made (empty for most).
    """

    name = "base"
    exact = True
    note = ""
    points: np.ndarray
    _point_tree: LazyTree | None = None
    _hull: np.ndarray | None = None

    def nearest_point(self, p: np.ndarray) -> tuple[int, float]:
        """The data point nearest to the map point ``p (2,)`` -> ``(index, distance)``, by a KD-tree."""
        dist, idx = self.nearest_points(p, 1)
        return int(idx[0, 0]), float(dist[0, 0])

    def nearest_points(self, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` data points nearest to each map point of ``p (m, 2)`` -> ``(distances (m, k), rows (m, k))``."""
        return self.point_index().query(_as_2d(p, 2), k=k)

    def hull(self) -> np.ndarray:
        """The convex hull of ``points``, ``(h, 2)`` counter-clockwise; made once (on a worker, with the map)."""
        if self._hull is None:
            self._hull = convex_hull(self.points)
        return self._hull

    def point_index(self) -> LazyTree:
        """The KD-tree of ``points``; call it on a worker to have it built before the map is on show."""
        if self._point_tree is None:
            self._point_tree = LazyTree(self.points)
        return self._point_tree

    def forward(self, z: np.ndarray) -> np.ndarray:
        """Codes ``(n, d)`` -> map points ``(n, 2)``."""
        raise NotImplementedError

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        """Map points ``(n, 2)`` -> codes ``(n, d)``; ``anchor (d,)`` where the inverse needs one."""
        raise NotImplementedError

    def inverse_plane(self) -> np.ndarray | None:
        """The orthonormal rows ``(2, d)`` :meth:`inverse` moves along from its anchor, if it is linear; else None."""
        return None


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


def mean_and_scatter(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean ``(d,)`` and the scatter matrix ``(d, d)`` of ``codes (N, d)``, in float64, a chunk at a time."""
    n, d = codes.shape
    total = np.zeros(d)
    for start in range(0, n, CHUNK):
        total += codes[start : start + CHUNK].sum(axis=0, dtype=np.float64)
    mean = total / max(n, 1)
    scatter = np.zeros((d, d))
    for start in range(0, n, CHUNK):
        c = codes[start : start + CHUNK].astype(np.float64) - mean
        scatter += c.T @ c
    return mean, scatter


class PCAProjection(Projection):
    """The plane of the two largest principal components of the codes.

    Fitted from the codes' scatter matrix, a chunk at a time, so a million codes need
    no float64 copy of them. ``components (2, d)`` has orthonormal rows.
    """

    name = "pca"

    def __init__(self, codes: np.ndarray) -> None:
        mean, scatter = mean_and_scatter(np.asarray(codes))
        values, vectors = np.linalg.eigh(scatter)
        top = vectors[:, np.argsort(-values, kind="stable")].T  # rows: principal directions, largest first
        d = len(mean)
        w = np.zeros((2, d))
        w[: min(2, d)] = top[:2]
        # Fix each component's sign (largest entry positive) so maps repeat across runs.
        for row in w:
            k = np.argmax(np.abs(row))
            if row[k] < 0:
                row *= -1
        self.mean, self.components = mean, w
        self.points = self.project(codes)

    def project(self, codes: np.ndarray) -> np.ndarray:
        """:meth:`forward` of many codes ``(N, d)`` -> ``float32 (N, 2)``, a chunk at a time."""
        out = np.empty((len(codes), 2), np.float32)
        for start in range(0, len(codes), CHUNK):
            out[start : start + CHUNK] = self.forward(codes[start : start + CHUNK])
        return out

    def turned(self, rotation: np.ndarray) -> PCAProjection:
        """The same plane turned by the orthogonal ``rotation (2, 2)``: points ``@ rotation``, still a PCA map."""
        turned = object.__new__(PCAProjection)
        turned.mean = self.mean
        turned.components = np.asarray(rotation, dtype=np.float64).T @ self.components
        turned.points = (self.points.astype(np.float64) @ rotation).astype(np.float32)
        return turned

    def forward(self, z: np.ndarray) -> np.ndarray:
        return (_as_2d(z, len(self.mean)) - self.mean) @ self.components.T

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        z0 = self.mean if anchor is None else np.asarray(anchor, dtype=np.float64).reshape(-1)
        p0 = self.forward(z0)[0]
        return z0 + (_as_2d(p, 2) - p0) @ self.components

    def inverse_plane(self) -> np.ndarray:
        return self.components


class NeighbourProjection(Projection):
    """A map given only as points (t-SNE, UMAP: ``name``), with a Shepard-blend inverse.

    ``inverse`` blends the codes of the ``k`` nearest map points with weights
    ``1 / distance^power``; ``forward`` blends the map points of the ``k`` nearest
    codes the same way, so a code edited elsewhere can be drawn on the map.
    ``codes`` are kept as given (no copy); ``nearest``, the codes' own KD-tree where
    the caller has one, saves building a second. The map's KD-tree is built here, so
    a worker that makes the projection pays for it, not the GUI.
    """

    name = "tsne"
    exact = False

    def __init__(
        self,
        codes: np.ndarray,
        points: np.ndarray,
        k: int = 8,
        power: float = 2.0,
        nearest: NearestCode | None = None,
        note: str = "",
        name: str = "tsne",
    ) -> None:
        if len(codes) != len(points):
            raise ValueError(f"{len(codes)} codes for {len(points)} map points")
        self.codes = np.asarray(codes)
        self.points = np.asarray(points, dtype=np.float32)
        self.k, self.power, self.note, self.name = min(k, len(codes)), power, note, name
        self._codes_index = nearest if nearest is not None else NearestCode(self.codes)
        self._codes_index.build()
        self.point_index().build()
        self.hull()

    @staticmethod
    def _blend(values: np.ndarray, dist: np.ndarray, idx: np.ndarray, power: float) -> np.ndarray:
        dist = dist.reshape(len(dist), -1)
        idx = idx.reshape(len(idx), -1)
        exact = dist[:, 0] <= 1e-12
        w = 1.0 / np.maximum(dist, 1e-12) ** power
        w /= w.sum(axis=1, keepdims=True)
        out = np.einsum("nk,nkd->nd", w, values[idx].astype(np.float64))
        out[exact] = values[idx[exact, 0]]
        return out

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        dist, idx = self.point_index().query(_as_2d(p, 2), k=self.k)
        return self._blend(self.codes, dist, idx, self.power)

    def forward(self, z: np.ndarray) -> np.ndarray:
        dist, idx = self._codes_index.index.query(_as_2d(z, self.codes.shape[1]), k=self.k)
        return self._blend(self.points, dist, idx, self.power)


class Aligned(Projection):
    """``base`` turned by an orthogonal matrix ``rotation (2, 2)``: display = native @ rotation.

    Hover and clicks use the base's KD-tree, turned back: a turn keeps distances.
    """

    def __init__(self, base: Projection, rotation: np.ndarray) -> None:
        self.base, self.rotation = base, np.asarray(rotation, dtype=np.float64)
        self.name, self.exact, self.note = base.name, base.exact, base.note
        self.points = (base.points.astype(np.float64) @ self.rotation).astype(np.float32)

    def nearest_points(self, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.base.nearest_points(_as_2d(p, 2) @ self.rotation.T, k)

    def point_index(self) -> LazyTree:
        return self.base.point_index()

    def hull(self) -> np.ndarray:
        turned = self.base.hull() @ self.rotation
        return turned[::-1].copy() if np.linalg.det(self.rotation) < 0 else turned  # a mirror turns the order

    def forward(self, z: np.ndarray) -> np.ndarray:
        return self.base.forward(z) @ self.rotation

    def inverse(self, p: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        return self.base.inverse(_as_2d(p, 2) @ self.rotation.T, anchor)

    def inverse_plane(self) -> np.ndarray | None:
        return self.base.inverse_plane()


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


def prior_log_density(z: np.ndarray) -> np.ndarray:
    """log N(z; 0, I) for codes ``(n, d)`` -> ``(n,)``, in nats."""
    z = np.asarray(z, dtype=np.float64)
    z = z.reshape(-1, z.shape[-1])
    return -0.5 * (np.sum(z**2, axis=1) + z.shape[1] * np.log(2 * np.pi))
