"""Every setting of a training run, in one place: name, type, default, bounds (with the reason) and help.

``vae-explorer train`` builds its options from :data:`SETTINGS`, the Train form
checks its fields with :meth:`Setting.parse`, and the trainer validates a
:class:`TrainConfig` with the same rules, so a limit or a default is written once.
Settings marked ``run`` belong to the run itself: a resumed run takes them from
its checkpoint, and a flag that contradicts them is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from vae_explorer.core.data.registry import DATA_DIR_HELP, DATA_HELP, SHIPS_SPLIT, names_text
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.limits import TEST_FRACTION
from vae_explorer.core.model.config import KINDS

LR_SCHEDULES = ("constant", "cosine")
PRECISIONS = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class Setting:
    """One setting. ``low``/``high`` bound numbers (``open_low``: ``low`` itself is refused); ``why`` says
    why the upper bound is where it is; ``choices`` lists the words a text setting takes."""

    name: str
    kind: type
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    why: str = ""
    open_low: bool = False
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    run: bool = True

    @property
    def flag(self) -> str:
        """The command-line option: ``latent_dim`` -> ``--latent-dim``."""
        return "--" + self.name.replace("_", "-")

    def bounds(self) -> str:
        """``1 to 1,024: why``: the range a number takes and why it ends there; empty for other settings."""
        if self.kind not in (int, float) or self.low is None or self.high is None:
            return ""
        fmt = (lambda v: f"{v:,}") if self.kind is int else (lambda v: f"{v:g}")
        span = (
            f"above {fmt(self.low)}, at most {fmt(self.high)}"
            if self.open_low
            else f"{fmt(self.low)} to {fmt(self.high)}"
        )
        return f"{span}: {self.why}" if self.why else span

    def parse(self, text: str) -> Any:
        """The value of ``text`` typed by a user; raises ``ValueError`` with a short reason."""
        text = str(text).strip()
        if self.kind is int:
            try:
                value: Any = int(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a whole number" if text else "needs a whole number") from None
        elif self.kind is float:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a number" if text else "needs a number") from None
        else:
            value = text
        reason = self.problem(value, text)
        if reason:
            raise ValueError(reason)
        return value

    def problem(self, value: Any, shown: str | None = None) -> str | None:
        """Why ``value`` is refused (a phrase to follow the setting's name), or ``None``."""
        shown = shown if shown is not None else (f"{value:g}" if isinstance(value, float) else str(value))
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}, not {value!r}"
        if self.kind not in (int, float) or value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number, not {shown}"
        low, high = self.low, self.high
        if low is not None and (value <= low if self.open_low else value < low):
            if self.open_low:
                return f"must be above {low:g}, not {shown}"
            return f"must be at least {low:g}, not {shown}" if low else f"must be 0 or more, not {shown}"
        if high is not None and value > high:
            limit = f"{high:,}" if self.kind is int else f"{high:g}"
            return f"{shown} is too large (at most {limit}: {self.why})"
        return None


SETTINGS: tuple[Setting, ...] = (
    Setting("data", str, "fashion-mnist", DATA_HELP),
    Setting("data_dir", str, None, DATA_DIR_HELP, metavar="DIR", run=False),
    Setting(
        "test_fraction",
        float,
        None,
        "share of a folder's images (or the digits') held out as the test split, chosen with a fixed seed; "
        f"by default 0.1 for a folder, 0.2 for the digits, and {names_text('and', SHIPS_SPLIT)} ship their own",
        low=TEST_FRACTION.low,
        high=TEST_FRACTION.high,
        why=TEST_FRACTION.why,
        open_low=TEST_FRACTION.open_low,
        metavar="F",
    ),
    Setting("kind", str, "vae", "ae: a plain autoencoder; vae: a variational one", choices=KINDS),
    Setting(
        "latent_dim",
        int,
        16,
        "size of the latent code (2 draws the latent plane itself)",
        low=1,
        high=1024,
        why="a longer code no longer compresses images of at most 64x64 pixels",
        metavar="D",
    ),
    Setting(
        "beta",
        float,
        1.0,
        "weight of the KL term: 1 is a VAE, other values a beta-VAE",
        low=0.0,
        high=1000.0,
        why="beyond it the KL term leaves the reconstruction nothing to learn",
        metavar="B",
    ),
    Setting(
        "beta_warmup",
        int,
        0,
        "raise beta linearly from 0 over this many epochs",
        low=0,
        high=100_000,
        why="as many epochs as a run may have",
        metavar="EPOCHS",
    ),
    Setting(
        "epochs",
        int,
        10,
        "train up to this many epochs (with --resume: in all, counting those done)",
        low=1,
        high=100_000,
        why="a larger number is a slip: even 100,000 epochs take years here",
        metavar="E",
        run=False,
    ),
    Setting(
        "batch_size",
        int,
        128,
        "images per step, over all processes together",
        low=1,
        high=65_536,
        why="the activations of a larger batch outgrow the memory of one machine",
        metavar="N",
    ),
    Setting(
        "lr",
        float,
        1e-3,
        "Adam learning rate",
        low=0.0,
        high=1.0,
        why="Adam moves each weight by about this much per step, and larger steps diverge",
        open_low=True,
    ),
    Setting(
        "lr_schedule",
        str,
        "constant",
        "constant, or cosine: decay the learning rate to 0 by the last epoch",
        choices=LR_SCHEDULES,
    ),
    Setting(
        "seed",
        int,
        0,
        "seed of the weights, the shuffling and the VAE's noise",
        low=0,
        high=2**63 - 1,
        why="a seed is a 64-bit signed whole number",
    ),
    Setting("device", str, "auto", "auto (cuda > mps > cpu), cpu, cuda, cuda:N or mps", run=False),
    Setting(
        "precision",
        str,
        "auto",
        "auto: autocast on CUDA (bfloat16 where supported, else float16 with loss scaling), float32 elsewhere",
        choices=PRECISIONS,
        run=False,
    ),
    Setting(
        "history",
        bool,
        False,
        "store each epoch's test metrics and, for a 2-D latent, the codes of 500 fixed test images "
        "in the checkpoint, to replay training in the explorer",
    ),
    Setting(
        "half",
        bool,
        False,
        "store the finished model as float16 without optimizer state (a third of the size; "
        "it can no longer be resumed)",
        run=False,
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}
DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}
RUN_SETTINGS = tuple(s.name for s in SETTINGS if s.run)


@dataclass
class TrainConfig:
    """Every setting of one training run (see :data:`SETTINGS`); ``validate`` names the first bad value.

    ``out`` is the checkpoint written after every epoch, ``resume`` the one to continue
    (see :func:`vae_explorer.core.training.resume.resume_config`), ``widths`` the
    convolution widths when not the default architecture's.
    """

    data: str = DEFAULTS["data"]
    kind: str = DEFAULTS["kind"]
    latent_dim: int = DEFAULTS["latent_dim"]
    beta: float = DEFAULTS["beta"]
    beta_warmup: int = DEFAULTS["beta_warmup"]
    epochs: int = DEFAULTS["epochs"]
    batch_size: int = DEFAULTS["batch_size"]
    lr: float = DEFAULTS["lr"]
    lr_schedule: str = DEFAULTS["lr_schedule"]
    seed: int = DEFAULTS["seed"]
    device: str = DEFAULTS["device"]
    out: str = "model.pt"
    resume: str | None = None
    data_dir: str | None = DEFAULTS["data_dir"]
    widths: tuple[int, ...] | None = None
    half: bool = DEFAULTS["half"]
    test_fraction: float | None = DEFAULTS["test_fraction"]
    precision: str = DEFAULTS["precision"]
    history: bool = DEFAULTS["history"]

    def validate(self) -> None:
        """Raise :class:`VaeExplorerError` naming the first setting out of its bounds."""
        for s in SETTINGS:
            reason = s.problem(getattr(self, s.name))
            if reason:
                raise VaeExplorerError(f"{s.flag} {reason}")
        if not str(self.data).strip():
            raise VaeExplorerError("--data needs a data set name or a folder")
        if not str(self.out).strip():
            raise VaeExplorerError("--out needs a file name")

    def run_settings(self) -> dict[str, Any]:
        """The settings that make the run what it is (those a resumed run takes from its checkpoint)."""
        return {name: getattr(self, name) for name in RUN_SETTINGS}
