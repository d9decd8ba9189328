"""Training throughput of one process and of torchrun processes (DistributedDataParallel), same global batch.

Runs ``vae-explorer train`` for one epoch as one process and under
``torchrun --standalone --nproc_per_node N`` (gloo on the CPU, nccl on CUDA), and
prints the median images per second of each over several runs (from the run's
own last step line: all images of the epoch over its training time, evaluation
excluded). Usage:

    .venv/bin/python benchmarks/ddp_throughput.py [--data fashion-mnist] [--nproc 2] [--runs 3] [--device cpu]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "fashion-mnist"


def epoch_rate(prefix: list[str], args: argparse.Namespace, folder: str, env: dict[str, str]) -> float:
    """Images per second of one epoch, from the last ``step`` line the run prints."""
    out = Path(folder) / "bench.pt"
    out.unlink(missing_ok=True)
    cmd = [*prefix, "-m", "vae_explorer", "train", "--data", args.data, "--epochs", "1", "--batch-size", "128"]
    cmd += ["--latent-dim", "16", "--device", args.device, "--out", str(out), "--progress", "json"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=folder, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    steps = [e for e in map(json.loads, done.stdout.splitlines()) if e["event"] == "step"]
    return float(steps[-1]["images_per_sec"])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--data", default="fashion-mnist" if SHARED.is_dir() or os.environ.get("VAE_EXPLORER_DATA") else "digits"
    )
    p.add_argument("--nproc", type=int, default=2)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    if SHARED.is_dir():
        env.setdefault("VAE_EXPLORER_DATA", str(SHARED))
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={args.nproc}"]
    rates: dict[str, list[float]] = {"1 process": [], f"{args.nproc} processes (torchrun)": []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            rates["1 process"].append(epoch_rate([sys.executable], args, folder, env))
            rates[f"{args.nproc} processes (torchrun)"].append(epoch_rate(torchrun, args, folder, env))
    print(f"training throughput, latent-16 VAE, global batch 128, one epoch of {args.data} on {args.device}:")
    for name, values in rates.items():
        print(
            f"  {name:<26} median {statistics.median(values):,.0f} images/s over {args.runs} runs "
            f"(min {min(values):,.0f}, max {max(values):,.0f})"
        )


if __name__ == "__main__":
    main()
