"""Encoding all codes: one-shot against streamed into the maps, with the CPU time it takes (user and system).

For each size (Fashion-MNIST grown as in ``scale.py``), each way in a fresh process:

- one-shot: both shipped models encode every image in one go (``encode_images``) and
  make the maps and KD-trees the window needs of them, each on a thread of its own as
  the window's two encoding tasks run, in a process set up as the window's (one
  intra-op thread per task, the same malloc settings), nothing drawn;
- streamed: the real window (offscreen) opens the pair on an empty cache and
  streams the codes into both maps; timed until both final PCA maps are drawn.

Prints wall time, user and system CPU seconds (``getrusage``), minor page faults and
peak memory, and the streamed time over the one-shot time, with the load average.

    QT_QPA_PLATFORM=offscreen nice .venv/bin/python benchmarks/encode_speed.py [--sizes 200000 1000000] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import SHARED_FASHION, fashion_pair, scaled_fashion  # noqa: E402


def usage() -> tuple[float, float, int]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime, r.ru_minflt


def one_shot(dataset) -> tuple[float, tuple[float, float, int]]:
    """Both models encode all images at once and make their maps, each on its own thread -> (seconds, CPU before)."""
    from vae_explorer.core.io.trust import TrustPolicy
    from vae_explorer.core.latent.codes import encode_images
    from vae_explorer.core.latent.neighbours import NearestCode
    from vae_explorer.core.latent.stream import maps_of
    from vae_explorer.core.model.opening import open_model
    from vae_explorer.gui.shell.app import make_app

    make_app()  # the window's process settings, without a window
    images = dataset.images
    models = [open_model(path, "cpu", TrustPolicy()) for path in fashion_pair()[:2]]

    def encode(model) -> None:
        codes = encode_images(model, images)
        maps_of(codes)
        NearestCode(codes.mu).build()

    threads = [threading.Thread(target=encode, args=(model,)) for model in models]
    t0, cpu = time.perf_counter(), usage()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, cpu


def streamed(dataset) -> tuple[float, tuple[float, float, int]]:
    """The window opens the pair and streams the codes into both maps -> (seconds until both final maps are drawn,
    CPU before)."""
    from drag_latency import wait_until
    from PySide6.QtCore import QSettings
    from scale import map_final

    from vae_explorer.core.session import Session
    from vae_explorer.gui.shell.app import make_app
    from vae_explorer.gui.shell.main_window import MainWindow

    app = make_app()
    left, right, _ = fashion_pair()
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session("cpu"), settings, persist=False)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    t0, cpu = time.perf_counter(), usage()
    window.session.open_pair(left, right, dataset)
    wait_until(app, lambda: map_final(window, "pca"), timeout=7200)
    window.repaint()
    seconds = time.perf_counter() - t0
    window.close()
    return seconds, cpu


def run_one(way: str, n: int) -> None:
    """One way at one size, in this process: print a JSON line of its figures."""
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    dataset = scaled_fashion(n)  # made before the count starts
    seconds, (u0, s0, f0) = one_shot(dataset) if way == "one-shot" else streamed(dataset)
    u1, s1, f1 = usage()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": seconds, "user": u1 - u0, "sys": s1 - s0, "faults": f1 - f0, "peak_mb": peak}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    p.add_argument("--runs", type=int, default=1, help="runs of each way, interleaved")
    p.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # way and size, in this process
    args = p.parse_args()
    if args.one is not None:
        run_one(args.one[0], int(args.one[1]))
        return
    for n in args.sizes:
        print(f"{n:,} images per model; load average {'{:.1f} {:.1f} {:.1f}'.format(*os.getloadavg())}", flush=True)
        walls: dict[str, list[float]] = {"one-shot": [], "streamed": []}
        for _ in range(args.runs):
            for way in walls:
                with tempfile.TemporaryDirectory() as cache:  # an empty cache: the codes are computed
                    env = dict(os.environ, XDG_CACHE_HOME=cache)
                    cmd = [sys.executable, __file__, "--one", way, str(n)]
                    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
                r = json.loads(out.strip().splitlines()[-1])
                walls[way].append(r["wall"])
                share = r["sys"] / max(r["user"] + r["sys"], 1e-9)
                print(
                    f"  {way:9s} {r['wall']:7.1f} s wall, {r['user']:7.1f} s user, {r['sys']:6.1f} s system "
                    f"({share:4.0%} of CPU), {r['faults']:,} minor faults, peak {r['peak_mb']:,.0f} MB; "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        ratio = min(walls["streamed"]) / min(walls["one-shot"])
        print(f"  streamed / one-shot (best of {args.runs}): {ratio:.2f}", flush=True)


if __name__ == "__main__":
    main()
