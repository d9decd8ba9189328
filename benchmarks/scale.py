"""The explorer at scale: Fashion-MNIST grown to a million points per map.

For 70,000 points and for ``--points`` (the 70,000 images of Fashion-MNIST, each
further copy shifted by a pixel and/or mirrored so that no two codes are the same),
each size in a fresh process with an empty cache, the real window (offscreen) opens
the shipped pair and prints:

- time to first points: from opening the pair until both maps show points;
- time until all codes are shown: until both final PCA maps are drawn;
- pan repaint, hover and drag latency (median, p95) on the PCA map;
- t-SNE: until both t-SNE maps are drawn, then hover and drag on them, and the
  time to read the map back from the cache;
- peak memory of the whole process (``ru_maxrss``) before and after t-SNE;
- the load average, since the machine may be shared.

    QT_QPA_PLATFORM=offscreen nice .venv/bin/python benchmarks/scale.py --points 1000000 [--tsne-max N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from common import SHARED_FASHION, fashion_pair, scaled_fashion, summary  # noqa: E402
from drag_latency import measure as measure_drag  # noqa: E402
from drag_latency import send_mouse, wait_until  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vae_explorer.core.latent.tsne import tsne_cached  # noqa: E402
from vae_explorer.core.session import SLOTS, Session  # noqa: E402
from vae_explorer.gui.shell.app import make_app  # noqa: E402
from vae_explorer.gui.shell.main_window import MainWindow  # noqa: E402

PAUSE_S = 0.02  # between two pans or two hovers: a mouse sends about 60 per second


def peak_mb() -> float:
    """The most memory this process has held, in MB (Linux reports ``ru_maxrss`` in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def idle(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def map_final(window: MainWindow, view: str) -> bool:
    """Both maps draw the session's final map of ``view``."""
    s = window.session
    return s.view == view and all(
        s.projection(slot) is not None and (p.drawn_key or (None,))[0] == id(s.projection(slot))
        for slot, p in window.explorer.maps.items()
    )


def open_and_stream(app: QApplication, window: MainWindow, left, right, dataset) -> None:
    """Open the pair; print the seconds to the first points in both maps, then until both final maps."""
    first: dict[str, float] = {}
    for slot, panel in window.explorer.maps.items():
        panel.sigScatterDrawn.connect(lambda n, s=slot: first.setdefault(s, time.perf_counter()))
    t0, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    window.session.open_pair(left, right, dataset)
    wait_until(app, lambda: len(first) == len(SLOTS), timeout=3600)
    window.repaint()
    print(f"  first points on both maps: {time.perf_counter() - t0:7.1f} s after opening the pair", flush=True)
    wait_until(app, lambda: map_final(window, "pca"), timeout=7200)
    window.repaint()
    now = resource.getrusage(resource.RUSAGE_SELF)
    user, system = now.ru_utime - cpu.ru_utime, now.ru_stime - cpu.ru_stime
    print(f"  all codes shown:           {time.perf_counter() - t0:7.1f} s", flush=True)
    print(f"  CPU meanwhile:             {user:7.1f} s user, {system:.1f} s system", flush=True)


def view_pos(panel, point) -> QPoint:
    """Widget coordinates of a map point."""
    return panel.plot.mapFromScene(panel.vb.mapViewToScene(QPointF(float(point[0]), float(point[1]))))


def measure_pan(app: QApplication, panel, n: int = 60) -> list[float]:
    """Milliseconds from a pan of 12 pixels to the map repainted, ``n`` pans right then back."""
    viewport = panel.plot.viewport()
    times = []
    for i in range(n):
        dx = max(panel.vb.viewPixelSize()[0], 1e-12) * 12 * (1 if i < n // 2 else -1)
        idle(app, PAUSE_S)
        t0 = time.perf_counter()
        panel.vb.translateBy(x=dx)
        viewport.repaint()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def measure_hover(app: QApplication, window: MainWindow, slot: str, n: int = 150) -> tuple[list[float], int]:
    """Milliseconds from a mouse move over a data point to its hover preview painted -> (times, misses)."""
    session, panel = window.session, window.explorer.maps[slot]
    viewport = panel.plot.viewport()
    points = session.projection(slot).points
    (x0, x1), (y0, y1) = panel.vb.viewRange()
    inside = np.flatnonzero((points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1))
    chosen = np.random.default_rng(0).choice(inside, min(n, len(inside)), replace=False)
    times, misses = [], 0
    for index in chosen:
        pos = view_pos(panel, points[index])
        idle(app, PAUSE_S)
        t0 = time.perf_counter()
        send_mouse(viewport, QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
        viewport.repaint()
        times.append((time.perf_counter() - t0) * 1000)
        misses += session.hover is None
    session.set_hover(None)
    return times, misses


def interaction(app: QApplication, window: MainWindow, view: str) -> None:
    """Print pan, hover and drag latency on the maps of ``view``."""
    window.session.select(0)
    wait_until(app, window.is_settled, timeout=600)
    if view == "pca":
        print(f"  pan repaint ({view}):   {summary(measure_pan(app, window.explorer.maps['left']))}", flush=True)
    hover, misses = measure_hover(app, window, "left")
    print(f"  hover ({view}):         {summary(hover)}; {misses} moves found no point", flush=True)
    drag, renders = measure_drag(app, window, 150)
    print(f"  drag ({view}):          {summary(drag)}; data points redrawn {renders} times", flush=True)


def run_size(n: int, tsne: bool) -> None:
    """One size, in this process: open, stream, interact, t-SNE; print the figures."""
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    app = make_app()
    left, right, what = fashion_pair()
    dataset = scaled_fashion(n)
    print(f"{n:,} points per map ({what}); {load()}; {peak_mb():,.0f} MB with the data in memory", flush=True)
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session("cpu"), settings, persist=False)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    open_and_stream(app, window, left, right, dataset)
    wait_until(app, window.is_settled, timeout=600)
    print(f"  peak memory (ru_maxrss):   {peak_mb():7,.0f} MB", flush=True)
    interaction(app, window, "pca")
    if tsne:
        t0 = time.perf_counter()
        window.explorer.view_actions["tsne"].trigger()
        wait_until(app, lambda: map_final(window, "tsne") and window.is_settled(), timeout=7200)
        print(f"  t-SNE of both maps:        {time.perf_counter() - t0:7.1f} s", flush=True)
        print(f"  peak memory (ru_maxrss):   {peak_mb():7,.0f} MB", flush=True)
        print(f"  t-SNE map title: {window.explorer.maps['left'].title.text()}", flush=True)
        interaction(app, window, "tsne")
        s = window.session.slots["right"]
        t0 = time.perf_counter()
        work = window.work
        _, cached = tsne_cached(s.codes.mu, s.model.digest, dataset.fingerprint(), work.tsne_params)
        print(f"  t-SNE read back from the cache: {cached}, {time.perf_counter() - t0:.2f} s", flush=True)
    print(f"  {load()}", flush=True)
    window.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=1_000_000, help="the large size (the small one is 70,000)")
    p.add_argument("--tsne-max", type=int, default=10**9, help="skip t-SNE above this many points")
    p.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # one size, in this process
    args = p.parse_args()
    if args.one is not None:
        run_size(args.one, args.one <= args.tsne_max)
        return
    for n in sorted({70_000, args.points}):
        with tempfile.TemporaryDirectory() as cache:  # an empty cache: codes and maps are computed
            env = dict(os.environ, XDG_CACHE_HOME=cache)
            cmd = [sys.executable, __file__, "--one", str(n), "--tsne-max", str(args.tsne_max)]
            subprocess.run(cmd, env=env, check=True)


if __name__ == "__main__":
    main()
