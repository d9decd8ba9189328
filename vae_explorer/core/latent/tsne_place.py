"""Placing codes into a t-SNE map fitted on a sample of them, then settling all of them together.

Placing alone (:class:`Placer`) puts each code where its nearest sampled codes lie:
the map's large shape is right, but codes placed between the same sampled codes
crowd together in no particular order, so a code's nearest points on the map are
seldom its nearest codes. Settling (:func:`settle`) then runs t-SNE on all codes for
a short while, starting from the placed map: each code's own neighbours pull it into
place, as a full fit would, at a fraction of a full fit's cost (the large shape
needs no early exaggeration: it is there already).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from vae_explorer.core.errors import Cancelled

PLACE_PERPLEXITY = 5  # of a placed code's affinities to its nearest sampled codes
SETTLE_NEIGHBOURS = 10  # each code settles with its 10 nearest codes, all weighed alike
EVERY = 25  # iterations between two reports of a settling map


class Placer:
    """Places codes into the fitted map: each starts at its nearest sampled codes' places, weighed by their
    affinities, then moves ``steps`` steps against the fitted map alone (openTSNE's partial optimization).

    The neighbours come from an exact tree over the sampled codes: openTSNE's ``transform``
    asks its approximate index, which took most of its time, and starts at their median.
    """

    def __init__(self, embedding, sampled: np.ndarray, steps: int, n_jobs: int) -> None:
        from scipy.spatial import cKDTree

        self.embedding, self.steps, self.n_jobs = embedding, steps, n_jobs
        self.tree = cKDTree(np.asarray(sampled, dtype=np.float64))
        self.k = min(3 * PLACE_PERPLEXITY, len(sampled))

    def place(self, codes: np.ndarray, cancel: threading.Event | None) -> np.ndarray:
        """Positions ``float32 (n, 2)`` of ``codes (n, d)`` in the fitted map."""
        from openTSNE.affinity import joint_probabilities_nn
        from openTSNE.tsne import OptimizationInterrupt, PartialTSNEEmbedding

        distances, neighbours = self.tree.query(np.asarray(codes, dtype=np.float64), k=self.k, workers=self.n_jobs)
        neighbours, distances = neighbours.reshape(len(codes), -1), distances.reshape(len(codes), -1)
        affinities = joint_probabilities_nn(
            neighbours, distances, [min(PLACE_PERPLEXITY, self.k / 3)], symmetrize=False,
            normalization="point-wise", n_reference_samples=len(self.embedding), n_jobs=self.n_jobs,
        )  # fmt: skip
        start = np.ascontiguousarray(affinities @ np.asarray(self.embedding))  # rows sum to 1: a weighted mean
        part = PartialTSNEEmbedding(start, self.embedding, affinities, **self.embedding.gradient_descent_params)
        if self.steps <= 0:
            return np.asarray(part, dtype=np.float32)
        try:
            part = part.optimize(
                n_iter=self.steps, learning_rate=0.1, exaggeration=1.5, momentum=0.8, max_grad_norm=0.25,
                inplace=True, propagate_exception=True, callbacks=_stopper(cancel), callbacks_every_iters=10,
                n_jobs=self.n_jobs,
            )  # fmt: skip
        except OptimizationInterrupt:
            raise Cancelled() from None
        return np.asarray(part, dtype=np.float32)


def settle(
    codes: np.ndarray,
    start: np.ndarray,
    steps: int,
    seed: int,
    report: Callable[[float, np.ndarray], None],
    cancel: threading.Event | None,
    n_jobs: int,
) -> np.ndarray:
    """``steps`` iterations of t-SNE of all ``codes (n, d)`` from the map ``start (n, 2)`` -> ``float32 (n, 2)``.

    The affinities join each code to its :data:`SETTLE_NEIGHBOURS` nearest codes with
    equal weights (openTSNE's uniform affinities): an eighth of the memory and time of
    perplexity 30's 90 neighbours, and the map keeps more of each code's 10 nearest
    (0.44 against 0.43 on 10,000 codes, 0.48 for a full fit).

    ``report(fraction, points)``: after the affinities, every :data:`EVERY` iterations and at the end.
    """
    from openTSNE import TSNEEmbedding
    from openTSNE.affinity import Uniform
    from openTSNE.nearest_neighbors import PrecomputedNeighbors
    from openTSNE.tsne import OptimizationInterrupt
    from scipy.spatial import cKDTree

    # Each code's nearest codes, itself left out, from an exact tree: half the time of openTSNE's approximate index.
    k = min(SETTLE_NEIGHBOURS, len(codes) - 1)
    distances, neighbours = cKDTree(np.asarray(codes, dtype=np.float64)).query(codes, k=k + 1, workers=n_jobs)
    others = neighbours != np.arange(len(codes))[:, None]
    others[others.all(axis=1), -1] = False  # a code among many equal ones may be missing from its own list
    shape = (len(codes), k)
    affinities = Uniform(
        knn_index=PrecomputedNeighbors(neighbours[others].reshape(shape), distances[others].reshape(shape))
    )
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    report(0.0, start)
    stop = _stopper(cancel)

    def callback(iteration: int, error: float, embedding: np.ndarray) -> bool:
        report(min(iteration / steps, 1.0), np.asarray(embedding, dtype=np.float32))
        return stop(iteration, error, embedding)

    embedding = TSNEEmbedding(np.asarray(start, dtype=np.float64), affinities, n_jobs=n_jobs, random_state=seed)
    try:
        embedding.optimize(
            n_iter=steps, inplace=True, propagate_exception=True, callbacks=callback, callbacks_every_iters=EVERY
        )
    except OptimizationInterrupt:
        raise Cancelled() from None
    out = np.asarray(embedding, dtype=np.float32)
    report(1.0, out)
    return out


def _stopper(cancel: threading.Event | None) -> Callable[[int, float, np.ndarray], bool]:
    """An openTSNE callback that stops the optimization once ``cancel`` is set."""
    return lambda iteration, error, points: bool(cancel is not None and cancel.is_set())
