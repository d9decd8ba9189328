"""The headless training loop behind ``vae-explorer train`` and the training tab.

It knows nothing of terminals or Qt: progress goes to callbacks, a
``threading.Event`` asks it to stop after the current step, and every completed
epoch is saved atomically, so the file on disk is always a whole checkpoint that
``resume`` can continue.
"""

from __future__ import annotations

import datetime as _dt
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import torch

from vae_explorer import __version__
from vae_explorer.core.data import Dataset, load_dataset
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.model.autoencoder import KINDS, ModelConfig, build_model, default_config, prefers_channels_last
from vae_explorer.core.model.checkpoint import check_image_shape, load_checkpoint, save_checkpoint
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.losses import loss_terms
from vae_explorer.core.model.metrics import evaluate

LR_SCHEDULES = ("constant", "cosine")


@dataclass
class TrainConfig:
    """Every setting of one training run; ``validate`` names the first bad value."""

    data: str = "fashion-mnist"
    kind: str = "vae"
    latent_dim: int = 16
    beta: float = 1.0
    beta_warmup: int = 0
    epochs: int = 10
    batch_size: int = 128
    lr: float = 1e-3
    lr_schedule: str = "constant"
    seed: int = 0
    device: str = "auto"
    out: str = "model.pt"
    resume: str | None = None
    data_dir: str | None = None
    widths: tuple[int, ...] | None = None
    half: bool = False

    def validate(self) -> None:
        checks = [
            (self.kind in KINDS, f"--kind must be one of {', '.join(KINDS)}, not {self.kind!r}"),
            (self.epochs >= 1, f"--epochs must be at least 1, not {self.epochs}"),
            (self.latent_dim >= 1, f"--latent-dim must be at least 1, not {self.latent_dim}"),
            (self.latent_dim <= 1024, f"--latent-dim {self.latent_dim} is too large (at most 1024)"),
            (self.batch_size >= 1, f"--batch-size must be at least 1, not {self.batch_size}"),
            (math.isfinite(self.beta) and self.beta >= 0, f"--beta must be 0 or more, not {self.beta}"),
            (self.beta_warmup >= 0, f"--beta-warmup must be 0 or more epochs, not {self.beta_warmup}"),
            (math.isfinite(self.lr) and self.lr > 0, f"--lr must be above 0, not {self.lr}"),
            (self.lr_schedule in LR_SCHEDULES, f"--lr-schedule must be one of {', '.join(LR_SCHEDULES)}"),
            (bool(str(self.out).strip()), "--out needs a file name"),
        ]
        for ok, message in checks:
            if not ok:
                raise VaeExplorerError(message)


@dataclass
class StepInfo:
    epoch: int  # 1-based
    epochs: int
    step: int  # 1-based, within the epoch
    steps: int
    loss: float
    recon: float
    kl: float
    beta: float
    elapsed: float
    eta: float
    images_per_sec: float


@dataclass
class EpochInfo:
    epoch: int
    epochs: int
    train: dict[str, float]
    test: dict[str, Any]
    elapsed: float
    eta: float
    checkpoint: str


@dataclass
class TrainResult:
    status: str  # "finished" or "cancelled"
    epochs_done: int
    checkpoint: str | None
    history: list[dict[str, Any]] = field(default_factory=list)


class Callback:
    """Hooks the loop calls; override what you need."""

    def on_train_start(self, info: dict[str, Any]) -> None: ...

    def on_step(self, info: StepInfo) -> None: ...

    def on_epoch_end(self, info: EpochInfo) -> None: ...

    def on_train_end(self, result: TrainResult) -> None: ...


def lr_at(cfg: TrainConfig, epoch_progress: float) -> float:
    """Learning rate after ``epoch_progress`` epochs: constant, or a cosine decay to 0 at the last epoch."""
    if cfg.lr_schedule == "cosine":
        return cfg.lr * 0.5 * (1.0 + math.cos(math.pi * min(epoch_progress / cfg.epochs, 1.0)))
    return cfg.lr


def beta_at(cfg: TrainConfig, epoch_progress: float) -> float:
    """beta after ``epoch_progress`` epochs (fractional), with the linear warm-up."""
    if cfg.beta_warmup <= 0:
        return cfg.beta
    return cfg.beta * min(1.0, epoch_progress / cfg.beta_warmup)


def _model_config(cfg: TrainConfig, data: Dataset) -> ModelConfig:
    base = default_config(cfg.kind, data.image_shape, cfg.latent_dim)
    if cfg.widths:
        return ModelConfig(base.kind, base.image_shape, base.latent_dim, tuple(cfg.widths), base.hidden)
    return base


class _Run:
    """The state of one run, split out of :func:`train` to keep each step readable."""

    def __init__(self, cfg: TrainConfig, callbacks: Sequence[Callback], cancel: threading.Event):
        cfg.validate()
        self.cfg, self.callbacks, self.cancel = cfg, list(callbacks), cancel
        self.device = resolve_device(cfg.device)
        self.train_set = load_dataset(cfg.data, "train", cfg.data_dir)
        self.test_set = load_dataset(cfg.data, "test", cfg.data_dir)
        self.start_epoch, self.history = 0, []
        self.shuffle_gen = torch.Generator().manual_seed(cfg.seed)
        self.noise_gen = torch.Generator(device=self.device).manual_seed(cfg.seed + 1)
        self.prior_seconds = 0.0
        resume_state = self._load_resume() if cfg.resume else None
        if resume_state is None:
            torch.manual_seed(cfg.seed)
            self.model = build_model(_model_config(cfg, self.train_set)).to(self.device)
        self.channels_last = prefers_channels_last(self.model, self.device)
        if self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=cfg.lr)
        if resume_state is not None:
            self.optimizer.load_state_dict(resume_state["optimizer"])
        self.x_train = torch.from_numpy(self.train_set.images).to(self.device)
        self.x_test = torch.from_numpy(self.test_set.images).to(self.device)

    def _load_resume(self) -> dict[str, Any]:
        cfg = self.cfg
        ckpt = load_checkpoint(cfg.resume, map_location=self.device)
        check_image_shape(ckpt, self.train_set.image_shape, cfg.data)
        if not ckpt.train_state:
            raise VaeExplorerError(f"{cfg.resume}: holds no training state to resume from")
        state = ckpt.train_state
        self.model = ckpt.build_model(self.device)
        self.start_epoch = int(state["epoch"])
        if cfg.epochs <= self.start_epoch:
            raise VaeExplorerError(
                f"{cfg.resume}: already trained for {self.start_epoch} epochs; ask for more with --epochs"
            )
        cfg.kind, cfg.latent_dim = ckpt.config.kind, ckpt.config.latent_dim
        meta = ckpt.metadata
        cfg.beta = float(meta.get("beta", cfg.beta))
        cfg.beta_warmup = int(meta.get("beta_warmup", cfg.beta_warmup))
        cfg.lr_schedule = str(meta.get("lr_schedule", cfg.lr_schedule))
        self.history = list(meta.get("history", []))
        self.prior_seconds = float(meta.get("train_seconds", 0.0))
        self.shuffle_gen.set_state(state["shuffle_rng"])
        self.noise_gen.set_state(state["noise_rng"])
        return state

    def _emit(self, name: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, name)(*args)

    def _batch(self, idx: torch.Tensor) -> torch.Tensor:
        x = to_float(self.x_train[idx.to(self.device)])
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last else x

    @property
    def seconds(self) -> float:
        return self.prior_seconds + time.perf_counter() - self.run_t0

    def _train_epoch(self, epoch: int) -> dict[str, float] | None:
        cfg, n = self.cfg, len(self.x_train)
        steps = max(1, math.ceil(n / cfg.batch_size))
        perm = torch.randperm(n, generator=self.shuffle_gen)
        sums = {"loss": 0.0, "recon": 0.0, "kl": 0.0}
        self.model.train()
        for step in range(steps):
            idx = perm[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            x = self._batch(idx)
            beta = beta_at(cfg, epoch + step / steps)
            for group in self.optimizer.param_groups:
                group["lr"] = lr_at(cfg, epoch + step / steps)
            logits, mu, logvar = self.model(x, generator=self.noise_gen)
            terms = loss_terms(logits, x, mu, logvar, beta)
            self.optimizer.zero_grad(set_to_none=True)
            terms["loss"].backward()
            self.optimizer.step()
            vals = {k: float(v.detach()) for k, v in terms.items()}
            for k in sums:
                sums[k] += vals[k] * len(idx)
            done = (epoch - self.start_epoch) * steps + step + 1
            todo = (cfg.epochs - epoch) * steps - step - 1
            rate = done / max(time.perf_counter() - self.run_t0, 1e-9)
            info = StepInfo(
                epoch + 1,
                cfg.epochs,
                step + 1,
                steps,
                vals["loss"],
                vals["recon"],
                vals["kl"],
                beta,
                self.seconds,
                todo / rate,
                rate * cfg.batch_size,
            )
            self._emit("on_step", info)
            if self.cancel.is_set():
                return None
        return {k: v / n for k, v in sums.items()}

    def _metadata(self, epoch: int, train_m: dict[str, float], test_m: dict[str, Any], half: bool) -> dict[str, Any]:
        cfg = self.cfg
        return {
            "data": cfg.data,
            "data_source": self.train_set.source,
            "label_names": self.train_set.label_names,
            "n_train": len(self.train_set),
            "n_test": len(self.test_set),
            "beta": cfg.beta,
            "beta_warmup": cfg.beta_warmup,
            "epochs": epoch,
            "epochs_planned": cfg.epochs,
            "batch_size": cfg.batch_size,
            "lr": cfg.lr,
            "lr_schedule": cfg.lr_schedule,
            "seed": cfg.seed,
            "device": str(self.device),
            "train": train_m,
            "test": test_m,
            "history": self.history,
            "train_seconds": round(self.seconds, 2),
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "weights": "float16" if half else "float32",
            "version": __version__,
        }

    def run(self) -> TrainResult:
        cfg = self.cfg
        out = str(cfg.out)
        start_info = {
            "config": asdict(cfg),
            "model": self.model.config.to_dict(),
            "device": str(self.device),
            "n_train": len(self.train_set),
            "n_test": len(self.test_set),
            "start_epoch": self.start_epoch,
        }
        self._emit("on_train_start", start_info)
        written = None
        self.run_t0 = time.perf_counter()
        for epoch in range(self.start_epoch, cfg.epochs):
            train_m = self._train_epoch(epoch)
            if train_m is None:
                result = TrainResult("cancelled", epoch, written or cfg.resume, self.history)
                self._emit("on_train_end", result)
                return result
            test_m = evaluate(self.model, self.x_test, seed=cfg.seed)
            self.history.append(
                {"epoch": epoch + 1, "train": train_m, "test": {k: v for k, v in test_m.items() if k != "kl_per_dim"}}
            )
            train_state = {
                "epoch": epoch + 1,
                "optimizer": self.optimizer.state_dict(),
                "shuffle_rng": self.shuffle_gen.get_state(),
                "noise_rng": self.noise_gen.get_state().cpu(),
            }
            # --half: the finished model is stored small, as float16 without the optimizer
            # state; every earlier epoch keeps full precision so that a stopped run resumes exactly.
            last = epoch + 1 == cfg.epochs
            half = cfg.half and last
            meta = self._metadata(epoch + 1, train_m, test_m, half)
            save_checkpoint(out, self.model, meta, None if half else train_state, half)
            written = out
            run_seconds = time.perf_counter() - self.run_t0
            eta = run_seconds / (epoch + 1 - self.start_epoch) * (cfg.epochs - epoch - 1)
            self._emit("on_epoch_end", EpochInfo(epoch + 1, cfg.epochs, train_m, test_m, self.seconds, eta, out))
            if self.cancel.is_set():
                result = TrainResult("cancelled", epoch + 1, out, self.history)
                self._emit("on_train_end", result)
                return result
        result = TrainResult("finished", cfg.epochs, written, self.history)
        self._emit("on_train_end", result)
        return result


def train(
    cfg: TrainConfig,
    callbacks: Sequence[Callback] = (),
    cancel: threading.Event | None = None,
) -> TrainResult:
    """Train (or resume) one model as ``cfg`` says, saving every completed epoch to ``cfg.out``.

    Setting ``cancel`` stops the run after the current step; the checkpoint of the
    last completed epoch stays on disk. Deterministic on the CPU for a given seed.
    """
    return _Run(cfg, callbacks, cancel or threading.Event()).run()
