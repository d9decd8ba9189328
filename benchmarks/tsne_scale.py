"""t-SNE at scale: both maps' time and memory, and how well a placed map keeps each code's neighbours.

Codes: both shipped models' codes of Fashion-MNIST's 70,000 images (and, with
``--points``, of Fashion-MNIST grown as in ``scale.py``), cached between runs.

1. Placement, on the VAE's 70,000 codes: one seeded sample of 10,000 is fitted, and
   the other 60,000 are placed into it two ways: by openTSNE's ``transform`` (the
   explorer's way before: approximate neighbours, start at their median, 50 steps)
   and by the explorer's placer. Prints each one's time, and the 10-nearest-neighbour
   preservation on 10,000 codes E (a seeded sample of the 70,000): the mean share of
   each code's 10 nearest codes in latent space (among E) that are among its 10
   nearest points in the map (among E). The same figure for a full t-SNE of E alone
   is the reference.
2. Both maps, as the window makes them (two threads side by side, the cores shared),
   for 70,000 codes and ``--points``: time, and peak memory of a process that holds
   only the codes and makes the maps (``ru_maxrss``).

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


def quality(vae_codes: np.ndarray) -> None:
    """Part 1: placement time and neighbour preservation, before and now, against a full fit."""
    params = tsne.TSNEParams()
    n, jobs = len(vae_codes), tsne.threads_each(1)
    rng = np.random.default_rng(params.seed)
    sample, rest = tsne._split(rng, n, params.fitted(n))
    evaluated = np.sort(np.random.default_rng(1).choice(n, EVAL, replace=False))
    t0 = time.perf_counter()
    full = tsne.compute_tsne(vae_codes[evaluated], tsne.TSNEParams(fit_max=EVAL), n_jobs=jobs)
    print(f"  full t-SNE of {EVAL:,} codes: {time.perf_counter() - t0:6.1f} s", flush=True)
    print(f"    {K}-NN preservation: {preservation(vae_codes[evaluated], full):.3f}", flush=True)
    t0 = time.perf_counter()
    fitted = tsne._fit(vae_codes[sample], params, lambda f, p: None, None, jobs)
    print(f"  fit of the {len(sample):,} sampled codes: {time.perf_counter() - t0:6.1f} s", flush=True)
    ways = {
        "openTSNE transform (before)": lambda: transform_before(fitted, vae_codes[rest]),
        "the explorer's placer (now)": lambda: place_now(fitted, vae_codes, sample, rest, params, jobs),
    }
    for name, place in ways.items():
        t0 = time.perf_counter()
        placed = place()
        seconds = time.perf_counter() - t0
        points = np.empty((n, 2), np.float32)
        points[sample], points[rest] = fitted, placed
        score = preservation(vae_codes[evaluated], points[evaluated])
        print(f"  {name}: {len(rest):,} placed in {seconds:6.1f} s; {K}-NN preservation {score:.3f}", flush=True)


def place_now(fitted, codes, sample, rest, params, jobs) -> np.ndarray:
    placer = tsne._Placer(fitted, codes[sample], params, jobs)
    return np.concatenate(
        [placer.place(codes[rest[s : s + tsne.PLACE_CHUNK]], None) for s in range(0, len(rest), tsne.PLACE_CHUNK)]
    )


def both_maps(path: str) -> None:
    """Part 2, in this process: both maps of the codes in ``path`` side by side; print a JSON line of figures."""
    with np.load(path) as kept:
        pair = [kept["left"], kept["right"]]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jobs = tsne.threads_each(len(pair))
    threads = [threading.Thread(target=tsne.compute_tsne, args=(c,), kwargs={"n_jobs": jobs}) for c in pair]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "codes_mb": before}))


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
    print(f"{load()}; {tsne.threads_each(1)} cores", flush=True)
    if not args.skip_quality:
        print("placement of 60,000 VAE codes into a fitted sample of 10,000:", flush=True)
        quality(codes_of(70_000)[1])
    for n in [70_000, *args.points]:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "codes.npz")
            left, right = codes_of(n)
            np.savez(path, left=left, right=right)
            del left, right
            out = subprocess.run([sys.executable, __file__, "--one", path], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"both maps of {n:,} codes: {r['seconds']:6.1f} s; peak memory {r['peak_mb']:,.0f} MB "
            f"({r['codes_mb']:,.0f} MB with the codes in); {load()}",
            flush=True,
        )


if __name__ == "__main__":
    main()
