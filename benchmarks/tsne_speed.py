"""t-SNE of 10,000 latent codes: the explorer's openTSNE next to scikit-learn's TSNE.

Encodes the Fashion-MNIST test split with the VAE and times both on the same
codes (same perplexity, both using every core), median of several runs each.

    .venv/bin/python benchmarks/tsne_speed.py [--runs 3] [--n 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from common import SHARED_FASHION, fashion_pair

from vae_explorer.core.data import load_dataset
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.latent.tsne import TSNEParams, compute_tsne
from vae_explorer.core.model.checkpoint import load_model


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--n", type=int, default=10_000)
    args = p.parse_args()
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    _, vae_path, what = fashion_pair()
    model, _ = load_model(vae_path)
    codes = encode_images(model, load_dataset("fashion-mnist", "test").images[: args.n]).mu
    params = TSNEParams()
    ours, theirs = [], []
    for seed in range(args.runs):
        t0 = time.perf_counter()
        compute_tsne(codes, TSNEParams(params.perplexity, params.early_iter, params.n_iter, seed))
        ours.append(time.perf_counter() - t0)
    from sklearn.manifold import TSNE

    for seed in range(args.runs):
        t0 = time.perf_counter()
        TSNE(n_components=2, perplexity=params.perplexity, random_state=seed, n_jobs=-1).fit_transform(codes)
        theirs.append(time.perf_counter() - t0)
    print(f"codes: {codes.shape[0]} x {codes.shape[1]} from the VAE ({what}), {os.cpu_count()} cores")
    print(f"openTSNE (the explorer's): median {statistics.median(ours):6.1f} s over {args.runs} runs")
    print(f"scikit-learn TSNE:         median {statistics.median(theirs):6.1f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
