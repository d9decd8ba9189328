"""The data code nearest to a cursor that moves in one plane of latent space (a PCA map's), at any number of codes.

A PCA map's inverse puts the cursor at ``z = z0 + W^T d``: ``z0`` the anchor's code,
``W (2, dim)`` the map's orthonormal components, ``d (2,)`` the drag. Split each
data code's offset from the anchor into its part in that plane, ``q_i = W (x_i - z0)``,
and its distance from the plane, ``r_i``; then ``|z - x_i|^2 = |d - q_i|^2 + r_i^2``,
the squared distance between the 3-D points ``(d, 0)`` and ``(q_i, r_i)``. A 3-D tree
answers that in a fraction of a millisecond wherever the cursor is, while a tree over
16-D codes, asked about a point away from the data, ends up measuring most of them.
"""

from __future__ import annotations

import sys

import numpy as np

from vae_explorer.core.latent.neighbours import LazyTree, NearestCode

CHUNK = 65_536  # codes lifted at a time: their float64 offsets stay a few MB
CANDIDATES = 8  # nearest lifted points measured again exactly, so rounding never picks a farther code
IN_PLANE = 1e-5  # relative: a code this close to the plane is in it (a float32 cursor is a few 1e-8 off)


class PlaneSearch:
    """Nearest data codes to codes in the plane through ``anchor (dim,)`` spanned by ``components (2, dim)``.

    ``codes (N, dim) float32`` are read, not copied; the index holds ``float64 (N, 3)``
    lifted points (24 MB for a million codes) and its tree. Built on a worker.
    """

    def __init__(self, codes: np.ndarray, anchor: np.ndarray, components: np.ndarray) -> None:
        self.codes = codes
        self.anchor = np.asarray(anchor, dtype=np.float64).reshape(-1).copy()
        self.components = np.asarray(components, dtype=np.float64).reshape(2, -1).copy()
        lifted = np.empty((len(codes), 3))
        for start in range(0, len(codes), CHUNK):
            offsets = codes[start : start + CHUNK].astype(np.float64) - self.anchor
            in_plane = offsets @ self.components.T
            square = np.einsum("ij,ij->i", offsets, offsets) - np.einsum("ij,ij->i", in_plane, in_plane)
            lifted[start : start + CHUNK, :2] = in_plane
            lifted[start : start + CHUNK, 2] = np.sqrt(np.maximum(square, 0.0))
        # scipy's tree at every size: scikit-learn's compact one checks its input for 50 us a query, holding the GIL.
        self.tree = LazyTree(lifted, compact_above=sys.maxsize)
        self.tree.build()
        self._scale = 1.0 + float(np.abs(self.anchor).max(initial=0.0))

    def serves(self, anchor: np.ndarray, components: np.ndarray) -> bool:
        """Whether this index is of the plane through ``anchor`` spanned by ``components`` (equal values)."""
        anchor = np.asarray(anchor, dtype=np.float64).reshape(-1)
        components = np.asarray(components, dtype=np.float64).reshape(2, -1)
        return np.array_equal(self.anchor, anchor) and np.array_equal(self.components, components)

    def query(self, z: np.ndarray) -> tuple[int, float] | None:
        """The nearest data code to ``z (dim,)`` -> ``(index, distance)``; None when ``z`` is not in the plane."""
        offset = np.asarray(z, dtype=np.float64).reshape(-1) - self.anchor
        if offset.shape != self.anchor.shape:
            return None
        d = self.components @ offset
        if np.linalg.norm(offset - d @ self.components) > IN_PLANE * (self._scale + np.linalg.norm(offset)):
            return None
        _, idx = self.tree.query(np.array([[d[0], d[1], 0.0]]), k=min(CANDIDATES, len(self.codes)))
        candidates = idx[0]
        exact = np.linalg.norm(self.codes[candidates].astype(np.float64) - (offset + self.anchor), axis=1)
        best = np.lexsort((candidates, exact))[0]  # ties to the lower index, as the other searches
        return int(candidates[best]), float(exact[best])


def prepare_plane(nearest: NearestCode, anchor: np.ndarray, components: np.ndarray) -> None:
    """Make ``nearest``'s queries in the plane through ``anchor`` along ``components`` quick (on a worker).

    Only where the codes are many enough to need a tree; it replaces the plane prepared before.
    """
    plane = nearest.plane
    if len(nearest.codes) <= nearest.index.exhaustive_upto:
        return
    if not (isinstance(plane, PlaneSearch) and plane.serves(anchor, components)):
        nearest.plane = PlaneSearch(nearest.codes, anchor, components)
