"""One training run as a child process, seen from the parent: its command, its JSON lines, its end.

Qt-free: the training tab feeds the child's events in here and draws what
:class:`RunState` holds. The events are ``vae-explorer train --progress json``'s
lines, read with :mod:`vae_explorer.core.training.protocol`.
"""

from __future__ import annotations

import datetime as _dt
import signal
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from vae_explorer.core.model.metrics import active_units
from vae_explorer.core.training.protocol import EpochInfo, StepInfo, TrainResult, decode
from vae_explorer.core.training.settings import SETTINGS, TrainConfig

ENDED = ("finished", "stopped", "failed", "crashed", "lost")
# Runs started from the explorer yield the CPU to it, so dragging stays live while they train.
BACKGROUND_NICE = 10


def train_arguments(cfg: TrainConfig) -> list[str]:
    """``vae-explorer`` arguments that run ``cfg``, print JSON lines and stop on ``stop`` from the parent.

    A resumed run names only what may change (its other settings come from the checkpoint).
    """
    args = ["train"] + (["--resume", str(cfg.resume)] if cfg.resume else [])
    for s in SETTINGS:
        value = getattr(cfg, s.name)
        if (cfg.resume and s.run) or value is None or value is False:
            continue
        if s.kind is bool:
            args.append(s.flag)
        else:
            args += [s.flag, repr(float(value)) if s.kind is float else str(value)]
    return args + ["--out", str(cfg.out), "--progress", "json", "--nice", str(BACKGROUND_NICE), "--stop-on-stdin"]


def config_from_dict(d: dict[str, Any]) -> TrainConfig:
    """A :class:`TrainConfig` from its ``asdict`` form (as stored in the run log); unknown keys are ignored."""
    names = {f.name for f in fields(TrainConfig)}
    kw = {k: v for k, v in d.items() if k in names}
    if kw.get("widths") is not None:
        kw["widths"] = tuple(kw["widths"])
    return TrainConfig(**kw)


def resume_run(settings: dict[str, Any], checkpoint: str, epochs: int) -> TrainConfig:
    """Continue ``checkpoint`` (written with ``settings``) up to ``epochs`` epochs, into the same file."""
    cfg = config_from_dict(settings)
    cfg.resume, cfg.out, cfg.epochs, cfg.half = str(checkpoint), str(checkpoint), int(epochs), False
    return cfg


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
    error: str = ""  # the run's own one-line reason for failing, from its end event
    processes: int = 1

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
        """Take in one parsed event from the child; ``KeyError``/``TypeError``/``ValueError`` if malformed."""
        info = decode(event)
        if isinstance(info, StepInfo):
            self.epoch, self.step, self.steps = info.epoch, info.step, info.steps
            self.beta, self.elapsed, self.eta, self.images_per_sec = (
                info.beta,
                info.elapsed,
                info.eta,
                info.images_per_sec,
            )
        elif isinstance(info, EpochInfo):
            self.epochs_done, self.train, self.test = info.epoch, info.train, info.test
            self.elapsed, self.eta = info.elapsed, info.eta
            self.checkpoint = info.checkpoint or self.checkpoint
        elif isinstance(info, TrainResult):
            self.epochs_done = info.epochs_done
            self.checkpoint = info.checkpoint or self.checkpoint
            self.error = info.error or self.error
        else:
            self.model = dict(info.get("model") or {})
            self.device = str(info.get("device", ""))
            self.processes = int(info.get("processes", 1))
            self.n_train = int(info.get("n_train", 0))
            self.start_epoch = self.epochs_done = int(info.get("start_epoch", 0))
            self.status = "running" if self.status == "starting" else self.status

    def finish(self, code: int, crashed: bool, error_lines: list[str], killed: bool = False) -> None:
        """The child has exited with ``code`` (a signal's number when ``crashed``).

        ``killed``: the user ended it at once (Stop, then Kill now): a stop, not a failure.
        """
        self.status, self.exit_text = describe_exit(code, crashed)
        if killed and crashed:
            self.status, self.exit_text = "stopped", f"killed at your request ({self.exit_text})"
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
            "reason": self.error if self.status == "failed" else "",
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
