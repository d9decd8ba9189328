"""UMAP maps of latent codes with umap-learn, cached on disk like t-SNE's, at any size.

Up to ``UMAPParams.fit_max`` codes, every code is fitted. Above it, a seeded sample
of ``UMAPParams.sample`` codes is fitted and the others are placed into that map by
UMAP's own ``transform``, a chunk at a time, so progress and a partial map come
throughout and cancel is honoured within a chunk. The inverse for the drag is the
same Shepard blend of the nearest map points' codes as t-SNE's (approximate).

umap-learn is imported only here, on a worker: importing it pulls in numba, and its
first use in a fresh install compiles for about a minute (numba keeps what it compiled
in its cache folder; the app's own cache folder where umap's is not writable).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.io.safe_write import write_bytes
from vae_explorer.core.io.user_dirs import cache_dir
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import NeighbourProjection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.latent.tsne import Progress, cached_embedding, map_cache_path, sample_order

METHOD = 1  # in the cache key: how a map is made; a change of it must not show maps made the old way
TRANSFORM_CHUNK = 10_000  # codes placed at a time: progress and cancel between chunks
TRANSFORM_COST = 0.4  # a placed code costs about as much as this many fitted code-epochs (for progress)
COMPILING = "compiling UMAP on first use, about a minute"


@dataclass(frozen=True)
class UMAPParams:
    """umap-learn's settings; above ``fit_max`` codes, ``sample`` codes are fitted and the rest transformed."""

    n_neighbors: int = 15
    min_dist: float = 0.1
    n_epochs: int = 200
    seed: int = 0
    fit_max: int = 20_000
    sample: int = 10_000

    def fitted(self, n: int) -> int:
        """How many of ``n`` codes are fitted (the others are placed by ``transform``)."""
        return n if n <= self.fit_max else min(self.sample, n)


def cache_path(model_digest: str, data_fingerprint: str, params: UMAPParams, n: int) -> Path:
    return map_cache_path("umap", model_digest, data_fingerprint, n, METHOD, params)


def _compiled_marker() -> Path:
    """A file whose presence says numba has compiled this umap-learn once for this user (read without importing)."""
    from importlib.metadata import version

    return cache_dir() / "umap" / f"compiled-{version('umap-learn')}-{version('numba')}"


def first_use() -> bool:
    """Whether making a UMAP map now will compile umap-learn first (no process and no earlier run has)."""
    try:
        return not _compiled_marker().exists()
    except Exception:  # noqa: BLE001 - a missing distribution: the import will say so
        return True


def prepare_numba() -> None:
    """Point numba's cache at the app's cache folder when umap-learn's own folder cannot be written.

    numba keeps compiled code beside the module (``__pycache__``); in a system install
    that is read-only and every launch would compile again. Before numba is imported.
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    spec = importlib.util.find_spec("umap")
    origin = Path(spec.origin).parent if spec is not None and spec.origin else None
    if origin is None or not os.access(origin, os.W_OK):
        folder = cache_dir() / "numba"
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["NUMBA_CACHE_DIR"] = str(folder)


class _EpochSink:
    """A file for umap-learn's tqdm bar: each line it writes is ``done/total`` epochs, turned into progress.

    It is the one hook umap-learn offers into its epochs: cancel is raised from here, once
    (tqdm writes again as it closes).
    """

    def __init__(self, report: Callable[[float], None], cancel: threading.Event | None) -> None:
        self.report, self.cancel, self.stopped = report, cancel, False

    def write(self, text: str) -> None:
        match = re.search(r"(\d+)/(\d+)", text)
        if match and int(match.group(2)):
            self.report(int(match.group(1)) / int(match.group(2)))
        if not self.stopped and self.cancel is not None and self.cancel.is_set():
            self.stopped = True
            raise Cancelled()

    def flush(self) -> None:
        pass


def compute_umap(
    codes: np.ndarray,
    params: UMAPParams = UMAPParams(),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> np.ndarray:
    """Embed ``codes (N, d)`` in 2-D with UMAP -> ``float32 (N, 2)``.

    ``progress(fraction, partial)`` as it goes (a :class:`PartialMap` once the sample is
    fitted, with the placed codes as they come); ``cancel`` raises
    :class:`~vae_explorer.core.errors.Cancelled` soon after it is set.
    """
    n = len(codes)
    if n < 5:
        raise ValueError(f"UMAP needs at least 5 points, not {n}")
    m = params.fitted(n)
    order = sample_order(n, m, params.seed)
    costs = np.array([m * params.n_epochs, (n - m) * TRANSFORM_COST], dtype=np.float64)
    start_of = np.concatenate([[0.0], np.cumsum(costs) / costs.sum()])
    fitting = f"fitting {m:,} codes" + ("" if m == n else f" (a sample of {n:,})")

    def report(stage: int, fraction: float, partial: PartialMap | None = None) -> None:
        if progress is not None:
            progress(start_of[stage] + (start_of[stage + 1] - start_of[stage]) * fraction, partial)

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled()

    compiling = first_use()
    if progress is not None:
        progress(0.0, PartialMap(order[:0], np.zeros((0, 2), np.float32), n, COMPILING if compiling else fitting))
    prepare_numba()
    import umap  # noqa: PLC0415 - numba and pynndescent: never on the start-up path

    check()
    sink = _EpochSink(lambda f: report(0, f), cancel)
    reducer = umap.UMAP(
        n_neighbors=min(params.n_neighbors, m - 1), min_dist=params.min_dist, n_epochs=params.n_epochs,
        random_state=params.seed, n_jobs=1, low_memory=True,
        tqdm_kwds={"disable": False, "file": sink, "mininterval": 0, "bar_format": "{n}/{total}"},
    )  # fmt: skip
    try:
        fitted = np.asarray(reducer.fit_transform(np.asarray(codes[order[:m]], dtype=np.float32)), dtype=np.float32)
    except Cancelled:
        _release_bar_lock()
        raise
    check()
    if compiling:
        _remember_compiled()
    placed = np.empty((n, 2), np.float32)  # in the order of ``order``
    placed[:m] = fitted
    report(1 if m == n else 0, 1.0, PartialMap(order[:m], placed[:m], n, fitting))
    for start in range(m, n, TRANSFORM_CHUNK):
        stop = min(start + TRANSFORM_CHUNK, n)
        sink.report = lambda f, a=start, b=stop: report(1, ((a - m) + f * (b - a)) / (n - m))
        placed[start:stop] = reducer.transform(np.asarray(codes[order[start:stop]], dtype=np.float32))
        check()
        report(1, (stop - m) / (n - m), PartialMap(order[:stop], placed[:stop], n, f"placing: {stop:,} of {n:,}"))
    out = np.empty((n, 2), np.float32)
    out[order] = placed
    return out


def _release_bar_lock() -> None:
    """Give back tqdm's process-wide write lock after a cancel raised from the bar's file.

    tqdm holds that lock while it writes and, in ``refresh``, releases it only when the
    write returns: raised from :class:`_EpochSink`, the cancel leaves it held by this thread,
    and the next UMAP on any other thread would wait for it forever. A lock this thread does
    not hold is left as it is (releasing it raises, and is ignored).
    """
    from tqdm import tqdm  # noqa: PLC0415 - imported by umap-learn already

    for lock in reversed(getattr(tqdm.get_lock(), "locks", [])):
        with contextlib.suppress(AssertionError, RuntimeError, ValueError):  # not held here
            lock.release()


def _remember_compiled() -> None:
    try:
        marker = _compiled_marker()
        marker.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(marker, b"")
    except Exception:  # noqa: BLE001 - the note on the next launch is all that is lost
        pass


def umap_projection(
    codes: np.ndarray, points: np.ndarray, params: UMAPParams, nearest: NearestCode | None = None
) -> NeighbourProjection:
    """The UMAP map as the explorer uses it (with t-SNE's approximate inverse), saying how it was made."""
    n, m = len(codes), params.fitted(len(codes))
    note = "" if m == n else f"{m:,} sampled codes fitted, the other {n - m:,} placed by UMAP's transform"
    return NeighbourProjection(codes, points, nearest=nearest, note=note, name="umap")


def umap_cached(
    codes: np.ndarray,
    model_digest: str,
    data_fingerprint: str,
    params: UMAPParams = UMAPParams(),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[np.ndarray, bool]:
    """The UMAP map of ``codes`` from the cache, else computed and cached -> ``(map, from_cache)``."""
    path = cache_path(model_digest, data_fingerprint, params, len(codes))
    return cached_embedding(path, len(codes), lambda: compute_umap(codes, params, progress, cancel))
