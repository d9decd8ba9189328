"""Start-up time: from launching `vae-explorer` to both PCA maps painted (10,000 points each).

Launches the real command (offscreen) on the Fashion-MNIST test split several
times and prints the median wall time until the window reports its maps shown,
interpreter start and imports included: first launches (each with an empty
cache, so both models encode the images) and later ones (codes cached).
Python keeps its bytecode caches as it does by default (PYTHONDONTWRITEBYTECODE
is dropped), so the package's modules are compiled once, as an installed one's are.

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
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
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # else every launch compiles every module from source
    if SHARED_FASHION.is_dir():
        env.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    left, right, what = fashion_pair()
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        launch_once(left, right, dict(env, XDG_CACHE_HOME=f"{tmp}/warm-up"))  # the OS file cache, not ours
        for i in range(args.runs):
            # a first launch: no codes cached yet, both models encode the 10,000 images
            cold.append(launch_once(left, right, dict(env, XDG_CACHE_HOME=f"{tmp}/cold-{i}")))
        for _ in range(args.runs):
            # a later launch on the same pair and data: the codes come from the cache
            warm.append(launch_once(left, right, dict(env, XDG_CACHE_HOME=f"{tmp}/cold-0")))
    print(f"models: {what}")
    for name, times in (("first launch (encoding)", cold), ("later launch (codes cached)", warm)):
        print(f"start-up to both PCA maps painted, 10,000 points each, {name}: median {statistics.median(times):.2f} s "
              f"over {args.runs} launches (min {min(times):.2f}, max {max(times):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
