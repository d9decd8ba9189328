"""A sample's nearest samples in each model's latent space (not on the map), and which of them both models share.

The AE and the VAE each put the same images somewhere in their own latent space; a
sample's k nearest codes say what the model thinks is similar to it. Side by side,
the neighbours both models agree on are marked ``shared``. Distances are Euclidean
between codes (mu), in each model's own units, so they compare within a list, not
across the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vae_explorer.core.latent.neighbours import LazyTree

DEFAULT_K = 8
MAX_K = 100


@dataclass(frozen=True)
class Neighbour:
    """One near sample: its data row, its distance to the query's code, and whether the other model lists it too."""

    index: int
    distance: float
    shared: bool = False


@dataclass(frozen=True)
class NeighbourLists:
    """The ``k`` nearest samples of sample ``query`` for each side (``lists[slot]``, nearest first)."""

    query: int
    k: int
    lists: dict[str, tuple[Neighbour, ...]]

    def shared(self) -> int:
        """How many neighbours every listed side agrees on."""
        sides = [{n.index for n in found} for found in self.lists.values()]
        return len(set.intersection(*sides)) if sides else 0


def nearest_samples(
    codes: np.ndarray, query: int, k: int, index: LazyTree | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` samples whose codes lie nearest to sample ``query``'s, itself left out.

    ``codes: (N, d)``; ``index``: the codes' own search index where the caller has one
    (a KD-tree above 20,000 codes, built once on a worker). Returns ``(rows (k,) int64,
    distances (k,) float64)``, nearest first (ties to the lower row); fewer when the data is smaller.
    """
    n = len(codes)
    if not 0 <= query < n:
        raise IndexError(f"sample {query} is not among the {n} samples")
    k = max(0, min(int(k), n - 1))
    if k == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    index = index if index is not None else LazyTree(codes)
    dist, rows = index.query(np.asarray(codes[query]).reshape(1, -1), k=k + 1)
    dist, rows = dist[0], rows[0]
    keep = rows != query
    if keep.all():  # the query lost its own place to an equal code: drop the farthest instead
        keep[-1] = False
    order = np.lexsort((rows[keep], dist[keep]))
    return rows[keep][order].astype(np.int64), dist[keep][order]


def neighbour_lists(
    codes: dict[str, np.ndarray], query: int, k: int, indexes: dict[str, LazyTree | None] | None = None
) -> NeighbourLists:
    """Each side's ``k`` nearest samples of ``query`` (``codes[slot]: (N, d)``), those on every list marked shared."""
    found = {slot: nearest_samples(c, query, k, (indexes or {}).get(slot)) for slot, c in codes.items()}
    sets = [set(rows.tolist()) for rows, _ in found.values()]
    common = set.intersection(*sets) if len(sets) > 1 else set()
    lists = {
        slot: tuple(Neighbour(int(r), float(d), int(r) in common) for r, d in zip(rows, dist, strict=True))
        for slot, (rows, dist) in found.items()
    }
    return NeighbourLists(query, k, lists)
