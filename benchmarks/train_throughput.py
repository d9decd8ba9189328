"""Training throughput of the latent-16 conv VAE on Fashion-MNIST, batch 128, on this machine.

Runs the real training loop (``core.training.train``) for a few hundred steps,
several times, and prints the median images per second. Usage:

    .venv/bin/python benchmarks/train_throughput.py [--data-dir DIR] [--runs 5] [--steps 120]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import torch

from vae_explorer.core.training.loop import Callback, TrainConfig, train

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fashion-mnist"


class StepTimer(Callback):
    """Times steps ``warmup+1 .. warmup+steps`` and then asks the loop to stop."""

    def __init__(self, cancel: threading.Event, warmup: int, steps: int, batch: int) -> None:
        self.cancel, self.warmup, self.steps, self.batch = cancel, warmup, steps, batch
        self.count, self.t0, self.rate = 0, 0.0, 0.0

    def on_step(self, info) -> None:
        self.count += 1
        if self.count == self.warmup:
            self.t0 = time.perf_counter()
        elif self.count == self.warmup + self.steps:
            self.rate = self.steps * self.batch / (time.perf_counter() - self.t0)
            self.cancel.set()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=str(SHARED) if SHARED.is_dir() else None)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--steps", type=int, default=120)
    p.add_argument("--kind", default="vae")
    args = p.parse_args()
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            cancel = threading.Event()
            timer = StepTimer(cancel, warmup=10, steps=args.steps, batch=128)
            cfg = TrainConfig(
                data="fashion-mnist",
                data_dir=args.data_dir,
                kind=args.kind,
                latent_dim=16,
                batch_size=128,
                epochs=1,
                device="cpu",
                out=f"{tmp}/bench.pt",
            )
            train(cfg, [timer], cancel)
            rates.append(timer.rate)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(
        f"training throughput ({args.kind}, latent 16, batch 128, Fashion-MNIST): "
        f"median {statistics.median(rates):,.0f} images/s over {args.runs} runs "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f})"
    )


if __name__ == "__main__":
    main()
