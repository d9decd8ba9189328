"""Drag latency: from a mouse-move event on a map to the decoded image painted on screen.

Opens the real explorer window (offscreen) on Fashion-MNIST with 10,000 and then
70,000 points per map, presses the mouse on the VAE map's cursor and moves it
pixel by pixel; each move is timed until the decode panel has painted the image
decoded for it. Prints the median and 95th percentile, and how many new images of
the data points were made during the drag (the image is reused: it should be none):
first with the cursors unlinked (only the dragged model decodes), then linked, the
window's default (both models decode each move; the time is until the dragged
model's image is painted).
With --train-in-background, a `vae-explorer train` run works beside it. Then the
same with a user's model on the right, beside the shipped AE: the model file of
--model-file FILE, by default the README's PyTorch examples VAE (784-400-20, with
untrained weights: the same work per decode).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/drag_latency.py [--moves 300] [--train-in-background]
        [--model-file FILE] [--device cpu]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import SHARED_FASHION, examples_vae_file, fashion_pair, summary  # noqa: E402
from PySide6.QtCore import QPoint, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vae_explorer.core.data import load_dataset  # noqa: E402
from vae_explorer.core.io.trust import TrustPolicy  # noqa: E402
from vae_explorer.core.model.device import resolve_device  # noqa: E402
from vae_explorer.core.model.opening import open_model  # noqa: E402
from vae_explorer.core.session import Session  # noqa: E402
from vae_explorer.core.training.job import train_arguments
from vae_explorer.core.training.loop import TrainConfig
from vae_explorer.gui.shell.app import make_app  # noqa: E402
from vae_explorer.gui.shell.main_window import MainWindow  # noqa: E402

MOVE_INTERVAL_S = 0.012


def wait_until(app: QApplication, condition, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not settle")
        app.processEvents()
        time.sleep(0.001)


def send_mouse(widget, kind, pos: QPoint, button, buttons) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    local = QPointF(pos)
    event = QMouseEvent(kind, local, widget.mapToGlobal(local), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def measure(app: QApplication, window: MainWindow, moves: int) -> tuple[list[float], int]:
    """Latency of each of ``moves`` one-pixel drags of the right map's cursor, and new images of the data points."""
    from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer

    left_button = Qt.MouseButton.LeftButton
    session, panel = window.session, window.explorer.maps["right"]
    view, viewport = window.explorer.decoders["right"].decoded, panel.plot.viewport()
    painted: list[object] = []
    loop, timer, waiter = QEventLoop(), QTimer(singleShot=True), {"z": None}
    timer.timeout.connect(loop.quit)

    def on_painted(result) -> None:
        painted.append(result)
        if waiter["z"] is not None and np.array_equal(getattr(result, "z", None), waiter["z"]):
            waiter["z"] = None
            loop.quit()

    view.sigPainted.connect(on_painted)
    renders = panel.scatter.renders  # images of the data points made so far: a drag should make none
    for _ in range(3):  # let the axes settle their size, so pixel positions are final
        window.repaint()
        app.processEvents()
    start = panel.plot.mapFromScene(panel.vb.mapViewToScene(QPointF(*session.slots["right"].cursor_point)))
    send_mouse(viewport, QEvent.Type.MouseButtonPress, start, left_button, left_button)
    latencies, last_move = [], 0.0
    # pyqtgraph starts a drag once the mouse has moved a few pixels; the first moves only start it.
    for i in range(-10, moves + 1):
        step = abs(i) % 80
        pos = start + QPoint(8 + (step if (abs(i) // 80) % 2 == 0 else 80 - step), (abs(i) // 3) % 40)
        # pyqtgraph drops move events closer than 1 / mouseRateLimit (10 ms); a mouse sends ~80 per second.
        while time.perf_counter() - last_move < MOVE_INTERVAL_S:
            app.processEvents()
            time.sleep(0.0005)
        before = session.slots["right"].cursor_z.copy()
        for _attempt in range(5):  # a busy machine delays events, and pyqtgraph then drops a move as too soon
            painted.clear()
            t0 = last_move = time.perf_counter()
            send_mouse(viewport, QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, left_button)
            z = session.slots["right"].cursor_z.copy()
            if i <= 0 or not np.array_equal(z, before):
                break
            time.sleep(MOVE_INTERVAL_S)
        else:
            raise RuntimeError("the drag did not move the cursor")
        if np.array_equal(z, before):
            continue
        # Wait in Qt's event loop, as the application does: idle, without holding the GIL.
        if not any(getattr(r, "z", None) is not None and np.array_equal(r.z, z) for r in painted):
            waiter["z"] = z
            timer.start(10_000)
            loop.exec()
            if not timer.isActive():
                raise TimeoutError("the decoded image was not painted within 10 s")
            timer.stop()
        if i > 0:
            latencies.append((time.perf_counter() - t0) * 1000)
    send_mouse(viewport, QEvent.Type.MouseButtonRelease, pos, left_button, Qt.MouseButton.NoButton)
    view.sigPainted.disconnect(on_painted)
    return latencies, panel.scatter.renders - renders


def open_window(app: QApplication, left, right, dataset, device: str = "cpu") -> MainWindow:
    """The explorer offscreen with the pair open on ``device``, the first sample selected, all work done."""
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session(device), settings, persist=False)
    window.resize(1400, 900)
    window.show()
    window.session.open_pair(left, right, dataset)
    wait_until(
        app, lambda: window.is_settled() and all(p.shown_points is not None for p in window.explorer.maps.values())
    )
    window.session.select(0)
    wait_until(app, window.is_settled)
    return window


def start_training(folder: str) -> subprocess.Popen:
    """A run started as the training tab starts one (same arguments, lowered priority)."""
    cfg = TrainConfig(data="fashion-mnist", epochs=50, out=f"{folder}/bg.pt")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vae_explorer", *train_arguments(cfg)],
        stdout=subprocess.PIPE, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    for line in proc.stdout:
        if json.loads(line)["event"] == "step":
            return proc
    raise RuntimeError("the background training run did not start")


def main() -> None:
    p = argparse.ArgumentParser(description="Drag latency of the explorer's live decoding.")
    p.add_argument("--moves", type=int, default=300)
    p.add_argument("--train-in-background", action="store_true")
    p.add_argument(
        "--model-file", help="a model file to time beside the shipped AE (default: the PyTorch examples VAE)"
    )
    p.add_argument("--device", default="cpu", help="where the models run (default cpu; auto: cuda > mps > cpu)")
    args = p.parse_args()
    device = resolve_device(args.device)
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    app = make_app()
    left, right, what = fashion_pair()
    test = load_dataset("fashion-mnist", "test")
    train = load_dataset("fashion-mnist", "train")
    everything = replace(
        test, split="all", images=np.concatenate([train.images, test.images]),
        labels=np.concatenate([train.labels, test.labels]), _fingerprint=None,
    )  # fmt: skip
    background = None
    with tempfile.TemporaryDirectory() as folder:
        if args.train_in_background:
            background = start_training(folder)
        own = open_model(args.model_file or examples_vae_file(folder), device, TrustPolicy(allow_any=True))
        for right_model, models in ((right, what), (own, f"the shipped AE and {own.name} (a model file)")):
            print(
                f"models: {models} on {device}; {'with' if background else 'without'} a training run in the background"
            )
            for dataset in (test, everything):
                window = open_window(app, left, right_model, dataset, device)
                for linked in (False, True):
                    window.session.set_linked(linked)
                    window.session.select(0)  # each drag starts from the same place, the first sample
                    wait_until(app, window.is_settled)
                    latencies, redrawn = measure(app, window, args.moves)
                    cursors = "linked cursors" if linked else "one cursor"
                    print(
                        f"{len(dataset):>6} points per map, {cursors}: {summary(latencies)}; "
                        f"points redrawn {redrawn} times"
                    )
                window.close()
        if background is not None:
            background.stdin.write("stop\n")
            background.stdin.flush()
            background.wait(timeout=120)


if __name__ == "__main__":
    main()
