"""The headless training loop behind ``vae-explorer train`` and the training tab.

It knows nothing of terminals or Qt: progress goes to callbacks, a
``threading.Event`` asks it to stop after the current step, and every completed
epoch is saved atomically, so the file on disk is always a whole checkpoint that
``resume`` can continue. The first non-finite loss stops the run with an error
naming the epoch and step, and the last good checkpoint stays as it was. Under
``torchrun`` the same loop runs in every process (see :mod:`.distributed`).
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import torch

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.lock import exclusive_lock
from vae_explorer.core.io.safe_write import check_writable, resolve_output
from vae_explorer.core.model.losses import kl_divergence, reconstruction
from vae_explorer.core.training.distributed import EpochSampler, Group, epoch_seed, is_group_failure, join
from vae_explorer.core.training.outputs import replaced_checkpoint
from vae_explorer.core.training.protocol import Callback, EpochInfo, StepInfo, TrainResult
from vae_explorer.core.training.settings import LR_SCHEDULES, TrainConfig
from vae_explorer.core.training.setup import RunSetup, TrainingDiverged

__all__ = [
    "LR_SCHEDULES",
    "Callback",
    "EpochInfo",
    "StepInfo",
    "TrainConfig",
    "TrainResult",
    "TrainingDiverged",
    "beta_at",
    "lr_at",
    "train",
]


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


class _Run:
    """One run's epochs, on the state :class:`RunSetup` prepared."""

    def __init__(
        self, setup: RunSetup, callbacks: Sequence[Callback], cancel: threading.Event, replaces: str | None = None
    ) -> None:
        self.s, self.callbacks, self.cancel, self.replaces = setup, list(callbacks), cancel, replaces
        self.cfg, self.group = setup.cfg, setup.group

    def _emit(self, name: str, *args: Any) -> None:
        if self.group.writer:
            for cb in self.callbacks:
                getattr(cb, name)(*args)

    def _stats(self, rec: torch.Tensor, kl: torch.Tensor) -> list[float]:
        """``[recon sum, KL sum, stop]`` over the global batch: one sync, and one all-reduce under torchrun.

        Under torchrun ``stop`` says whether any process was asked to stop, so that all stop at one step.
        """
        parts = [rec.detach(), kl.detach()]
        if self.group.world > 1:
            parts.append(torch.tensor(float(self.cancel.is_set()), device=rec.device))
            return self.group.sum(torch.stack(parts)).tolist()
        return [*torch.stack(parts).tolist(), 0.0]

    def _step(self, x: torch.Tensor, eps: torch.Tensor | None, beta: float, n_global: int) -> list[float]:
        s = self.s
        with s.autocast():
            logits, mu, logvar = s.net(x, eps)
        x, logits = x.float(), logits.float()
        rec = reconstruction(logits, x).sum()
        kl = kl_divergence(mu.float(), logvar.float()).sum() if logvar is not None else torch.zeros_like(rec)
        # the gradient averaged over processes is that of the global batch's mean loss
        loss = (rec + beta * kl) * (self.group.world / n_global)
        s.optimizer.zero_grad(set_to_none=True)
        (s.scaler.scale(loss) if s.scaler else loss).backward()
        stats = self._stats(rec, kl)
        if math.isfinite(stats[0] + beta * stats[1]):
            if s.scaler:
                s.scaler.step(s.optimizer)
                s.scaler.update()
            else:
                s.optimizer.step()
        return stats

    def _train_epoch(self, epoch: int, t0: float) -> dict[str, float] | None:
        cfg, s = self.cfg, self.s
        sampler = EpochSampler(len(s.x_train), cfg.batch_size, cfg.seed, self.group)
        steps, order = sampler.steps, sampler.order(epoch)
        noise = torch.Generator().manual_seed(epoch_seed(cfg.seed, epoch, 1))
        sums = {"loss": 0.0, "recon": 0.0, "kl": 0.0}
        s.model.train()
        for step in range(steps):
            idx, part = sampler.batch(order, step)
            n = len(idx)
            eps = None
            if s.model.is_vae:  # the global batch's noise, drawn alike in every process: its part of it
                eps = torch.randn((n, s.model.latent_dim), generator=noise)[part].to(s.device)
            beta = beta_at(cfg, epoch + step / steps)
            for group in s.optimizer.param_groups:
                group["lr"] = lr_at(cfg, epoch + step / steps)
            rec, kl, stop = self._step(s.batch(idx[part]), eps, beta, n)
            vals = {"loss": (rec + beta * kl) / n, "recon": rec / n, "kl": kl / n}
            if not math.isfinite(vals["loss"]):
                raise self.s.diverged(f"epoch {epoch + 1}, step {step + 1} of {steps}", f"the loss is {vals['loss']}")
            for k in sums:
                sums[k] += vals[k] * n
            done = (epoch - s.start_epoch) * steps + step + 1
            todo = (cfg.epochs - epoch) * steps - step - 1
            rate = done / max(time.perf_counter() - t0, 1e-9)
            info = StepInfo(
                epoch + 1,
                cfg.epochs,
                step + 1,
                steps,
                vals["loss"],
                vals["recon"],
                vals["kl"],
                beta,
                s.seconds(t0),
                todo / rate,
                rate * cfg.batch_size,
            )
            self._emit("on_step", info)
            if stop or (self.group.world == 1 and self.cancel.is_set()):
                return None
        return {k: v / len(s.x_train) for k, v in sums.items()}

    def _kept(self) -> str:
        """What the checkpoint holds, as this rank knows it (rank 0 may have saved one more epoch)."""
        if self.group.writer or not self.s.saved_epoch:
            return self.s.kept()
        return f"{self.cfg.out} keeps epoch {self.s.saved_epoch}, or a later one rank 0 saved"

    def _end(self, status: str, epochs_done: int, error: str = "") -> TrainResult:
        result = TrainResult(status, epochs_done, self.s.written or self.cfg.resume, self.s.history, error)
        self._emit("on_train_end", result)
        return result

    def _finish_epoch(self, epoch: int, train_m: dict[str, float], t0: float) -> dict[str, Any]:
        """Check, evaluate and save epoch ``epoch`` (1-based) on the writer; the same error on every rank."""
        error = None
        test_m: dict[str, Any] = {}
        if self.group.writer:
            try:
                if not self.s.weights_finite():
                    raise self.s.diverged(f"the end of epoch {epoch}", "the weights are no longer finite")
                test_m = self.s.save_epoch(epoch, train_m, t0)
            except VaeExplorerError as exc:
                error = str(exc)
        self.group.agree(error)
        self.s.saved_epoch = epoch  # every rank knows what the file keeps, should the group break later
        return test_m

    def run(self) -> TrainResult:
        cfg, s = self.cfg, self.s
        self._emit("on_train_start", {**s.start_info(), "replaces": self.replaces})
        t0 = time.perf_counter()
        try:
            try:
                for epoch in range(s.start_epoch, cfg.epochs):
                    train_m = self._train_epoch(epoch, t0)
                    if train_m is None:
                        return self._end("cancelled", epoch)
                    test_m = self._finish_epoch(epoch + 1, train_m, t0)
                    eta = (time.perf_counter() - t0) / (epoch + 1 - s.start_epoch) * (cfg.epochs - epoch - 1)
                    info = EpochInfo(epoch + 1, cfg.epochs, train_m, test_m, s.seconds(t0), eta, str(cfg.out))
                    self._emit("on_epoch_end", info)
                    if self.group.sum(torch.tensor([float(self.cancel.is_set())], device=s.stat_device)).item():
                        return self._end("cancelled", epoch + 1)
            except RuntimeError as exc:  # under torchrun: a peer died (its connections closed) or went silent
                if self.group.world == 1 or not is_group_failure(exc):
                    raise
                raise self.group.peer_lost(self._kept()) from None
        except VaeExplorerError as exc:
            self._end("failed", s.saved_epoch or s.start_epoch, str(exc))
            raise
        return self._end("finished", cfg.epochs)


def _agreed(group: Group, make: Callable[[], Any]) -> Any:
    """``make()`` on every rank; if it fails on any, every rank raises the first failure."""
    try:
        result, error = make(), None
    except VaeExplorerError as exc:
        result, error = None, str(exc)
    group.agree(error)
    return result


def train(
    cfg: TrainConfig,
    callbacks: Sequence[Callback] = (),
    cancel: threading.Event | None = None,
) -> TrainResult:
    """Train (or resume) one model as ``cfg`` says, saving every completed epoch to ``cfg.out``.

    Setting ``cancel`` stops the run after the current step; the checkpoint of the
    last completed epoch stays on disk. The output is locked for the run: a second
    run on the same file is refused while this one lives. An existing output is
    replaced only when it is a checkpoint (the ``start`` event's ``replaces`` says so). Deterministic on the CPU
    for a given seed, and the same (within float tolerance) under torchrun.
    Callbacks are called in the process that writes the checkpoint (rank 0).
    """
    cfg.validate()
    group, device = join(cfg.device)
    setup: RunSetup | None = None
    try:
        with contextlib.ExitStack() as stack:  # the lock goes with the run, however it ends
            replaces: list[str | None] = [None]

            def lock() -> None:
                if group.writer:
                    check_writable(cfg.out)
                    stack.enter_context(exclusive_lock(resolve_output(cfg.out)))  # through links too
                    replaces[0] = replaced_checkpoint(cfg.out, cfg.resume)

            _agreed(group, lock)
            setup = _agreed(group, lambda: RunSetup(cfg, group, device))
            result = _Run(setup, callbacks, cancel or threading.Event(), replaces[0]).run()
            group.barrier()  # no rank tears its connections down while another still uses them
            return result
    except RuntimeError as exc:  # the group broke before or after the epochs
        if group.world == 1 or not is_group_failure(exc):
            raise
        raise group.peer_lost(setup.kept() if setup else "no checkpoint was written") from None
    finally:
        group.close()
