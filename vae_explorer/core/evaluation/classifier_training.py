"""Training a realism classifier on a data set's train split (how the shipped files were made)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from .classifier import ClassifierConfig, ImageClassifier
from .fitting import fit


def train_classifier(
    images: np.ndarray,
    labels: np.ndarray,
    config: ClassifierConfig,
    epochs: int = 8,
    batch_size: int = 128,
    lr: float = 2e-3,
    seed: int = 0,
    progress: Callable[[int, float], None] | None = None,
) -> ImageClassifier:
    """Fit an :class:`ImageClassifier` to ``images: uint8 (n, C, H, W)`` and ``labels: (n,)`` by cross-entropy.

    Deterministic on the CPU for a given seed; ``progress(epoch, mean loss)`` after each epoch.
    """
    torch.manual_seed(seed)
    model = ImageClassifier(config)
    x_all = torch.from_numpy(np.ascontiguousarray(images))
    y_all = torch.from_numpy(np.asarray(labels, dtype=np.int64))
    fit(model, x_all, y_all, F.cross_entropy, epochs, batch_size, lr, seed, progress=progress)
    return model
