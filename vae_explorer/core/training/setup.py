"""What one training run holds: its data on the device, the model and optimizer, the precision, and its saves.

Split out of the loop so each reads on its own: :class:`RunSetup` loads (or
resumes), knows what is on disk, and writes each epoch's checkpoint with its
metadata; the loop in :mod:`.loop` only steps.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from vae_explorer._version import __version__
from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, VaeExplorerError
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.model.autoencoder import ModelConfig, build_model, default_config, prefers_channels_last
from vae_explorer.core.model.checkpoint import check_image_shape, load_checkpoint, save_checkpoint
from vae_explorer.core.model.metrics import evaluate
from vae_explorer.core.training.distributed import Group
from vae_explorer.core.training.history import epoch_codes, history_images
from vae_explorer.core.training.resume import check_contradictions, stored_settings
from vae_explorer.core.training.run_data import (
    canonical_data,
    effective_test_fraction,
    load_run_data,
    split_record,
)
from vae_explorer.core.training.settings import TrainConfig


class TrainingDiverged(VaeExplorerError):
    """The loss or the weights stopped being finite numbers."""


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The autocast type for ``precision`` on ``device``, or ``None`` for plain float32.

    ``auto`` autocasts on CUDA only: bfloat16 where the GPU supports it, else float16
    (with loss scaling). The CPU path stays float32 unless asked otherwise.
    """
    if precision == "auto":
        if device.type != "cuda":
            return None
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return {"float32": None, "bfloat16": torch.bfloat16, "float16": torch.float16}[precision]


class TrainPass(nn.Module):
    """The training pass with the VAE's noise given, so that every process can draw the global batch's.

    ``x: (n, C, H, W)``, ``eps: (n, d)`` or ``None`` for an AE -> ``(logits, mu, logvar)``.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor, eps: torch.Tensor | None) -> tuple[torch.Tensor, ...]:
        mu, logvar = self.model.encode(x)
        z = mu if logvar is None else mu + eps.to(mu.dtype) * torch.exp(0.5 * logvar)
        return self.model.decode(z), mu, logvar


def _model_config(cfg: TrainConfig, data: Dataset) -> ModelConfig:
    base = default_config(cfg.kind, data.image_shape, cfg.latent_dim)
    if cfg.widths:
        return ModelConfig(base.kind, base.image_shape, base.latent_dim, tuple(cfg.widths), base.hidden)
    return base


class RunSetup:
    """The state of one run in one process; ``written`` / ``saved_epoch`` say what this run has saved."""

    def __init__(self, cfg: TrainConfig, group: Group, device: torch.device) -> None:
        self.cfg, self.group, self.device = cfg, group, device
        self.fraction = effective_test_fraction(cfg.data, cfg.test_fraction)
        self.train_set, self.test_set = load_run_data(cfg.data, cfg.data_dir, self.fraction)
        self.start_epoch, self.saved_epoch, self.prior_seconds = 0, 0, 0.0
        self.history: list[dict[str, Any]] = []
        self.written: str | None = None
        state = self._resume() if cfg.resume else None
        if state is None:
            torch.manual_seed(cfg.seed)
            self.model = build_model(_model_config(cfg, self.train_set)).to(device)
        self.amp_dtype = autocast_dtype(cfg.precision, device)
        # channels-last: a quarter faster for these convolutions on the CPU, and what tensor cores want on CUDA
        cuda_amp = device.type == "cuda" and self.amp_dtype is not None
        self.channels_last = prefers_channels_last(self.model, device) or cuda_amp
        if self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.net: nn.Module = TrainPass(self.model)
        if group.world > 1:
            self.net = DistributedDataParallel(self.net, device_ids=[device.index] if device.type == "cuda" else None)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=cfg.lr)
        self.scaler = torch.amp.GradScaler(device.type) if self.amp_dtype == torch.float16 else None
        if state is not None:
            self.optimizer.load_state_dict(state["optimizer"])
            if self.scaler is not None and state.get("scaler"):
                self.scaler.load_state_dict(state["scaler"])
        self.x_train = torch.from_numpy(self.train_set.images).to(device)
        self.x_test = torch.from_numpy(self.test_set.images).to(device)
        self.replay = history_images(self.test_set, self.model.latent_dim) if cfg.history else None
        self.stat_device = device if group.backend == "nccl" else torch.device("cpu")

    def _resume(self) -> dict[str, Any]:
        cfg = self.cfg
        ckpt = load_checkpoint(cfg.resume, map_location=self.device)
        check_image_shape(ckpt, self.train_set.image_shape, cfg.data)
        if not ckpt.train_state:
            raise VaeExplorerError(f"{cfg.resume}: holds no training state to resume from")
        check_contradictions(cfg.run_settings(), stored_settings(ckpt), cfg.resume)
        state = ckpt.train_state
        self.model = ckpt.build_model(self.device)
        self.start_epoch = int(state["epoch"])
        if cfg.epochs <= self.start_epoch:
            raise VaeExplorerError(
                f"{cfg.resume}: already trained for {self.start_epoch} epochs; ask for more with --epochs"
            )
        self.history = list(ckpt.metadata.get("history") or [])
        self.prior_seconds = float(ckpt.metadata.get("train_seconds", 0.0))
        return state

    # -- during the run ------------------------------------------------------------------------
    def autocast(self) -> contextlib.AbstractContextManager:
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def batch(self, idx: torch.Tensor) -> torch.Tensor:
        """The training images at ``idx`` in [0, 1]: ``(n, C, H, W) float32`` on the device."""
        x = to_float(self.x_train[idx.to(self.device)])
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last else x

    def seconds(self, t0: float) -> float:
        """Training time of the whole run, earlier sessions included."""
        return self.prior_seconds + time.perf_counter() - t0

    def weights_finite(self) -> bool:
        return all(bool(torch.isfinite(p).all()) for p in self.model.parameters())

    def kept(self) -> str:
        """What is on disk now, for an error message."""
        if self.saved_epoch:
            return f"{self.cfg.out} keeps epoch {self.saved_epoch}"
        if self.cfg.resume:
            return f"{self.cfg.resume} keeps epoch {self.start_epoch}"
        return "no checkpoint was written"

    def diverged(self, where: str, what: str) -> TrainingDiverged:
        cfg = self.cfg
        hint = f"try a lower --lr (now {cfg.lr:g})" + (f" or --beta (now {cfg.beta:g})" if cfg.kind == "vae" else "")
        return TrainingDiverged(f"training diverged at {where}: {what}; {self.kept()}; {hint}")

    def start_info(self) -> dict[str, Any]:
        """The ``start`` event: settings, model, device, data sizes."""
        return {
            "config": asdict(self.cfg),
            "model": self.model.config.to_dict(),
            "device": str(self.device),
            "processes": self.group.world,
            "n_train": len(self.train_set),
            "n_test": len(self.test_set),
            "start_epoch": self.start_epoch,
        }

    # -- saving --------------------------------------------------------------------------------
    def metadata(
        self, epoch: int, train_m: dict[str, float], test_m: dict[str, Any], half: bool, t0: float
    ) -> dict[str, Any]:
        cfg = self.cfg
        meta = {
            "data": canonical_data(cfg.data),
            "data_dir": str(Path(cfg.data_dir).absolute()) if cfg.data_dir else None,
            "data_source": self.train_set.source,
            "label_names": self.train_set.label_names,
            "n_train": len(self.train_set),
            "n_test": len(self.test_set),
            "split": split_record(cfg.data, self.fraction, self.train_set, self.test_set),
            "beta": cfg.beta,
            "beta_warmup": cfg.beta_warmup,
            "epochs": epoch,
            "epochs_planned": cfg.epochs,
            "batch_size": cfg.batch_size,
            "lr": cfg.lr,
            "lr_schedule": cfg.lr_schedule,
            "seed": cfg.seed,
            "device": str(self.device),
            "processes": self.group.world,
            "precision": str(self.amp_dtype or torch.float32).removeprefix("torch."),
            "train": train_m,
            "test": test_m,
            "history": self.history,
            "train_seconds": round(self.seconds(t0), 2),
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "weights": "float16" if half else "float32",
            "version": __version__,
        }
        if self.replay is not None:
            meta["history_codes"] = self.replay
        return meta

    def save_epoch(self, epoch: int, train_m: dict[str, float], t0: float) -> dict[str, Any]:
        """Evaluate epoch ``epoch`` (1-based) and write its checkpoint; its test metrics.

        Raises :class:`TrainingDiverged` for non-finite test metrics and a one-line
        error when the file cannot be written (the last good one then stays).
        """
        cfg = self.cfg
        test_m = evaluate(self.model, self.x_test, seed=cfg.seed)
        bad = [k for k in ("recon", "kl") if not math.isfinite(float(test_m[k]))]
        if bad:
            raise self.diverged(f"the end of epoch {epoch}", f"the test {bad[0]} is {test_m[bad[0]]}")
        entry: dict[str, Any] = {
            "epoch": epoch,
            "train": train_m,
            "test": {k: v for k, v in test_m.items() if k != "kl_per_dim"},
        }
        if self.replay is not None:
            codes = epoch_codes(self.model, self.x_test, self.replay)
            if codes is not None:
                entry["mu"] = codes
        self.history.append(entry)
        train_state: dict[str, Any] = {"epoch": epoch, "optimizer": self.optimizer.state_dict()}
        if self.scaler is not None:
            train_state["scaler"] = self.scaler.state_dict()
        # --half: the finished model is stored small, as float16 without the optimizer
        # state; every earlier epoch keeps full precision so that a stopped run resumes exactly.
        half = cfg.half and epoch == cfg.epochs
        try:
            save_checkpoint(
                cfg.out,
                self.model,
                self.metadata(epoch, train_m, test_m, half, t0),
                None if half else train_state,
                half,
            )
        except CheckpointError as exc:
            self.history.pop()
            raise VaeExplorerError(f"{exc}; training stopped after epoch {epoch}, and {self.kept()}") from None
        self.saved_epoch, self.written = epoch, str(cfg.out)
        return test_m
