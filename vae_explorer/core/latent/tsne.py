"""t-SNE maps of latent codes with openTSNE, cached on disk, at any size.

Up to ``TSNEParams.fit_max`` codes, every code is fitted. Above it, a seeded sample
of ``TSNEParams.sample`` codes is fitted and the others are placed into that map
(see :class:`_Placer`: each starts at the affinity-weighted mean of its nearest
sampled codes' places and is then optimized briefly against the fitted map alone),
a chunk at a time, so a million codes need neither a million-point affinity matrix
nor a float64 copy of the codes. Progress and partial maps come throughout; cancel
is honoured within a chunk.

The cache key joins the checkpoint's digest, the data's fingerprint, the t-SNE
parameters and the way maps are made (:data:`METHOD`), so a second launch on the
same pair and data is instant and any change recomputes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.io.cache import entry_path, load_entry, save_entry
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import NeighbourProjection
from vae_explorer.core.latent.stream import PartialMap

PLACE_CHUNK = 50_000  # codes placed at a time: bounds the memory of their affinities, amortizes each step
PLACE_COST = 15  # a placed code costs about as much as this many fitted code-iterations (for progress)
PLACE_PERPLEXITY = 5  # of a placed code's affinities to its nearest sampled codes
METHOD = 2  # in the cache key: how a map is made; a change of it must not show maps made the old way

Progress = Callable[[float, PartialMap | None], None]


@dataclass(frozen=True)
class TSNEParams:
    """openTSNE's settings; above ``fit_max`` codes, ``sample`` are fitted and the rest placed in ``place_iter``."""

    perplexity: float = 30.0
    early_iter: int = 250
    n_iter: int = 500
    seed: int = 0
    fit_max: int = 20_000
    sample: int = 10_000
    place_iter: int = 50

    @property
    def total_iter(self) -> int:
        return self.early_iter + self.n_iter

    def fitted(self, n: int) -> int:
        """How many of ``n`` codes are fitted (the others are placed)."""
        return n if n <= self.fit_max else min(self.sample, n)


def threads_each(maps: int) -> int:
    """Threads for each of ``maps`` t-SNE maps made at once: the cores shared out, at least one each.

    openTSNE's threads share its work poorly (two threads on one 10,000-code fit take
    a quarter more CPU time than one), so two maps do best side by side on half the cores each.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores // max(maps, 1))


def cache_path(model_digest: str, data_fingerprint: str, params: TSNEParams, n: int) -> Path:
    key = {"model": model_digest, "data": data_fingerprint, "n": n, "method": METHOD, **asdict(params)}
    return entry_path("tsne", key)


def load_cached(path: Path, n: int) -> np.ndarray | None:
    """The cached embedding ``(n, 2)``, or ``None`` when absent or unreadable (then it is recomputed)."""
    entry = load_entry(path)
    arr = None if entry is None else entry.get("embedding")
    return arr if arr is not None and arr.shape == (n, 2) and np.isfinite(arr).all() else None


def _fit(
    codes: np.ndarray,
    params: TSNEParams,
    report: Callable[[float, np.ndarray], None],
    cancel: threading.Event | None,
    n_jobs: int,
):
    """openTSNE's fit of ``codes (n, d)`` -> its embedding, centred; ``report(fraction of the fit, points)``."""
    from openTSNE import TSNE
    from openTSNE.tsne import OptimizationInterrupt

    n = len(codes)
    state = {"phase": 0, "last": 0}

    def callback(iteration: int, error: float, embedding: np.ndarray) -> bool:
        if iteration < state["last"]:  # the second phase restarts its count
            state["phase"] = 1
        state["last"] = iteration
        done = iteration + (params.early_iter if state["phase"] else 0)
        report(min(done / params.total_iter, 1.0), np.asarray(embedding, dtype=np.float32))
        return bool(cancel is not None and cancel.is_set())

    tsne = TSNE(
        n_components=2,
        perplexity=min(params.perplexity, max((n - 1) / 3.0, 1.0)),
        early_exaggeration_iter=params.early_iter,
        n_iter=params.n_iter,
        random_state=params.seed,
        n_jobs=n_jobs,
        callbacks=callback,
        callbacks_every_iters=25,
        verbose=False,
    )
    try:
        embedding = tsne.fit(np.asarray(codes, dtype=np.float64))
    except OptimizationInterrupt:
        raise Cancelled() from None
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    embedding -= (embedding.max(axis=0) + embedding.min(axis=0)) / 2  # as placing would centre it
    return embedding


class _Placer:
    """Places codes into the fitted map: each starts where its nearest sampled codes' affinities put it, then moves
    briefly against the fitted map alone (openTSNE's partial optimization).

    The neighbours come from an exact tree over the sampled codes, and their affinities (perplexity
    :data:`PLACE_PERPLEXITY`) weigh the starting point: openTSNE's ``transform`` asks its approximate
    index, which took most of the time, and starts at the neighbours' median.
    """

    def __init__(self, embedding, sampled: np.ndarray, params: TSNEParams, n_jobs: int) -> None:
        from scipy.spatial import cKDTree

        self.embedding, self.params, self.n_jobs = embedding, params, n_jobs
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
        if self.params.place_iter <= 0:
            return np.asarray(part, dtype=np.float32)

        def callback(iteration: int, error: float, points: np.ndarray) -> bool:
            return bool(cancel is not None and cancel.is_set())

        try:
            part = part.optimize(
                n_iter=self.params.place_iter, learning_rate=0.1, exaggeration=1.5, momentum=0.8,
                max_grad_norm=0.25, inplace=True, propagate_exception=True, callbacks=callback,
                callbacks_every_iters=10, n_jobs=self.n_jobs,
            )  # fmt: skip
        except OptimizationInterrupt:
            raise Cancelled() from None
        return np.asarray(part, dtype=np.float32)


def compute_tsne(
    codes: np.ndarray,
    params: TSNEParams = TSNEParams(),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    n_jobs: int = -1,
) -> np.ndarray:
    """Embed ``codes (N, d)`` in 2-D -> ``float32 (N, 2)``.

    ``progress(fraction, partial)`` is called as it goes with the map so far (a
    :class:`PartialMap`), so a view can animate it; setting ``cancel`` raises
    :class:`~vae_explorer.core.errors.Cancelled` soon after. ``n_jobs``: threads
    (-1: every core); two maps made at once do best with half the cores each.
    """
    n = len(codes)
    if n < 5:
        raise ValueError(f"t-SNE needs at least 5 points, not {n}")
    m = params.fitted(n)
    rng = np.random.default_rng(params.seed)
    order = np.arange(n) if m == n else np.concatenate(_split(rng, n, m))  # fitted rows first, then placed ones
    fit_share = m * params.total_iter / (m * params.total_iter + (n - m) * PLACE_COST)

    def report(fraction: float, points: np.ndarray, done: int, note: str) -> None:
        if progress is not None:
            progress(fraction, PartialMap(order[:done], points[:done], n, note))

    fitting = f"fitting {m:,} codes" + ("" if m == n else f" (a sample of {n:,})")
    fitted = _fit(codes[order[:m]], params, lambda f, pts: report(f * fit_share, pts, m, fitting), cancel, n_jobs)
    placed = np.empty((n, 2), np.float32)  # in the order of ``order``
    placed[:m] = fitted
    placer = _Placer(fitted, codes[order[:m]], params, n_jobs) if m < n else None
    for start in range(m, n, PLACE_CHUNK):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        stop = min(start + PLACE_CHUNK, n)
        placed[start:stop] = placer.place(codes[order[start:stop]], cancel)
        report(fit_share + (1 - fit_share) * (stop - m) / (n - m), placed, stop, f"placing: {stop:,} of {n:,} shown")
    out = np.empty((n, 2), np.float32)
    out[order] = placed
    return out


def _split(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded sample of ``m`` of ``n`` rows (sorted) and the other rows (sorted)."""
    chosen = np.zeros(n, bool)
    chosen[rng.choice(n, m, replace=False)] = True
    return np.flatnonzero(chosen), np.flatnonzero(~chosen)


def tsne_projection(codes: np.ndarray, points: np.ndarray, params: TSNEParams, nearest: NearestCode | None = None):
    """The t-SNE map as the explorer uses it (with its inverse), saying in its note how it was made."""
    n, m = len(codes), params.fitted(len(codes))
    note = "" if m == n else f"{m:,} sampled codes fitted, the other {n - m:,} placed by their neighbours"
    return NeighbourProjection(codes, points, nearest=nearest, note=note)


def tsne_cached(
    codes: np.ndarray,
    model_digest: str,
    data_fingerprint: str,
    params: TSNEParams = TSNEParams(),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    n_jobs: int = -1,
) -> tuple[np.ndarray, bool]:
    """The t-SNE map of ``codes`` from the cache, else computed and cached -> ``(map, from_cache)``."""
    path = cache_path(model_digest, data_fingerprint, params, len(codes))
    cached = load_cached(path, len(codes))
    if cached is not None:
        return cached, True
    embedding = compute_tsne(codes, params, progress, cancel, n_jobs)
    save_entry(path, embedding=embedding)
    return embedding, False
