"""Training in several processes under ``torchrun``: the process group, the sampler, agreement between ranks.

``torchrun --nproc_per_node N -m vae_explorer train ...`` starts N processes with
``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` set; :func:`join` makes them one
group (gloo on the CPU, nccl on CUDA). Every rank walks the same global batches
in the same order (:class:`EpochSampler`) and trains on its own contiguous part of
each, so N processes follow the curve of one process with the same global batch.
Rank 0 alone reports progress and writes the checkpoint. A single process (no
``torchrun``) is a group of one, and every method is then free. When a process of
the group dies, each one left ends with :class:`PeerLost`, one line naming the
rank it lost (torchrun's stop signal, sent to the others when one fails, asks
them to stop after the step, and that step's exchange fails the same way).
"""

from __future__ import annotations

import datetime as _dt
import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.distributed as dist

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.safe_write import process_alive
from vae_explorer.core.model.device import resolve_device

TIMEOUT = _dt.timedelta(minutes=30)  # rank 0 evaluates and saves while the others wait
GONE_WAIT = 2.0  # seconds a dying peer may take to end after its connections closed


class PeerLost(VaeExplorerError):
    """Another process of the torchrun group died or went silent: the run cannot go on."""


def _ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie, dead but not yet collected by its parent, has)."""
    if not process_alive(pid):
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[:1] in (["Z"], ["X"])
    except OSError:  # not Linux, or gone this moment
        return not process_alive(pid)


def is_group_failure(exc: BaseException) -> bool:
    """Whether ``exc`` comes from the group's connections (a peer died or went silent), not from the training."""
    text = str(exc)
    return isinstance(exc, dist.DistError) or any(w in text for w in ("gloo", "NCCL", "Connection", "Timed out"))


def epoch_seed(seed: int, epoch: int, stream: int) -> int:
    """A seed for one random stream (0: shuffling, 1: the VAE's noise) of one epoch (0-based).

    Each epoch's randomness depends only on the run's seed and the epoch, so a run
    resumed from a checkpoint, in any number of processes, draws what it would have.
    """
    return int(np.random.SeedSequence([seed, epoch, stream]).generate_state(1, np.uint64)[0] >> 1)


@dataclass
class Group:
    """The processes training one model; ``rank`` 0 reports and writes."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0
    backend: str = ""
    peers: list[tuple[str, int]] = field(default_factory=list)  # (host, process id) of each rank

    @property
    def writer(self) -> bool:
        return self.rank == 0

    def part(self, n: int) -> slice:
        """This rank's contiguous part of a global batch of ``n`` items (sizes differ by at most one)."""
        base, extra = divmod(n, self.world)
        start = self.rank * base + min(self.rank, extra)
        return slice(start, start + base + (self.rank < extra))

    def sum(self, values: torch.Tensor) -> torch.Tensor:
        """``values`` summed over all ranks (the tensor lives on the group's device)."""
        if self.world > 1:
            dist.all_reduce(values)
        return values

    def agree(self, error: str | None) -> None:
        """Raise on every rank the first rank's error, if any rank has one; else return on every rank."""
        if self.world > 1:
            errors: list[str | None] = [None] * self.world
            dist.all_gather_object(errors, error)
            error = next((e for e in errors if e), None)
        if error:
            raise VaeExplorerError(error)

    def barrier(self) -> None:
        """Wait until every rank is here (a no-op for one process)."""
        if self.world > 1:
            dist.barrier()

    def lost(self) -> str:
        """Which ranks this one lost, in words: those on this host whose process ended, else the others."""
        others = [r for r in range(self.world) if r != self.rank]
        host = socket.gethostname()
        local = [r for r in others if r < len(self.peers) and self.peers[r][0] == host]
        deadline = time.monotonic() + GONE_WAIT
        while True:
            gone = [r for r in local if _ended(self.peers[r][1])]
            if gone or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if gone:
            return ", ".join(f"rank {r} (process {self.peers[r][1]} ended)" for r in gone)
        if len(others) == 1:
            return f"rank {others[0]}"
        hosts = sorted({self.peers[r][0] for r in others if r < len(self.peers)} - {host})
        where = f" (on {', '.join(hosts)})" if hosts else ""
        return f"one of ranks {', '.join(map(str, others))}{where}"

    def peer_lost(self, kept: str) -> PeerLost:
        """The error that ends this rank when the group broke; ``kept`` says what the checkpoint holds."""
        return PeerLost(f"rank {self.rank} of {self.world}: lost {self.lost()}; training stopped, and {kept}")

    def close(self) -> None:
        if self.world > 1 and dist.is_initialized():
            dist.destroy_process_group()


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "")
    try:
        return int(text) if text else default
    except ValueError:
        raise VaeExplorerError(f"${name} must be a whole number, not {text!r}") from None


def join(device_name: str) -> tuple[Group, torch.device]:
    """The group this process belongs to, and its device.

    Under torchrun (``WORLD_SIZE`` > 1) CUDA processes take ``cuda:LOCAL_RANK``;
    naming one GPU (``cuda:1``) is then refused, since each process needs its own.
    """
    world = _env_int("WORLD_SIZE", 1)
    if world <= 1:
        return Group(), resolve_device(device_name)
    rank, local = _env_int("RANK", 0), _env_int("LOCAL_RANK", 0)
    device = resolve_device(device_name)
    if device.type == "cuda":
        if device.index is not None:
            raise VaeExplorerError(f"--device {device_name}: under torchrun each process uses cuda:LOCAL_RANK")
        if local >= torch.cuda.device_count():
            raise VaeExplorerError(f"LOCAL_RANK {local}, but this host has {torch.cuda.device_count()} CUDA devices")
        device = torch.device("cuda", local)
        torch.cuda.set_device(device)
    elif device.type != "cpu":
        raise VaeExplorerError(f"--device {device}: torchrun training runs on cuda or cpu")
    backend = "nccl" if device.type == "cuda" else "gloo"
    try:
        dist.init_process_group(backend, rank=rank, world_size=world, timeout=TIMEOUT)
    except (RuntimeError, ValueError) as exc:
        where = f"{os.environ.get('MASTER_ADDR', '?')}:{os.environ.get('MASTER_PORT', '?')}"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise VaeExplorerError(f"cannot join the torchrun group at {where}: {first}") from None
    peers: list[Any] = [None] * world
    dist.all_gather_object(peers, (socket.gethostname(), os.getpid()))
    return Group(rank, world, local, backend, [tuple(p) for p in peers]), device


class EpochSampler:
    """The distributed sampler: each epoch a permutation seeded by (seed, epoch), cut into global batches.

    Unlike torch's ``DistributedSampler`` (which deals items round-robin), every rank
    sees the same global batches, and takes :meth:`Group.part` of each, so the
    gradient averaged over ranks is the gradient of the whole global batch.
    """

    def __init__(self, n: int, batch_size: int, seed: int, group: Group) -> None:
        self.n, self.batch_size, self.seed, self.group = n, batch_size, seed, group

    @property
    def steps(self) -> int:
        return max(1, -(-self.n // self.batch_size))

    def order(self, epoch: int) -> torch.Tensor:
        """The epoch's permutation of all ``n`` items: ``(n,) int64``."""
        gen = torch.Generator().manual_seed(epoch_seed(self.seed, epoch, 0))
        return torch.randperm(self.n, generator=gen)

    def batch(self, order: torch.Tensor, step: int) -> tuple[torch.Tensor, slice]:
        """The global batch of ``step`` (indices into the data) and this rank's part of it."""
        idx = order[step * self.batch_size : (step + 1) * self.batch_size]
        return idx, self.group.part(len(idx))
