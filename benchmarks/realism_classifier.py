"""The realism classifiers: their held-out accuracy, and how the shipped files were trained.

Prints the accuracy of a data set's classifier on its test split, which it never
saw. With --train FILE it first trains one on the train split (seeded, on the
CPU) and writes it to FILE (how checkpoints/fashion-classifier.pt and
checkpoints/digits-classifier.pt were made). Usage:

    .venv/bin/python benchmarks/realism_classifier.py --data fashion-mnist [--classifier FILE]
    .venv/bin/python benchmarks/realism_classifier.py --data fashion-mnist --train checkpoints/fashion-classifier.pt
"""

from __future__ import annotations

import argparse
import time

from vae_explorer.core.data import load_dataset
from vae_explorer.core.evaluation.classifier import (
    ClassifierConfig,
    accuracy,
    load_classifier,
    save_classifier,
    shipped_classifier_path,
)
from vae_explorer.core.evaluation.classifier_training import train_classifier

HIDDEN = {"fashion-mnist": 64, "digits": 32}  # the digits' test split has only 359 images to fit a covariance to
EPOCHS = {"fashion-mnist": 10, "digits": 60}


def train(path: str, data_name: str, epochs: int, seed: int) -> None:
    data = load_dataset(data_name, "train")
    config = ClassifierConfig(data.image_shape, tuple(data.label_names), hidden=HIDDEN.get(data_name, 64))
    t0 = time.perf_counter()
    model = train_classifier(
        data.images,
        data.labels,
        config,
        epochs=epochs,
        seed=seed,
        progress=lambda e, loss: print(f"epoch {e}/{epochs}: loss {loss:.4f} ({time.perf_counter() - t0:.0f} s)"),
    )
    test = load_dataset(data_name, "test")
    held_out = accuracy(model, test.images, test.labels)
    meta = {
        "data": data_name,
        "trained_on": f"{data_name} train split ({len(data)} images)",
        "epochs": epochs,
        "seed": seed,
        "held_out_accuracy": round(held_out, 4),
        "held_out": f"{data_name} test split ({len(test)} images)",
    }
    save_classifier(path, model, meta)
    print(f"wrote {path} after {time.perf_counter() - t0:.0f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="fashion-mnist", help="fashion-mnist or digits (default fashion-mnist)")
    p.add_argument("--classifier", help="a classifier file (default: the shipped one)")
    p.add_argument("--train", metavar="FILE", help="train a classifier first and write it to FILE")
    p.add_argument("--epochs", type=int, help="epochs of training (default: 10 for fashion-mnist, 60 for digits)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if args.train:
        train(args.train, args.data, args.epochs or EPOCHS.get(args.data, 10), args.seed)
    model, meta = load_classifier(args.train or args.classifier or shipped_classifier_path(args.data))
    test = load_dataset(args.data, "test")
    params = sum(p.numel() for p in model.parameters())
    print(f"realism classifier of {args.data}: {params:,} parameters, trained {meta.get('epochs')} epochs")
    print(f"held-out accuracy on {len(test)} test images: {accuracy(model, test.images, test.labels):.4f}")


if __name__ == "__main__":
    main()
