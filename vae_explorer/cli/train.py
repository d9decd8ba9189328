"""``vae-explorer train``: the training loop with a terminal progress bar or JSON lines."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any, TextIO

from vae_explorer.core.training.job import clock_text
from vae_explorer.core.training.loop import Callback, EpochInfo, StepInfo, TrainConfig, TrainResult, train

from .parser import add_device_argument, non_negative_float, non_negative_int, positive_float, positive_int


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train an AE, VAE or beta-VAE", description="Train an AE, VAE or beta-VAE.")
    p.add_argument("--data", default="fashion-mnist", help="fashion-mnist, mnist, digits, faces, or a folder")
    p.add_argument("--data-dir", help="a folder holding the Fashion-MNIST / MNIST IDX files")
    p.add_argument("--kind", choices=("ae", "vae"), default="vae")
    p.add_argument("--latent-dim", type=positive_int, default=16, metavar="D")
    p.add_argument("--beta", type=non_negative_float, default=1.0, metavar="B", help="KL weight (1: VAE)")
    p.add_argument(
        "--beta-warmup",
        type=non_negative_int,
        default=0,
        metavar="EPOCHS",
        help="raise beta linearly from 0 over this many epochs",
    )
    p.add_argument("--epochs", type=positive_int, default=10, metavar="E")
    p.add_argument("--batch-size", type=positive_int, default=128, metavar="N")
    p.add_argument("--lr", type=positive_float, default=1e-3, help="Adam learning rate")
    p.add_argument(
        "--lr-schedule",
        choices=("constant", "cosine"),
        default="constant",
        help="cosine: decay the learning rate to 0 by the last epoch",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="FILE", help="checkpoint to write after every epoch (default: model.pt)")
    p.add_argument("--resume", metavar="FILE", help="continue training this checkpoint up to --epochs")
    p.add_argument(
        "--half",
        action="store_true",
        help="store the finished model as float16 without optimizer state (a third of the size; "
        "it can no longer be resumed)",
    )
    p.add_argument(
        "--progress",
        choices=("bar", "json", "none"),
        default="bar",
        help="bar: a progress bar on a terminal; json: one JSON object per line on stdout",
    )
    p.add_argument(
        "--nice",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="lower this run's CPU priority by N (Unix), so an explorer beside it stays responsive",
    )
    add_device_argument(p)
    p.set_defaults(func=run)


def _fmt_time(seconds: float) -> str:
    return clock_text(int(max(seconds, 0)))


class BarPrinter(Callback):
    """A one-line progress bar on a terminal, and one summary line per epoch."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.tty, self.last = stream, stream.isatty(), 0.0

    def on_train_start(self, info: dict[str, Any]) -> None:
        m = info["model"]
        what = "an AE" if m["kind"] == "ae" else "a VAE"
        self.stream.write(
            f"training {what} (latent {m['latent_dim']}) on {info['config']['data']}: "
            f"{info['n_train']} images, device {info['device']}\n"
        )

    def on_step(self, s: StepInfo) -> None:
        now = time.monotonic()
        if not self.tty or (now - self.last < 0.1 and s.step != s.steps):
            return
        self.last = now
        width = 30
        filled = int(width * s.step / s.steps)
        self.stream.write(
            f"\repoch {s.epoch}/{s.epochs} [{'#' * filled}{'.' * (width - filled)}] {s.step}/{s.steps} "
            f"loss {s.loss:7.2f}  {s.images_per_sec:5.0f} img/s  left {_fmt_time(s.eta)} "
        )
        self.stream.flush()

    def on_epoch_end(self, e: EpochInfo) -> None:
        t = e.test
        line = (
            f"epoch {e.epoch}/{e.epochs}: train loss {e.train['loss']:.2f} | test recon {t['recon']:.2f} "
            f"KL {t['kl']:.2f} neg-ELBO {t['neg_elbo']:.2f} | {_fmt_time(e.elapsed)} -> {e.checkpoint}"
        )
        self.stream.write(("\r\x1b[K" if self.tty else "") + line + "\n")
        self.stream.flush()


class JsonPrinter(Callback):
    """One JSON object per line: start, step (at most every 0.2 s), epoch, end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.last = stream, 0.0

    def emit(self, event: str, payload: dict[str, Any]) -> None:
        self.stream.write(json.dumps({"event": event, **payload}) + "\n")
        self.stream.flush()

    def on_train_start(self, info: dict[str, Any]) -> None:
        self.emit("start", info)

    def on_step(self, s: StepInfo) -> None:
        now = time.monotonic()
        if now - self.last >= 0.2 or s.step == s.steps:
            self.last = now
            self.emit("step", asdict(s))

    def on_epoch_end(self, e: EpochInfo) -> None:
        self.emit("epoch", asdict(e))

    def on_train_end(self, r: TrainResult) -> None:
        self.emit("end", {"status": r.status, "epochs_done": r.epochs_done, "checkpoint": r.checkpoint})


def _stdin_is_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _watch_stdin(cancel: threading.Event) -> None:
    """A parent process (the training tab) asks for a clean stop by writing ``stop``."""
    try:
        for line in sys.stdin:
            if line.strip() == "stop":
                break
    except (OSError, ValueError):
        return
    cancel.set()  # "stop", or the parent closed the pipe: it is gone


@contextlib.contextmanager
def stop_requests(cancel: threading.Event, from_stdin: bool) -> Iterator[None]:
    """Ctrl-C / SIGTERM (and ``stop`` on a piped stdin) set ``cancel``; a second Ctrl-C stops at once."""

    def handler(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        sys.stderr.write("\nstopping after this step (Ctrl-C again to stop at once)\n")

    in_main = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)} if in_main else {}
    if from_stdin and _stdin_is_pipe():
        threading.Thread(target=_watch_stdin, args=(cancel,), daemon=True, name="stop-watch").start()
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run(args: argparse.Namespace) -> int:
    if args.nice and hasattr(os, "nice"):
        os.nice(args.nice)
    out = args.out or args.resume or "model.pt"
    cfg = TrainConfig(
        data=args.data,
        kind=args.kind,
        latent_dim=args.latent_dim,
        beta=args.beta,
        beta_warmup=args.beta_warmup,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        lr_schedule=args.lr_schedule,
        seed=args.seed,
        device=args.device,
        out=out,
        resume=args.resume,
        data_dir=args.data_dir,
        half=args.half,
    )
    cancel = threading.Event()
    json_mode = args.progress == "json"
    printer: Callback = JsonPrinter(sys.stdout) if json_mode else BarPrinter(sys.stderr)
    callbacks = [] if args.progress == "none" else [printer]
    with stop_requests(cancel, from_stdin=json_mode):
        result = train(cfg, callbacks, cancel)
    if result.status == "finished":
        return 0
    if result.checkpoint and result.epochs_done:
        sys.stderr.write(
            f"interrupted: {result.checkpoint} holds {result.epochs_done} of {cfg.epochs} epochs; "
            f"continue with: vae-explorer train --resume {result.checkpoint} --epochs {cfg.epochs}\n"
        )
    else:
        sys.stderr.write("interrupted before the first epoch ended: no checkpoint was written\n")
    return 130
