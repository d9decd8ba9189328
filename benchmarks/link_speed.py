"""Linked cursors at scale: what carrying a dragged point to the other map costs, at 10,000 to 1,000,000 points.

Two maps of the same N samples (an AE-like one of arms out to 30, a VAE-like one of
clouds at 1.5), each with the index and hull the explorer's worker builds with the
map. Prints, per N: the hull's build (on the worker, with the map), the link's
making (the scale-and-rotation fit, once per pair of maps, on the GUI thread), and
per mouse move along a drag across the map the carry beside the map's own
nearest-point query (what hovering costs): medians and 95th percentiles.

    .venv/bin/python benchmarks/link_speed.py [--sizes 10000 100000 1000000] [--moves 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
from common import summary

from vae_explorer.core.latent.linking import MapLink
from vae_explorer.core.latent.projection import LatentPlane


def arms_and_clouds(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The same ``n`` samples on an AE-like map (6 arms out to 30) and a VAE-like one (6 clouds at 1.5)."""
    rng = np.random.default_rng(seed)
    angle = rng.integers(0, 6, n) * (2 * math.pi / 6)
    along = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    across = np.stack([-np.sin(angle), np.cos(angle)], axis=1)
    arms = rng.uniform(4, 30, n)[:, None] * along + rng.normal(0, 0.6, n)[:, None] * across
    clouds = 1.5 * along + rng.normal(0, 0.45, (n, 2))
    return arms.astype(np.float32), clouds.astype(np.float32)


def drag(link: MapLink, source: LatentPlane, moves: int) -> tuple[list[float], list[float]]:
    """Per move of a drag across the map, in turn: the carry, and the map's nearest-point query at the same point."""
    carries, queries = [], []
    for point in np.linspace([-32.0, -20.0], [32.0, 25.0], moves):  # across the arms and the gaps between them
        t0 = time.perf_counter()
        link.carry(point)
        t1 = time.perf_counter()
        source.nearest_point(point)
        t2 = time.perf_counter()
        carries.append((t1 - t0) * 1000)
        queries.append((t2 - t1) * 1000)
    return carries, queries


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--moves", type=int, default=2000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    for n in args.sizes:
        arms, clouds = arms_and_clouds(n)
        hulls, makes, carries, queries = [], [], [], []
        for _ in range(args.runs):
            source, target = LatentPlane(arms), LatentPlane(clouds)
            for proj in (source, target):
                proj.point_index().build()  # the worker builds the index with the map
            t0 = time.perf_counter()
            source.hull()  # and the hull
            t1 = time.perf_counter()
            target.hull()
            t2 = time.perf_counter()
            link = MapLink(source, target)
            t3 = time.perf_counter()
            hulls.append((t1 - t0) * 1000)
            makes.append((t3 - t2) * 1000)
            c, q = drag(link, source, args.moves)
            carries += c
            queries += q
        print(f"{n:>9,} points")
        print(f"  hull of the map (worker, once):    median {statistics.median(hulls):8.2f} ms")
        print(f"  link made (once per pair of maps): median {statistics.median(makes):8.2f} ms")
        print(f"  carry per mouse move:              {summary(carries)}")
        print(f"  the map's nearest point (hover):   {summary(queries)}")


if __name__ == "__main__":
    main()
