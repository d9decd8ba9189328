"""``vae-explorer train``: the training loop with a terminal progress bar or JSON lines.

Its options are built from :data:`vae_explorer.core.training.settings.SETTINGS`,
the one list the Train form and the trainer read as well.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shlex
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.text import printable
from vae_explorer.core.training.distributed import PeerLost
from vae_explorer.core.training.job import clock_text
from vae_explorer.core.training.loop import train
from vae_explorer.core.training.outputs import free_output, run_stem
from vae_explorer.core.training.protocol import Callback, EpochInfo, JsonPrinter, StepInfo
from vae_explorer.core.training.resume import resume_config
from vae_explorer.core.training.settings import SETTINGS, Setting, TrainConfig

from .parser import add_device_argument, int_between, within

EPILOG = """\
several processes (DistributedDataParallel; gloo on the CPU, nccl on CUDA):
  torchrun --nproc_per_node 2 -m vae_explorer train --data fashion-mnist --out m.pt
  (two hosts: the same with --nnodes 2 --node_rank 0|1 --rdzv_backend c10d --rdzv_endpoint HOST:29400)
--batch-size is the global batch, so N processes follow the curve of one."""


def _add_setting(p: argparse.ArgumentParser, s: Setting) -> None:
    """One option per setting; ``None`` when not given, so a resumed run can tell given from default."""
    if s.name == "device":
        add_device_argument(p)
        p.set_defaults(device=None)
        return
    notes = []
    if s.default not in (None, False):
        notes.append(f"default: {s.default:g}" if s.kind is float else f"default: {s.default}")
    if s.bounds():
        notes.append(s.bounds())
    shown = f" ({'; '.join(notes)})" if notes else ""
    if s.kind is bool:
        p.add_argument(s.flag, action="store_true", default=None, help=s.help)
    elif s.choices:
        p.add_argument(s.flag, choices=s.choices, default=None, help=s.help + shown)
    else:
        p.add_argument(s.flag, type=within(s), default=None, metavar=s.metavar, help=s.help + shown)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train an AE, VAE or beta-VAE",
        description="Train an AE, VAE or beta-VAE.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for s in SETTINGS:
        _add_setting(p, s)
    p.add_argument(
        "--out",
        metavar="FILE",
        help="checkpoint to write after every epoch (default: with --resume that file, else a free name "
        "in this folder saying what is trained, e.g. digits-vae-16d.pt); an existing checkpoint there is "
        "replaced, and said so, and any other file is refused",
    )
    p.add_argument(
        "--resume",
        metavar="FILE",
        help="continue this checkpoint up to --epochs (default: its planned number); data, split, model and "
        "optimizer settings come from it, and a flag that contradicts them is refused",
    )
    p.add_argument(
        "--progress",
        choices=("bar", "json", "none"),
        default="bar",
        help="bar: a progress bar on a terminal; json: one JSON object per line on stdout",
    )
    p.add_argument(
        "--nice",
        type=int_between(0, 19),
        default=0,
        metavar="N",
        help="lower this run's CPU priority by N, 0 to 19 (Unix priorities end at 19), so an explorer beside "
        "it stays responsive",
    )
    p.add_argument(
        "--stop-on-stdin",
        action="store_true",
        help="for a parent process: a line 'stop' on stdin stops the run cleanly, and so does stdin closing",
    )
    p.set_defaults(func=run)


def _fmt_time(seconds: float) -> str:
    return clock_text(int(max(seconds, 0))) if seconds == seconds else "--"


class BarPrinter(Callback):
    """A one-line progress bar on a terminal, and one summary line per epoch."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.tty, self.last = stream, stream.isatty(), 0.0

    def on_train_start(self, info: dict[str, Any]) -> None:
        m = info["model"]
        what = "an AE" if m["kind"] == "ae" else "a VAE"
        procs = info.get("processes", 1)
        where = f"{procs} processes on {info['device']}" if procs > 1 else f"device {info['device']}"
        if info.get("replaces"):
            self.stream.write(f"{info['replaces']}\n")
        data = printable(info["config"]["data"])  # from a checkpoint's metadata when resumed
        self.stream.write(f"training {what} (latent {m['latent_dim']}) on {data}: {info['n_train']} images, {where}\n")

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


def _stdin_is_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _watch_stdin(cancel: threading.Event) -> None:
    """A parent process (the training tab) asks for a clean stop by writing ``stop``, or by going away."""
    try:
        for line in sys.stdin:
            if line.strip() == "stop":
                break
    except (OSError, ValueError):
        return
    cancel.set()  # "stop", or the parent closed the pipe: it is gone


@contextlib.contextmanager
def stop_requests(cancel: threading.Event, from_stdin: bool) -> Iterator[None]:
    """Ctrl-C / SIGTERM (and, with ``from_stdin``, ``stop`` on a piped stdin) set ``cancel``; a second Ctrl-C
    stops at once."""

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


def _is_writer() -> bool:
    """Whether this process reports (a single process, or rank 0 under torchrun)."""
    return os.environ.get("RANK", "0") in ("", "0")


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The run the options ask for: a new one, or (``--resume``) the checkpoint's, with what was given."""
    given = {s.name: getattr(args, s.name) for s in SETTINGS if getattr(args, s.name) is not None}
    if args.out:
        given["out"] = args.out
    if args.resume:
        return resume_config(args.resume, given)
    cfg = TrainConfig(**{k: v for k, v in given.items() if k != "out"})
    if args.out:
        cfg.out = args.out
    else:
        cfg.out = str(free_output(Path.cwd(), run_stem(cfg.data, cfg.kind, cfg.beta, cfg.latent_dim)).name)
        if _is_writer():
            sys.stderr.write(f"writing {cfg.out} (no --out given)\n")
    return cfg


def run(args: argparse.Namespace) -> int:
    if args.nice and hasattr(os, "nice"):
        os.nice(args.nice)
    cfg = config_from_args(args)
    cancel = threading.Event()
    printer: Callback = JsonPrinter(sys.stdout) if args.progress == "json" else BarPrinter(sys.stderr)
    callbacks = [] if args.progress == "none" else [printer]
    try:
        with stop_requests(cancel, from_stdin=args.stop_on_stdin):
            result = train(cfg, callbacks, cancel)
    except VaeExplorerError as exc:
        if _is_writer() or isinstance(exc, PeerLost):  # every rank left says which one it lost
            raise
        return 1  # rank 0 says why; the other processes of a torchrun group end quietly
    if result.status == "finished":
        return 0
    if not _is_writer():
        return 130
    if result.checkpoint and result.epochs_done:
        sys.stderr.write(
            f"interrupted: {result.checkpoint} holds {result.epochs_done} of {cfg.epochs} epochs; "
            f"continue with: vae-explorer train --resume {shlex.quote(result.checkpoint)} --epochs {cfg.epochs}\n"
        )
    else:
        sys.stderr.write("interrupted before the first epoch ended: no checkpoint was written\n")
    return 130
