"""Encode images to latent codes and decode codes to images, in batches, off any GUI."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.model.loaded import Network


@dataclass
class Codes:
    """``mu: (N, d) float32``; ``logvar: (N, d) float32`` for a VAE, else ``None``."""

    mu: np.ndarray
    logvar: np.ndarray | None = None


def probabilities(model: Network, decoded: torch.Tensor) -> torch.Tensor:
    """What ``model.decode`` returned -> pixel means in [0, 1]."""
    return torch.sigmoid(decoded) if model.output == "logits" else decoded.clamp(0.0, 1.0)


@torch.inference_mode()
def encode_images(
    model: Network,
    images: np.ndarray,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Codes:
    """Encode ``uint8 (N, C, H, W)`` images with mu (never a sample) -> :class:`Codes`.

    ``progress(done, total)`` is called after each batch; setting ``cancel`` raises
    :class:`Cancelled` at the next batch.
    """
    device = model.device
    n = len(images)
    mus, logvars = [], []
    channels_last = model.channels_last  # faster, the same result
    for start in range(0, n, batch_size):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        x = to_float(torch.from_numpy(np.ascontiguousarray(images[start : start + batch_size])).to(device))
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        mu, logvar = model.encode(x)
        mus.append(mu.float().cpu().numpy())
        if logvar is not None:
            logvars.append(logvar.float().cpu().numpy())
        if progress is not None:
            progress(min(start + batch_size, n), n)
    d = model.latent_dim
    mu_all = np.concatenate(mus) if mus else np.zeros((0, d), np.float32)
    lv_all = (np.concatenate(logvars) if logvars else np.zeros((0, d), np.float32)) if model.is_vae else None
    return Codes(mu_all, lv_all)


def encode_cached(
    model: Network,
    model_digest: str,
    data_fingerprint: str,
    images: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Codes, bool]:
    """:func:`encode_images`, kept on disk by checkpoint and data -> ``(codes, from_cache)``."""
    from vae_explorer.core.io.cache import entry_path, load_entry, save_entry

    key = {"model": model_digest, "data": data_fingerprint, "n": len(images), "device": model.device.type}
    path = entry_path("codes", key)
    entry = load_entry(path) or {}
    shape = (len(images), model.latent_dim)
    mu, logvar = entry.get("mu"), entry.get("logvar")
    if mu is not None and mu.shape == shape and (not model.is_vae or (logvar is not None and logvar.shape == shape)):
        return Codes(mu, logvar if model.is_vae else None), True
    codes = encode_images(model, images, progress=progress, cancel=cancel)
    arrays = {"mu": codes.mu} if codes.logvar is None else {"mu": codes.mu, "logvar": codes.logvar}
    save_entry(path, **arrays)
    return codes, False


@torch.inference_mode()
def decode_codes(model: Network, z: np.ndarray | torch.Tensor, batch_size: int = 1000) -> np.ndarray:
    """Decode ``z: (N, d)`` -> pixel means ``float32 (N, C, H, W)`` in [0, 1]."""
    device = model.device
    zt = torch.as_tensor(np.asarray(z, dtype=np.float32) if not torch.is_tensor(z) else z, dtype=torch.float32)
    if zt.ndim == 1:
        zt = zt[None]
    outs = []
    for start in range(0, len(zt), batch_size):
        outs.append(probabilities(model, model.decode(zt[start : start + batch_size].to(device))).cpu().numpy())
    if not outs:
        return np.zeros((0, *model.image_shape), np.float32)
    return np.concatenate(outs)


def sample_prior(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """``n`` codes from N(0, I): ``(n, dim) float32``, repeatable for a seed."""
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def sample_posterior(mu: np.ndarray, logvar: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """``n`` codes from q(z|x) = N(mu, diag(exp(logvar))) of one image: ``(n, d) float32``."""
    eps = np.random.default_rng(seed).standard_normal((n, len(mu)))
    return (np.asarray(mu)[None] + eps * np.exp(0.5 * np.asarray(logvar))[None]).astype(np.float32)
