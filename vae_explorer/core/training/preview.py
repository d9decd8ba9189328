"""What the training tab draws from each epoch's checkpoint: reconstructions, prior samples, the 2-D map.

Everything is computed on a fixed subset of the test images and a fixed set of
prior codes, so that from one epoch to the next only the model changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import Cancelled
from vae_explorer.core.io.images import image_grid
from vae_explorer.core.latent.codes import decode_codes, encode_images, sample_prior
from vae_explorer.core.model.checkpoint import check_image_shape, load_checkpoint


@dataclass
class EpochPreview:
    """One epoch's pictures.

    ``originals``, ``reconstructions``: ``(n, C, H, W) float32`` in [0, 1], the test
    subset and its decoded means; ``samples``: ``(m, C, H, W)``, the fixed prior codes
    decoded; ``latent``: ``(k, 2) float32`` codes (mu) of the map subset when the
    latent is 2-D, else ``None``; ``labels``: ``(k,)`` or ``None``.
    """

    checkpoint: str
    epoch: int
    is_vae: bool
    latent_dim: int
    originals: np.ndarray
    reconstructions: np.ndarray
    samples: np.ndarray
    latent: np.ndarray | None = None
    labels: np.ndarray | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    kl_per_dim: list[float] | None = None


def fixed_subset(n_data: int, n: int, seed: int = 0) -> np.ndarray:
    """``n`` indices of ``n_data`` items, the same for a seed: ``(min(n, n_data),) int64``."""
    perm = np.random.default_rng(seed).permutation(n_data)
    return np.sort(perm[: min(n, n_data)]).astype(np.int64)


def epoch_preview(
    path: str | Path,
    test: Dataset,
    n_images: int = 16,
    n_samples: int = 16,
    n_map: int = 1000,
    seed: int = 0,
    cancel: threading.Event | None = None,
) -> EpochPreview:
    """Load the checkpoint at ``path`` (on the CPU) and draw its pictures over ``test``.

    Raises :class:`~vae_explorer.core.errors.CheckpointError` for a bad or unfitting file
    and :class:`~vae_explorer.core.codes.Cancelled` when ``cancel`` is set.
    """
    ckpt = load_checkpoint(path, "cpu")
    check_image_shape(ckpt, test.image_shape, test.name)
    model = ckpt.build_model("cpu")
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    picked = test.images[fixed_subset(len(test), n_images, seed)]
    codes = encode_images(model, picked, cancel=cancel)
    recons = decode_codes(model, codes.mu)
    samples = decode_codes(model, sample_prior(n_samples, model.latent_dim, seed))
    latent = labels = None
    if model.latent_dim == 2:
        idx = fixed_subset(len(test), n_map, seed + 1)
        latent = encode_images(model, test.images[idx], cancel=cancel).mu
        labels = None if test.labels is None else test.labels[idx]
    meta = ckpt.metadata
    return EpochPreview(
        checkpoint=str(path),
        epoch=int(meta.get("epochs", 0)),
        is_vae=model.is_vae,
        latent_dim=model.latent_dim,
        originals=picked.astype(np.float32) / 255.0,
        reconstructions=recons,
        samples=samples,
        latent=latent,
        labels=labels,
        history=list(meta.get("history") or []),
        kl_per_dim=(meta.get("test") or {}).get("kl_per_dim") if model.is_vae else None,
    )


def pairs_grid(originals: np.ndarray, reconstructions: np.ndarray, cols: int = 8) -> np.ndarray:
    """Originals over their reconstructions, ``cols`` to a row: ``uint8 (C, H', W')``.

    Rows alternate: originals 0..cols-1, their reconstructions, the next originals, ...
    """
    n = len(originals)
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    blank = np.ones_like(originals[:1])
    tiles = []
    for r in range(rows):
        for source in (originals, reconstructions):
            chunk = list(source[r * cols : (r + 1) * cols])
            tiles += chunk + [blank[0]] * (cols - len(chunk))
    return image_grid(np.stack(tiles), 2 * rows, cols, pad=1)


def samples_grid(samples: np.ndarray, cols: int = 8) -> np.ndarray:
    """Decoded prior samples, ``cols`` to a row: ``uint8 (C, H', W')``."""
    n = len(samples)
    cols = max(1, min(cols, n))
    return image_grid(samples, -(-n // cols), cols, pad=1)
