"""Attribute vectors on Fashion-MNIST-sized data: defining a vector, and decoding a traversal grid.

Prints the median of several runs of: a class-vs-rest vector and a pixel-statistic
vector (groups, mean difference, AUC) over 10,000 codes of 16 dimensions, and one
traversal grid (8 samples x 9 alphas) decoded in one batch by the latent-16 conv
VAE. Weights, codes and images are made up: the time does not depend on training. Usage:

    .venv/bin/python benchmarks/attribute_vectors.py [--runs 7] [--n 10000] [--device cpu]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from vae_explorer.core.attributes.groups import ClassGroups, PixelGroups
from vae_explorer.core.attributes.vectors import ModelCodes, build_vector, parse_alphas, traversal_grid
from vae_explorer.core.data import Dataset
from vae_explorer.core.model.autoencoder import build_model, default_config


def median_ms(fn, runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    rng = np.random.default_rng(0)
    images = np.zeros((args.n, 1, 28, 28), np.uint8)  # boxes of random sizes, like drawn items on black
    for k, (w, h) in enumerate(rng.integers(4, 28, (args.n, 2))):
        images[k, 0, (28 - h) // 2 : (28 + h) // 2, (28 - w) // 2 : (28 + w) // 2] = 200
    data = Dataset("random", "test", images, rng.integers(0, 10, args.n), [str(k) for k in range(10)], "benchmark")
    models = {"left": ModelCodes(rng.normal(size=(args.n, 16)).astype(np.float32))}
    for groups in (ClassGroups("3", None), PixelGroups("width")):
        ms = median_ms(lambda g=groups: build_vector("", g, data, models), args.runs)
        print(f"define {groups.to_text():<14} on {args.n} codes: {ms:8.1f} ms (median of {args.runs})")
    torch.manual_seed(0)
    model = build_model(default_config("vae", (1, 28, 28), 16)).to(args.device).eval()
    base = rng.normal(size=(8, 16)).astype(np.float32)
    v = rng.normal(size=16).astype(np.float32)
    alphas = parse_alphas("-2:2:9")
    ms = median_ms(lambda: traversal_grid(model, base, v, alphas), args.runs)
    print(f"traversal grid 8 x 9 on {args.device}:     {ms:8.1f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()
