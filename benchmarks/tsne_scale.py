"""t-SNE at scale: both maps' time and memory, and how well a sampled map keeps each code's neighbours.

1. Neighbour preservation on 10,000 codes (the VAE's codes of Fashion-MNIST's test
   split): a full t-SNE of them, and the fast way the explorer maps more codes than
   it fits, applied to the same codes with the sample in the same proportion as at
   70,000: before (1,429 fitted, the rest placed by openTSNE's ``transform``:
   approximate neighbours, start at their median, 50 steps), the explorer's placer on
   the same sample, and now (714 fitted in half the iterations, the rest placed, then
   all settled together, as the explorer maps 70,000 codes). The figure: the mean
   share of each code's 10 nearest codes in latent space that are among its 10
   nearest points on the map. Prints each way's time.
2. Both maps, as the window makes them (two threads side by side, the cores shared),
   of both shipped models' codes of Fashion-MNIST's 70,000 images and of ``--points``
   (Fashion-MNIST grown as in ``scale.py``): time, and the peak memory of a process
   that holds only the codes and makes the maps (``ru_maxrss``).

    nice .venv/bin/python benchmarks/tsne_scale.py [--points 1000000] [--skip-quality]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
from common import SHARED_FASHION, fashion_pair, scaled_fashion

from vae_explorer.core.latent import tsne
from vae_explorer.core.latent.codes import encode_cached
from vae_explorer.core.model.checkpoint import load_model

EVAL = 10_000  # codes the preservation is measured on
K = 10  # nearest neighbours compared


def load() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def codes_of(n: int) -> list[np.ndarray]:
    """Both shipped models' codes (mu) of ``n`` images (Fashion-MNIST, grown beyond 70,000), cached."""
    dataset = scaled_fashion(n)
    out = []
    for path in fashion_pair()[:2]:
        model, ckpt = load_model(path)
        out.append(encode_cached(model, ckpt.digest, dataset.fingerprint(), dataset.images)[0].mu)
    return out


def preservation(codes: np.ndarray, points: np.ndarray) -> float:
    """Mean share of each code's ``K`` nearest codes (latent space) that are among its ``K`` nearest map points."""
    from scipy.spatial import cKDTree

    _, near_codes = cKDTree(codes.astype(np.float64)).query(codes, k=K + 1, workers=-1)
    _, near_points = cKDTree(points.astype(np.float64)).query(points, k=K + 1, workers=-1)
    a, b = near_codes[:, 1:], near_points[:, 1:]
    return float((a[:, :, None] == b[:, None, :]).any(axis=2).sum(axis=1).mean() / K)


def transform_before(fitted, codes: np.ndarray) -> np.ndarray:
    """openTSNE's ``transform``, as the explorer placed codes before: a chunk at a time."""
    out = []
    for start in range(0, len(codes), tsne.PLACE_CHUNK):
        part = fitted.prepare_partial(
            np.asarray(codes[start : start + tsne.PLACE_CHUNK], dtype=np.float64),
            initialization="median", k=25, perplexity=5,
        )  # fmt: skip
        part = part.optimize(
            n_iter=50, learning_rate=0.1, exaggeration=1.5, momentum=0.8, max_grad_norm=0.25, inplace=True
        )
        out.append(np.asarray(part, dtype=np.float32))
    return np.concatenate(out)


def quality(codes: np.ndarray) -> None:
    """Part 1: neighbour preservation of a full fit, and of the sampled map before and now, on ``codes``."""
    from vae_explorer.core.latent.tsne_place import Placer

    n, jobs, scale = len(codes), tsne.threads_each(1), len(codes) / 70_000
    t0 = time.perf_counter()
    full = tsne.compute_tsne(codes, tsne.TSNEParams(fit_max=n), n_jobs=jobs)
    print(f"  full t-SNE:                     {time.perf_counter() - t0:6.1f} s; {score(codes, full)}", flush=True)
    # before: 10,000 of 70,000 fitted, the rest placed by openTSNE's transform
    m = round(tsne.TSNEParams().sample * scale)
    params = tsne.TSNEParams(fit_max=m - 1, sample=m, settle_max=0)
    order = tsne.sample_order(n, m, params.seed)
    sample, rest = order[:m], order[m:]
    t0 = time.perf_counter()
    fitted = tsne._fit(codes[sample], params, lambda f, p: None, None, jobs)
    points = np.empty((n, 2), np.float32)
    points[sample], points[rest] = fitted, transform_before(fitted, codes[rest])
    print(f"  before, {m:,} fitted, the rest by openTSNE's transform: {time.perf_counter() - t0:6.1f} s; "
          f"{score(codes, points)}", flush=True)  # fmt: skip
    t0 = time.perf_counter()
    points[rest] = Placer(fitted, codes[sample], params.place_iter, jobs).place(codes[rest], None)
    print(f"  the same sample, the rest by the explorer's placer:   +{time.perf_counter() - t0:5.1f} s; "
          f"{score(codes, points)}", flush=True)  # fmt: skip
    # now: as the explorer maps 70,000 codes
    m = round(tsne.TSNEParams().fitted(70_000) * scale)
    params = tsne.TSNEParams(fit_max=m - 1, settle_sample=m, settle_max=n)
    t0 = time.perf_counter()
    points = tsne.compute_tsne(codes, params, n_jobs=jobs)
    print(f"  now, {m:,} fitted, the rest placed, then all settled: {time.perf_counter() - t0:6.1f} s; "
          f"{score(codes, points)}", flush=True)  # fmt: skip


def score(codes: np.ndarray, points: np.ndarray) -> str:
    return f"{K}-NN preservation {preservation(codes, points):.3f}"


def both_maps(path: str) -> None:
    """Part 2, in this process: both maps of the codes in ``path`` side by side; print a JSON line of figures."""
    with np.load(path) as kept:
        pair = [kept["left"], kept["right"]]
    before = resource.getrusage(resource.RUSAGE_SELF)
    # as the window runs them (an older explorer gave each every core)
    shared = {"n_jobs": tsne.threads_each(len(pair))} if hasattr(tsne, "threads_each") else {}
    threads = [threading.Thread(target=tsne.compute_tsne, args=(c,), kwargs=shared) for c in pair]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    figures = {"seconds": seconds, "peak_mb": after.ru_maxrss / 1024, "codes_mb": before.ru_maxrss / 1024}
    figures.update(user=after.ru_utime - before.ru_utime, system=after.ru_stime - before.ru_stime)
    print(json.dumps(figures))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, nargs="*", default=[], help="sizes beyond 70,000 to time both maps of")
    p.add_argument("--skip-quality", action="store_true", help="only the timing of both maps")
    p.add_argument("--one", help=argparse.SUPPRESS)  # both maps of the codes in this file, in this process
    args = p.parse_args()
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    if args.one is not None:
        both_maps(args.one)
        return
    print(f"{load()}; {os.cpu_count()} cores", flush=True)
    if not args.skip_quality:
        print(f"{EVAL:,} VAE codes (the test split):", flush=True)
        quality(codes_of(70_000)[1][-EVAL:])
    for n in [70_000, *args.points]:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "codes.npz")
            left, right = codes_of(n)
            np.savez(path, left=left, right=right)
            del left, right
            out = subprocess.run([sys.executable, __file__, "--one", path], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"both maps of {n:,} codes: {r['seconds']:6.1f} s ({r['user']:.0f} s user, {r['system']:.0f} s system); "
            f"peak memory {r['peak_mb']:,.0f} MB ({r['codes_mb']:,.0f} MB with the codes in); {load()}",
            flush=True,
        )


if __name__ == "__main__":
    main()
