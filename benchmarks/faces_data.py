"""The built-in faces: how long drawing them takes, and how long loading them from the cache takes.

Prints the median of several runs of drawing the 10,000 test faces, and of
loading the test split once it is cached (a private cache folder, removed after).
Usage:

    .venv/bin/python benchmarks/faces_data.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from vae_explorer.core.data import load_dataset
from vae_explorer.core.data.faces import SPLIT_SIZES, make_faces


def median_s(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    n = SPLIT_SIZES["test"]
    s = median_s(lambda: make_faces(n, [0, 1]), args.runs)
    print(f"draw {n} faces:              {s:6.2f} s ({n / s:,.0f} faces/s, median of {args.runs})")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        load_dataset("faces", "test")  # drawn and cached
        s = median_s(lambda: load_dataset("faces", "test"), args.runs)
        print(f"load {n} faces from cache:   {s:6.2f} s (median of {args.runs})")


if __name__ == "__main__":
    main()
