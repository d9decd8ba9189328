"""Start-up time: from launching `vae-explorer` to both PCA maps painted (10,000 points each).

Launches the real command (offscreen) on the Fashion-MNIST test split several
times and prints the median wall time until the window reports its maps shown,
interpreter start and imports included.

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from common import SHARED_FASHION, fashion_pair


def launch_once(left, right, env) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vae_explorer", "--ae", str(left), "--vae", str(right), "--data", "fashion-mnist"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    try:
        for line in proc.stderr:
            if "maps shown" in line:
                return time.perf_counter() - t0
        raise RuntimeError("the window closed before showing its maps")
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VAE_EXPLORER_LOG="info")
    if SHARED_FASHION.is_dir():
        env.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    left, right, what = fashion_pair()
    launch_once(left, right, env)  # warm the file cache
    times = [launch_once(left, right, env) for _ in range(args.runs)]
    print(f"models: {what}")
    print(f"start-up to both PCA maps painted (10,000 points each): median {statistics.median(times):.2f} s "
          f"over {args.runs} launches (min {min(times):.2f}, max {max(times):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
