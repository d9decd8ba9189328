"""Start-up time: from launching `vae-explorer` to both PCA maps painted (10,000 points each), beside `import torch`.

Launches the real command (offscreen) on the Fashion-MNIST test split several
times and prints the median wall time until the window reports its maps shown,
interpreter start and imports included: first launches (each with an empty
cache, so both models encode the images) and later ones (codes cached by one
launch that ran until everything was loaded). Beside them, the median wall time
of a fresh interpreter that only imports torch: a cached start should beat it.
Python keeps its bytecode caches as it does by default (PYTHONDONTWRITEBYTECODE
is dropped), so the package's modules are compiled once, as an installed one's are.

``--tree DIR`` (repeatable) times the package in another source tree as well,
e.g. an earlier commit unpacked with ``git archive``; the trees' launches take
turns, so a busy machine slows each alike.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--tree DIR ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SHARED_FASHION, fashion_pair


def launch_once(left, right, env, tree: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vae_explorer", "--ae", str(left), "--vae", str(right), "--data", "fashion-mnist"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=tree,
    )  # fmt: skip
    try:
        for line in proc.stderr:
            if "maps shown" in line:
                return time.perf_counter() - t0
        raise RuntimeError("the window closed before showing its maps")
    finally:
        proc.kill()
        proc.wait()


def load_everything(left, right, env, tree: Path, png: str) -> None:
    """One launch that runs until the window has loaded, encoded and drawn everything (its codes are then cached)."""
    argv = ["--ae", str(left), "--vae", str(right), "--data", "fashion-mnist", "--screenshot", png]
    subprocess.run([sys.executable, "-m", "vae_explorer", *argv], env=env, cwd=tree, check=True, capture_output=True)


def import_torch_once(env) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], env=env, check=True)
    return time.perf_counter() - t0


def median_line(name: str, times: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(times):.2f} s over {len(times)} "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--tree", action="append", default=[], help="another source tree to time beside this one")
    args = p.parse_args()
    trees = [ROOT, *(Path(t).resolve() for t in args.tree)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VAE_EXPLORER_LOG="info")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # else every launch compiles every module from source
    if SHARED_FASHION.is_dir():
        env.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    left, right, what = fashion_pair()
    cold = {tree: [] for tree in trees}
    warm = {tree: [] for tree in trees}
    torch_alone: list[float] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        envs = {tree: dict(env, PYTHONPATH=str(tree)) for tree in trees}
        for k, tree in enumerate(trees):
            warm_cache = dict(envs[tree], XDG_CACHE_HOME=f"{tmp}/warm-{k}")
            load_everything(left, right, warm_cache, tree, f"{tmp}/warm-{k}.png")  # also the OS file cache
        for i in range(args.runs):
            torch_alone.append(import_torch_once(env))
            for k, tree in enumerate(trees):
                # a first launch: no codes cached yet, both models encode the 10,000 images
                cache = dict(envs[tree], XDG_CACHE_HOME=f"{tmp}/cold-{k}-{i}")
                cold[tree].append(launch_once(left, right, cache, tree))
                # a later launch on the same pair and data: the codes come from the cache
                cache = dict(envs[tree], XDG_CACHE_HOME=f"{tmp}/warm-{k}")
                warm[tree].append(launch_once(left, right, cache, tree))
    load_after = os.getloadavg()
    loads = " ".join(f"{x:.2f}" for x in load_before), " ".join(f"{x:.2f}" for x in load_after)
    print(f"models: {what}; load average (1, 5, 15 min): {loads[0]} before, {loads[1]} after")
    print(median_line("import torch alone, in a fresh interpreter", torch_alone))
    for tree in trees:
        label = "" if tree == ROOT else f" [{tree}]"
        print(median_line(f"start-up to both PCA maps painted, first launch (encoding){label}", cold[tree]))
        print(median_line(f"start-up to both PCA maps painted, later launch (codes cached){label}", warm[tree]))


if __name__ == "__main__":
    main()
