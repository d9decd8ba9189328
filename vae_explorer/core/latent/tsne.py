"""t-SNE maps of latent codes with openTSNE, cached on disk, at any size.

Up to ``TSNEParams.fit_max`` codes, every code is fitted. Above it, a seeded sample
of ``TSNEParams.sample`` codes is fitted and the others are placed into that map
(each starts where its nearest sampled codes lie and moves briefly against the
fitted map alone), a chunk at a time, so a million codes need neither a
million-point affinity matrix nor a float64 copy of the codes; up to
``TSNEParams.settle_max`` codes all then settle together for a few steps, which
gives each code its own neighbours back (see :mod:`.tsne_place`). Progress and partial maps come throughout; cancel
is honoured within a chunk.

The cache key joins the checkpoint's digest, the data's fingerprint, the t-SNE
parameters and the way maps are made (:data:`METHOD`), so a second launch on the
same pair and data is instant and any change recomputes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.io.cache import entry_path, load_entry, save_entry
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import NeighbourProjection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.latent.tsne_place import Placer, settle

PLACE_CHUNK = 50_000  # codes placed at a time: bounds the memory of their affinities, amortizes each step
PLACE_COST = 15  # a placed code costs about as much as this many fitted code-iterations (for progress)
AFFINITY_COST = 50  # ... and the affinities of all codes, before they settle, as this many iterations of each
METHOD = 4  # in the cache key: how a map is made; a change of it must not show maps made the old way

Progress = Callable[[float, PartialMap | None], None]


@dataclass(frozen=True)
class TSNEParams:
    """openTSNE's settings; above ``fit_max`` codes, a sample is fitted and the rest placed in ``place_iter`` steps.

    Up to ``settle_max`` codes (the affinities of all need memory), all then settle together
    in ``settle_iter`` steps, which gives each code its own neighbours: the sample only lays
    out the whole, so ``settle_sample`` codes are fitted, in half the iterations. Above it,
    ``sample`` codes are fitted in full.
    """

    perplexity: float = 30.0
    early_iter: int = 250
    n_iter: int = 500
    seed: int = 0
    fit_max: int = 20_000
    sample: int = 10_000
    place_iter: int = 50
    settle_iter: int = 100
    settle_max: int = 250_000
    settle_sample: int = 5_000

    @property
    def total_iter(self) -> int:
        return self.early_iter + self.n_iter

    def fitted(self, n: int) -> int:
        """How many of ``n`` codes are fitted (the others are placed)."""
        return n if n <= self.fit_max else min(self.settle_sample if self.settled(n) else self.sample, n)

    def settled(self, n: int) -> bool:
        """Whether ``n`` codes, some of them placed, settle together at the end."""
        return self.fit_max < n <= self.settle_max and self.settle_iter > 0 and self.settle_sample < n

    def sample_fit(self, n: int) -> TSNEParams:
        """The settings the sample of ``n`` codes is fitted with: half the iterations when all settle after."""
        return replace(self, early_iter=self.early_iter // 2, n_iter=self.n_iter // 2) if self.settled(n) else self


def threads_each(maps: int) -> int:
    """Threads for each of ``maps`` t-SNE maps made at once: the cores shared out, at least one each.

    openTSNE's threads share its work poorly (two threads on one 10,000-code fit take
    a quarter more CPU time than one), so two maps do best side by side on half the cores each.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores // max(maps, 1))


def cache_path(model_digest: str, data_fingerprint: str, params: TSNEParams, n: int) -> Path:
    return map_cache_path("tsne", model_digest, data_fingerprint, n, METHOD, params)


def map_cache_path(kind: str, model_digest: str, data_fingerprint: str, n: int, method: int, params) -> Path:
    """Where the ``kind`` map (t-SNE, UMAP) of ``n`` codes is kept: keyed by all it was made from."""
    key = {"model": model_digest, "data": data_fingerprint, "n": n, "method": method, **asdict(params)}
    return entry_path(kind, key)


def cached_embedding(path: Path, n: int, compute: Callable[[], np.ndarray]) -> tuple[np.ndarray, bool]:
    """The ``(n, 2)`` map kept at ``path``, else ``compute()``'s, kept there then -> ``(map, from_cache)``."""
    cached = load_cached(path, n)
    if cached is not None:
        return cached, True
    embedding = compute()
    save_entry(path, embedding=embedding)
    return embedding, False


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
    order = sample_order(n, m, params.seed)
    costs = np.array([m * params.sample_fit(n).total_iter, (n - m) * PLACE_COST, 0.0])
    if params.settled(n):
        costs[2] = n * (params.settle_iter + AFFINITY_COST)
    shares = np.concatenate([[0.0], np.cumsum(costs) / costs.sum()])  # where each stage's progress starts

    def report(stage: int, fraction: float, points: np.ndarray, done: int, note: str) -> None:
        if progress is not None:
            f = shares[stage] + (shares[stage + 1] - shares[stage]) * fraction
            progress(f, PartialMap(order[:done], points[:done], n, note))

    fitting = f"fitting {m:,} codes" + ("" if m == n else f" (a sample of {n:,})")
    fit = params.sample_fit(n)
    fitted = _fit(codes[order[:m]], fit, lambda f, pts: report(0, f, pts, m, fitting), cancel, n_jobs)
    placed = np.empty((n, 2), np.float32)  # in the order of ``order``
    placed[:m] = fitted
    placer = Placer(fitted, codes[order[:m]], params.place_iter, n_jobs) if m < n else None
    for start in range(m, n, PLACE_CHUNK):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        stop = min(start + PLACE_CHUNK, n)
        placed[start:stop] = placer.place(codes[order[start:stop]], cancel)
        report(1, (stop - m) / (n - m), placed, stop, f"placing: {stop:,} of {n:,} shown")
    if params.settled(n):
        note = f"settling all {n:,} codes"
        placed = settle(
            codes[order], placed, params.settle_iter, params.seed,
            lambda f, pts: report(2, f, pts, n, note), cancel, n_jobs,
        )  # fmt: skip
    out = np.empty((n, 2), np.float32)
    out[order] = placed
    return out


def sample_order(n: int, m: int, seed: int) -> np.ndarray:
    """All ``n`` rows, a seeded sample of ``m`` of them first (sorted), then the others (sorted)."""
    if m >= n:
        return np.arange(n)
    chosen = np.zeros(n, bool)
    chosen[np.random.default_rng(seed).choice(n, m, replace=False)] = True
    return np.concatenate([np.flatnonzero(chosen), np.flatnonzero(~chosen)])


def tsne_projection(codes: np.ndarray, points: np.ndarray, params: TSNEParams, nearest: NearestCode | None = None):
    """The t-SNE map as the explorer uses it (with its inverse), saying in its note how it was made."""
    n, m = len(codes), params.fitted(len(codes))
    note = "" if m == n else f"{m:,} sampled codes fitted, the other {n - m:,} placed by their neighbours"
    if params.settled(n):
        note += ", then all settled together"
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
    return cached_embedding(path, len(codes), lambda: compute_tsne(codes, params, progress, cancel, n_jobs))
