"""UMAP beside t-SNE, as the explorer makes them, at 10,000 and 70,000 codes; and UMAP's first-use compile time.

The codes are the shipped VAE's (mu) of Fashion-MNIST images (70,000: train and
test). Each map is made as the explorer makes it (its default settings: above
20,000 codes a sample is fitted and the rest placed), median of several runs. The
compile time is measured apart, in fresh processes: with an empty numba cache (a
first launch after installing) and with the cache that run left (later launches).

    nice .venv/bin/python benchmarks/umap_speed.py [--runs 3] [--points 10000 70000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import SHARED_FASHION
from tsne_scale import codes_of, load

from vae_explorer.core.latent.tsne import TSNEParams, compute_tsne
from vae_explorer.core.latent.umap_map import UMAPParams, compute_umap

FIRST_USE = """
import time, numpy as np
t0 = time.perf_counter()
from vae_explorer.core.latent.umap_map import UMAPParams, compute_umap
compute_umap(np.random.default_rng(0).normal(size=(500, 16)).astype(np.float32), UMAPParams(n_epochs=50))
print(time.perf_counter() - t0)
"""


def first_use_seconds() -> tuple[float, float]:
    """Seconds to import umap-learn and map 500 codes in a fresh process: with an empty numba cache, then warm."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "NUMBA_CACHE_DIR": os.path.join(folder, "numba"), "XDG_CACHE_HOME": folder}
        for _ in range(2):
            run = subprocess.run([sys.executable, "-c", FIRST_USE], env=env, capture_output=True, text=True, check=True)
            times.append(float(run.stdout.strip().splitlines()[-1]))
    return times[0], times[1]


def median_seconds(make, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        make()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--no-first-use", action="store_true", help="leave out the first-use compile time")
    p.add_argument("--points", type=int, nargs="+", default=[10_000, 70_000])
    args = p.parse_args()
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    print(f"{os.cpu_count()} cores, {load()} at the start", flush=True)
    if not args.no_first_use:
        cold, warm = first_use_seconds()
        print(f"UMAP's first use, 500 codes in a fresh process: {cold:5.1f} s with an empty numba cache (compiling), "
              f"{warm:5.1f} s once cached", flush=True)  # fmt: skip
    # fitting and transforming compiled in this process before they are timed (a sample above umap's small-data size)
    compute_umap(codes_of(6_000)[1], UMAPParams(n_epochs=10, fit_max=5_000, sample=5_000))
    tsne, umap = TSNEParams(), UMAPParams()
    print(f"{'codes':>8}  {'UMAP':>8}  {'t-SNE':>8}   (medians of {args.runs} runs; how each map is made)", flush=True)
    for n in args.points:
        codes = codes_of(n)[1]
        u = median_seconds(lambda codes=codes: compute_umap(codes, umap), args.runs)
        t = median_seconds(lambda codes=codes: compute_tsne(codes, tsne), args.runs)
        how_u = "all fitted" if umap.fitted(n) == n else f"{umap.fitted(n):,} fitted, the rest transformed"
        how_t = "all fitted" if tsne.fitted(n) == n else f"{tsne.fitted(n):,} fitted, the rest placed"
        print(f"{n:>8,}  {u:7.1f}s  {t:7.1f}s   UMAP: {how_u}; t-SNE: {how_t}; {load()}", flush=True)


if __name__ == "__main__":
    main()
