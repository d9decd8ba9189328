"""Encode images to latent codes and decode codes to images, in batches, off any GUI."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.heap import reusing_freed_memory
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.lazy import inference_mode, torch
from vae_explorer.core.model.loaded import Network


@dataclass
class Codes:
    """``mu: (N, d) float32``; ``logvar: (N, d) float32`` for a VAE, else ``None``."""

    mu: np.ndarray
    logvar: np.ndarray | None = None


def probabilities(model: Network, decoded: torch.Tensor) -> torch.Tensor:
    """What ``model.decode`` returned -> pixel means in [0, 1]."""
    return torch.sigmoid(decoded) if model.output == "logits" else decoded.clamp(0.0, 1.0)


# after each batch: (rows done so far, the batch's rows of the data, the batch's mu (n, d) float32)
OnBatch = Callable[[int, np.ndarray, np.ndarray], None]


@inference_mode
def encode_images(
    model: Network,
    images: np.ndarray,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    order: np.ndarray | None = None,
    on_batch: OnBatch | None = None,
) -> Codes:
    """Encode ``uint8 (N, C, H, W)`` images with mu (never a sample) -> :class:`Codes`.

    The codes are written into arrays of their final size as batches finish (no
    second copy). ``order``: the rows in the order to encode them (default: as they
    are); ``on_batch(done, rows, mu)`` and ``progress(done, total)`` are called after
    each batch; setting ``cancel`` raises :class:`Cancelled` at the next batch.
    """
    device = model.device
    n, d = len(images), model.latent_dim
    mu_all = np.empty((n, d), np.float32)
    lv_all = np.empty((n, d), np.float32) if model.is_vae else None
    channels_last = model.channels_last  # faster, the same result
    gathered = None if order is None else np.empty((min(batch_size, n), *images.shape[1:]), images.dtype)
    with reusing_freed_memory():  # each batch reuses what the last one freed, not fresh pages
        for start in range(0, n, batch_size):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            rows = slice(start, min(start + batch_size, n)) if order is None else order[start : start + batch_size]
            if gathered is None:
                batch = np.ascontiguousarray(images[rows])
            else:  # the batch's rows, gathered into the same buffer every time
                batch = np.take(images, rows, axis=0, out=gathered[: len(rows)])
            x = to_float(torch.from_numpy(batch).to(device))
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            mu, logvar = model.encode(x)
            mu_all[rows] = mu_np = mu.float().cpu().numpy()
            if lv_all is not None and logvar is not None:
                lv_all[rows] = logvar.float().cpu().numpy()
            done = min(start + batch_size, n)
            if on_batch is not None:
                on_batch(done, np.arange(start, done) if order is None else rows, mu_np)
            if progress is not None:
                progress(done, n)
    return Codes(mu_all, lv_all)


def codes_cache_path(model: Network, model_digest: str, data_fingerprint: str, n: int) -> Path:
    """Where the codes of ``n`` images of some data, by some checkpoint, are kept between launches."""
    from vae_explorer.core.io.cache import entry_path

    device = getattr(model, "device_type", None) or model.device.type  # a model still loading knows where it will run
    key = {"model": model_digest, "data": data_fingerprint, "n": n, "device": device}
    return entry_path("codes", key)


def load_cached_codes(model: Network, path: Path, n: int) -> Codes | None:
    """The codes kept at ``path`` if they fit ``model`` and ``n`` images, else ``None``."""
    from vae_explorer.core.io.cache import load_entry

    entry = load_entry(path) or {}
    shape = (n, model.latent_dim)
    mu, logvar = entry.get("mu"), entry.get("logvar")
    if mu is not None and mu.shape == shape and (not model.is_vae or (logvar is not None and logvar.shape == shape)):
        return Codes(mu, logvar if model.is_vae else None)
    return None


def save_cached_codes(path: Path, codes: Codes) -> None:
    from vae_explorer.core.io.cache import save_entry

    save_entry(path, **({"mu": codes.mu} if codes.logvar is None else {"mu": codes.mu, "logvar": codes.logvar}))


def encode_cached(
    model: Network,
    model_digest: str,
    data_fingerprint: str,
    images: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Codes, bool]:
    """:func:`encode_images`, kept on disk by checkpoint and data -> ``(codes, from_cache)``."""
    path = codes_cache_path(model, model_digest, data_fingerprint, len(images))
    cached = load_cached_codes(model, path, len(images))
    if cached is not None:
        return cached, True
    codes = encode_images(model, images, progress=progress, cancel=cancel)
    save_cached_codes(path, codes)
    return codes, False


def decode_precision(device: torch.device) -> contextlib.AbstractContextManager:
    """How decoding runs on ``device``: autocast on CUDA (bfloat16 where the GPU has it, else float16), else as is.

    The CPU path stays float32: autocast there is slower for these layers.
    """
    if device.type != "cuda":
        return contextlib.nullcontext()
    return torch.autocast("cuda", dtype=torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)


@inference_mode
def decode_codes(model: Network, z: np.ndarray | torch.Tensor, batch_size: int = 1000) -> np.ndarray:
    """Decode ``z: (N, d)`` -> pixel means ``float32 (N, C, H, W)`` in [0, 1] (see :func:`decode_precision`)."""
    device = model.device
    zt = torch.as_tensor(np.asarray(z, dtype=np.float32) if not torch.is_tensor(z) else z, dtype=torch.float32)
    if zt.ndim == 1:
        zt = zt[None]
    outs = []
    for start in range(0, len(zt), batch_size):
        with decode_precision(device):
            decoded = model.decode(zt[start : start + batch_size].to(device))
        outs.append(probabilities(model, decoded.float()).cpu().numpy())
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
