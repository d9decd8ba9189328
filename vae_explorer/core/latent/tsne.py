"""t-SNE maps of latent codes with openTSNE, cached on disk.

The cache key joins the checkpoint's digest, the data's fingerprint and the
t-SNE parameters, so a second launch on the same pair and data is instant and
any change recomputes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.io.cache import entry_path, load_entry, save_entry


@dataclass(frozen=True)
class TSNEParams:
    perplexity: float = 30.0
    early_iter: int = 250
    n_iter: int = 500
    seed: int = 0

    @property
    def total_iter(self) -> int:
        return self.early_iter + self.n_iter


def cache_path(model_digest: str, data_fingerprint: str, params: TSNEParams, n: int) -> Path:
    return entry_path("tsne", {"model": model_digest, "data": data_fingerprint, "n": n, **asdict(params)})


def load_cached(path: Path, n: int) -> np.ndarray | None:
    """The cached embedding ``(n, 2)``, or ``None`` when absent or unreadable (then it is recomputed)."""
    entry = load_entry(path)
    arr = None if entry is None else entry.get("embedding")
    return arr if arr is not None and arr.shape == (n, 2) and np.isfinite(arr).all() else None


def compute_tsne(
    codes: np.ndarray,
    params: TSNEParams = TSNEParams(),
    progress: Callable[[float, np.ndarray | None], None] | None = None,
    cancel: threading.Event | None = None,
    n_jobs: int = -1,
) -> np.ndarray:
    """Embed ``codes (N, d)`` in 2-D -> ``float32 (N, 2)``.

    ``progress(fraction, partial_embedding)`` is called every 25 iterations with
    the current map, so a view can animate it; setting ``cancel`` raises
    :class:`~vae_explorer.core.codes.Cancelled` at the next call.
    """
    from openTSNE import TSNE
    from openTSNE.tsne import OptimizationInterrupt

    n = len(codes)
    if n < 5:
        raise ValueError(f"t-SNE needs at least 5 points, not {n}")
    perplexity = min(params.perplexity, max((n - 1) / 3.0, 1.0))
    state = {"phase": 0, "last": 0}

    def callback(iteration: int, error: float, embedding: np.ndarray) -> bool:
        if iteration < state["last"]:  # the second phase restarts its count
            state["phase"] = 1
        state["last"] = iteration
        done = iteration + (params.early_iter if state["phase"] else 0)
        if progress is not None:
            progress(min(done / params.total_iter, 1.0), np.asarray(embedding, dtype=np.float32))
        return bool(cancel is not None and cancel.is_set())

    tsne = TSNE(
        n_components=2,
        perplexity=perplexity,
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
    return np.asarray(embedding, dtype=np.float32)


def tsne_cached(
    codes: np.ndarray,
    model_digest: str,
    data_fingerprint: str,
    params: TSNEParams = TSNEParams(),
    progress: Callable[[float, np.ndarray | None], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[np.ndarray, bool]:
    """The t-SNE map of ``codes`` from the cache, else computed and cached -> ``(map, from_cache)``."""
    path = cache_path(model_digest, data_fingerprint, params, len(codes))
    cached = load_cached(path, len(codes))
    if cached is not None:
        return cached, True
    embedding = compute_tsne(codes, params, progress, cancel)
    save_entry(path, embedding=embedding)
    return embedding, False
