"""The faces' factor predictor: how well it reads each factor of held-out faces, sharp and blurred.

Prints, for every factor, its accuracy (binary, categorical) or R^2 (continuous)
on the faces' test split, which the predictor never saw, as drawn and blurred
like a decoder's output. With --train FILE it first trains a predictor on the
train split and writes it to FILE (how checkpoints/faces-factors.pt was made).
Usage:

    .venv/bin/python benchmarks/face_predictor.py [--predictor FILE] [--n 10000]
    .venv/bin/python benchmarks/face_predictor.py --train checkpoints/faces-factors.pt [--epochs 8]
"""

from __future__ import annotations

import argparse
import time

import torch

from vae_explorer.core.data.faces import FACTORS, load_faces
from vae_explorer.core.evaluation.predictor import load_predictor, read_factors, save_predictor, scores_of
from vae_explorer.core.evaluation.predictor_training import BLUR_SIGMAS, blur, train_predictor


def train(path: str, epochs: int, seed: int) -> None:
    data = load_faces("train")
    t0 = time.perf_counter()
    model = train_predictor(
        data.images,
        data.attributes.values[:, : len(FACTORS)],
        epochs=epochs,
        seed=seed,
        progress=lambda e, loss: print(f"epoch {e}/{epochs}: loss {loss:.4f} ({time.perf_counter() - t0:.0f} s)"),
    )
    test = load_faces("test")
    scores = scores_of(read_factors(model, test.images), test.attributes.values[:, : len(FACTORS)])
    meta = {
        "trained_on": f"faces train split ({len(data)} images)",
        "epochs": epochs,
        "seed": seed,
        "held_out": {name: value for name, (_, value) in scores.items()},
    }
    save_predictor(path, model, meta)
    print(f"wrote {path} after {time.perf_counter() - t0:.0f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--predictor", help="a predictor file (default: the shipped one)")
    p.add_argument("--n", type=int, default=10_000, help="held-out faces to read (at most 10,000)")
    p.add_argument("--train", metavar="FILE", help="train a predictor first and write it to FILE")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if args.train:
        train(args.train, args.epochs, args.seed)
    predictor, _ = load_predictor(args.train or args.predictor)
    test = load_faces("test").subset(torch.arange(args.n).numpy())
    factors = test.attributes.values[:, : len(FACTORS)]
    columns = {"sharp": test.images}
    for sigma in BLUR_SIGMAS:
        columns[f"blur {sigma:g}"] = blur(torch.from_numpy(test.images).float() / 255.0, sigma).numpy()
    results = {name: scores_of(read_factors(predictor, images), factors) for name, images in columns.items()}
    print(f"factor predictor on {len(test)} held-out faces (the test split, never trained on)")
    print(f"{'factor':<12} {'metric':<9}" + "".join(f"{name:>10}" for name in columns))
    for f in FACTORS:
        metric = results["sharp"][f.name][0]
        print(f"{f.name:<12} {metric:<9}" + "".join(f"{results[c][f.name][1]:10.3f}" for c in columns))


if __name__ == "__main__":
    main()
