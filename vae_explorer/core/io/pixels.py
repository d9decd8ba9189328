"""Pixel values: uint8 images as stored, float images in [0, 1] as models see them."""

from __future__ import annotations

import numpy as np

from vae_explorer.core.lazy import torch


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Float images in [0, 1] -> uint8, rounding to nearest."""
    return np.clip(np.rint(np.asarray(images) * 255.0), 0, 255).astype(np.uint8)


def to_float(batch: torch.Tensor) -> torch.Tensor:
    """uint8 images -> float32 in [0, 1], on the same device."""
    return batch.float().div_(255.0)
