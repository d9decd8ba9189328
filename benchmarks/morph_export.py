"""Time to export a morph GIF of both models: encode the keys, decode every frame, compose and write.

The bar: a 60-frame, 4x-scaled GIF of an AE and a VAE (latent 16, Fashion-MNIST
shape, 28x28) in at most 1 s on this machine's CPU. Untrained weights decode as
fast as trained ones, but they make plainer frames that a GIF packs faster: give
checkpoints to time real ones. The key images are two Fashion-MNIST test images
when the data is found, else random pixels. Usage:

    .venv/bin/python benchmarks/morph_export.py [--ae FILE --vae FILE] [--runs 7] [--frames 60] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from common import SHARED_FASHION

from vae_explorer.cli.morph import CPU_THREADS
from vae_explorer.core.data import find_idx_folder, load_dataset
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.autoencoder import build_model, default_config
from vae_explorer.core.model.checkpoint import load_model
from vae_explorer.core.morph.frames import morph_frames
from vae_explorer.core.morph.pipeline import GifOptions, RenderedMorph, write_gif


def models(args: argparse.Namespace) -> list[torch.nn.Module]:
    if args.ae and args.vae:
        return [load_model(args.ae, "cpu")[0], load_model(args.vae, "cpu")[0]]
    torch.manual_seed(0)
    return [build_model(default_config(kind, (1, 28, 28), 16)).eval() for kind in ("ae", "vae")]


def key_images(shape: tuple[int, int, int], data_dir: str | None) -> tuple[np.ndarray, str]:
    """Two Fashion-MNIST test images (a T-shirt and a trouser) when they fit, else random pixels."""
    if tuple(shape) == (1, 28, 28) and find_idx_folder("fashion-mnist", data_dir) is not None:
        try:
            data = load_dataset("fashion-mnist", "test", data_dir)
            return data.images[[int(np.flatnonzero(data.labels == k)[0]) for k in (0, 1)]], "Fashion-MNIST keys"
        except VaeExplorerError:
            pass
    return np.random.default_rng(0).integers(0, 256, (2, *shape), dtype=np.uint8), "random keys"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ae", help="AE checkpoint (default: an untrained latent-16 model of the same architecture)")
    p.add_argument("--vae", help="VAE checkpoint")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--frames", type=int, default=60)
    p.add_argument("--scale", type=int, default=4)
    p.add_argument("--method", default="slerp")
    p.add_argument("--data-dir", default=str(SHARED_FASHION) if SHARED_FASHION.is_dir() else None)
    p.add_argument(
        "--threads", type=int, default=CPU_THREADS, help=f"torch CPU threads (default {CPU_THREADS}, as the CLI runs)"
    )
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    pair = models(args)
    shape = pair[0].config.image_shape
    keys, keys_from = key_images(shape, args.data_dir)
    options = GifOptions(fps=20, scale=args.scale)
    times, size = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "morph.gif"
        for run in range(args.runs + 1):  # the first run warms up torch and is not counted
            t0 = time.perf_counter()
            results = [morph_frames(m, keys, args.frames, args.method) for m in pair]
            write_gif(out, RenderedMorph(["AE", "VAE"], results, []), options)
            if run:
                times.append(time.perf_counter() - t0)
        size = out.stat().st_size
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, cpu")
    print(
        f"morph GIF export ({args.frames} frames, {args.scale}x, AE + VAE, latent {pair[0].latent_dim}, "
        f"{'x'.join(map(str, shape))}, {keys_from}, {'given' if args.ae else 'untrained'} weights): "
        f"median {statistics.median(times):.3f} s over {args.runs} runs "
        f"(min {min(times):.3f}, max {max(times):.3f}); {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
