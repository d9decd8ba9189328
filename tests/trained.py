"""Tiny AE / VAE pairs on the digits, trained once per test run and shared by the test modules."""

from __future__ import annotations

import contextlib
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import torch

from vae_explorer.core.model.autoencoder import build_model, default_config
from vae_explorer.core.model.checkpoint import save_checkpoint
from vae_explorer.core.training.loop import TrainConfig, train

_PAIRS: dict[tuple[int, int], tuple[Path, Path]] = {}


def digits_pair(folder_factory, latent_dim: int = 4, epochs: int = 4) -> tuple[Path, Path]:
    """``(ae.pt, vae.pt)`` on the digits; ``folder_factory`` is pytest's ``tmp_path_factory``."""
    key = (latent_dim, epochs)
    if key not in _PAIRS:
        folder = folder_factory.mktemp(f"digits{latent_dim}")
        paths = []
        for kind in ("ae", "vae"):
            out = folder / f"digits{latent_dim}-{kind}.pt"
            train(TrainConfig(data="digits", kind=kind, latent_dim=latent_dim, epochs=epochs, out=str(out), lr=3e-3))
            paths.append(out)
        _PAIRS[key] = (paths[0], paths[1])
    return _PAIRS[key]


def write_model(path, kind, latent_dim, seed=None, shape=(1, 8, 8), data="digits"):
    """An untrained model saved as a checkpoint (seeded weights when ``seed`` is given) -> ``path``."""
    if seed is not None:
        torch.manual_seed(seed)
    save_checkpoint(path, build_model(default_config(kind, shape, latent_dim)), {"data": data})
    return path


@contextlib.contextmanager
def file_size_limit(n_bytes: int) -> Iterator[None]:
    """Inside the block no file can grow past ``n_bytes``: a write beyond fails half-way, as on a full disk."""
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
