"""One training run as a child process, seen from the parent: its command, its JSON lines, its end.

Qt-free: the training tab feeds the child's output in here and draws what
:class:`RunState` holds. The protocol is ``vae-explorer train --progress json``
(see ``cli/train.py``): one JSON object per line, ``start``, ``step``, ``epoch``, ``end``.
"""

from __future__ import annotations

import datetime as _dt
import json
import signal
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from vae_explorer.core.model.metrics import active_units
from vae_explorer.core.training.loop import TrainConfig

MAX_LINE = 1 << 20  # a line longer than this is cut, so a runaway child cannot fill memory
ENDED = ("finished", "stopped", "failed", "crashed", "lost")
# Runs started from the explorer yield the CPU to it, so dragging stays live while they train.
BACKGROUND_NICE = 10


def train_arguments(cfg: TrainConfig) -> list[str]:
    """``vae-explorer`` arguments that run ``cfg`` and print JSON lines."""
    args = [
        "train",
        "--data",
        cfg.data,
        "--kind",
        cfg.kind,
        "--latent-dim",
        str(cfg.latent_dim),
        "--beta",
        repr(float(cfg.beta)),
        "--beta-warmup",
        str(cfg.beta_warmup),
        "--epochs",
        str(cfg.epochs),
        "--batch-size",
        str(cfg.batch_size),
        "--lr",
        repr(float(cfg.lr)),
        "--lr-schedule",
        cfg.lr_schedule,
        "--seed",
        str(cfg.seed),
        "--device",
        cfg.device,
        "--out",
        str(cfg.out),
        "--progress",
        "json",
        "--nice",
        str(BACKGROUND_NICE),
    ]
    if cfg.data_dir:
        args += ["--data-dir", str(cfg.data_dir)]
    if cfg.resume:
        args += ["--resume", str(cfg.resume)]
    if cfg.half:
        args.append("--half")
    return args


def config_from_dict(d: dict[str, Any]) -> TrainConfig:
    """A :class:`TrainConfig` from its ``asdict`` form (as stored in the run log); unknown keys are ignored."""
    names = {f.name for f in fields(TrainConfig)}
    kw = {k: v for k, v in d.items() if k in names}
    if kw.get("widths") is not None:
        kw["widths"] = tuple(kw["widths"])
    return TrainConfig(**kw)


def resume_config(settings: dict[str, Any], checkpoint: str, epochs: int) -> TrainConfig:
    """Continue ``checkpoint`` (written with ``settings``) up to ``epochs`` epochs, into the same file."""
    cfg = config_from_dict(settings)
    cfg.resume, cfg.out, cfg.epochs, cfg.half = str(checkpoint), str(checkpoint), int(epochs), False
    return cfg


class LineSplitter:
    """Bytes as they arrive from a pipe -> whole lines (text, without the newline)."""

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, data: bytes) -> list[str]:
        self._buf += data
        *lines, self._buf = self._buf.split(b"\n")
        if len(self._buf) > MAX_LINE:
            lines.append(self._buf[:MAX_LINE])
            self._buf = b""
        return [line.decode("utf-8", "replace").rstrip("\r") for line in lines]

    def flush(self) -> list[str]:
        """The unfinished last line, at the end of the stream."""
        rest, self._buf = self._buf, b""
        return [rest.decode("utf-8", "replace")] if rest.strip() else []


def parse_event(line: str) -> dict[str, Any] | None:
    """One progress event, or ``None`` for a line that is not one (a stray print)."""
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) and isinstance(obj.get("event"), str) else None


def describe_exit(code: int, crashed: bool) -> tuple[str, str]:
    """``(status, text)`` for a child's end: ``finished``, ``stopped``, ``failed`` (an error) or ``crashed``.

    ``crashed`` means killed by a signal; ``code`` is then the signal's number when known.
    """
    if crashed:
        try:
            name = signal.Signals(code).name
        except ValueError:
            return "crashed", "crashed (killed by a signal)"
        why = " (out of memory, or ended from outside)" if name == "SIGKILL" else ""
        return "crashed", f"killed by signal {code} ({name}){why}"
    if code == 0:
        return "finished", "finished (exit status 0)"
    if code == 130:
        return "stopped", "stopped (exit status 130)"
    return "failed", f"failed with exit status {code}"


def _now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class RunState:
    """What is known of one run, from its events and its exit; :meth:`entry` is its run-log record."""

    config: TrainConfig
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started: str = field(default_factory=_now)
    ended: str = ""
    status: str = "starting"
    exit_text: str = ""
    model: dict[str, Any] = field(default_factory=dict)
    device: str = ""
    n_train: int = 0
    start_epoch: int = 0
    epoch: int = 0  # the epoch in progress, 1-based
    step: int = 0
    steps: int = 0
    beta: float = 0.0
    elapsed: float = 0.0
    eta: float | None = None
    images_per_sec: float = 0.0
    epochs_done: int = 0
    train: dict[str, float] = field(default_factory=dict)
    test: dict[str, Any] = field(default_factory=dict)
    checkpoint: str | None = None
    error_lines: list[str] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return self.config.epochs

    @property
    def latent_dim(self) -> int:
        """The model's latent size as the child reported it, else as configured."""
        return int(self.model.get("latent_dim", self.config.latent_dim))

    @property
    def is_over(self) -> bool:
        return self.status in ENDED

    @property
    def fraction(self) -> float:
        """How much of the whole run is done, 0 to 1 (counted from epoch 0, so a resumed run starts partway)."""
        if self.status == "finished":
            return 1.0
        if not self.steps:
            return self.epochs_done / max(self.epochs, 1)
        done = (self.epoch - 1) * self.steps + self.step if self.epoch else self.epochs_done * self.steps
        return min(1.0, max(done, self.epochs_done * self.steps) / (self.epochs * self.steps))

    @property
    def kl_per_dim(self) -> list[float] | None:
        return self.test.get("kl_per_dim")

    def apply(self, event: dict[str, Any]) -> None:
        """Take in one JSON event from the child."""
        kind = event.get("event")
        if kind == "start":
            self.model = dict(event.get("model") or {})
            self.device = str(event.get("device", ""))
            self.n_train = int(event.get("n_train", 0))
            self.start_epoch = self.epochs_done = int(event.get("start_epoch", 0))
            self.status = "running" if self.status == "starting" else self.status
        elif kind == "step":
            self.epoch, self.step, self.steps = int(event["epoch"]), int(event["step"]), int(event["steps"])
            self.beta, self.elapsed = float(event.get("beta", 0.0)), float(event.get("elapsed", 0.0))
            self.eta, self.images_per_sec = float(event.get("eta", 0.0)), float(event.get("images_per_sec", 0.0))
        elif kind == "epoch":
            self.epochs_done = int(event["epoch"])
            self.train, self.test = dict(event.get("train") or {}), dict(event.get("test") or {})
            self.elapsed, self.eta = float(event.get("elapsed", 0.0)), float(event.get("eta", 0.0))
            self.checkpoint = event.get("checkpoint") or self.checkpoint
        elif kind == "end":
            self.epochs_done = int(event.get("epochs_done", self.epochs_done))
            self.checkpoint = event.get("checkpoint") or self.checkpoint

    def finish(self, code: int, crashed: bool, error_lines: list[str]) -> None:
        """The child has exited with ``code`` (a signal's number when ``crashed``)."""
        self.status, self.exit_text = describe_exit(code, crashed)
        self.ended = _now()
        self.error_lines = list(error_lines)
        if self.checkpoint is None and self.config.resume:
            self.checkpoint = self.config.resume  # stopped before its first new epoch: the old file stands

    def entry(self) -> dict[str, Any]:
        """The run-log record: settings, final metrics, file, exit status."""
        kl = self.kl_per_dim
        return {
            "id": self.id,
            "started": self.started,
            "ended": self.ended,
            "status": self.status,
            "exit": self.exit_text,
            "settings": asdict(self.config),
            "model": self.model,
            "device": self.device,
            "start_epoch": self.start_epoch,
            "epochs_done": self.epochs_done,
            "epochs": self.epochs,
            "test": {k: v for k, v in self.test.items() if k != "kl_per_dim"},
            "active_units": None if kl is None else active_units(kl),
            "latent_dim": self.latent_dim,
            "checkpoint": self.checkpoint or (self.config.out if self.epochs_done else None),
            "error": self.error_lines[-20:] if self.status in ("failed", "crashed") else [],
        }


def clock_text(seconds: int) -> str:
    """Whole seconds as ``1:05`` or ``1:02:03``."""
    s = seconds
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def eta_text(seconds: float | None) -> str:
    """Time left, rounded to the second (:func:`clock_text`); ``--`` when unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "--"
    return clock_text(int(round(seconds)))


def progress_text(state: RunState) -> str:
    """The progress bar's words: epoch, step and time left."""
    if state.status == "starting":
        return "starting…"
    if not state.steps:
        text = f"epoch {state.epochs_done}/{state.epochs}"
        return f"{text} · {state.status}" if state.is_over else text
    text = f"epoch {state.epoch}/{state.epochs} · step {state.step}/{state.steps}"
    if state.is_over:
        return f"{text} · {state.status}"
    return f"{text} · {eta_text(state.eta)} left"
