"""Training the factor predictor on generated faces (how the shipped file was made).

A third of each batch is shown as it is, a third slightly blurred and a third
more blurred, so that the predictor also reads the softer images decoders draw.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from vae_explorer.core.data.faces import FACTORS

from .fitting import fit
from .predictor import OFFSETS, FactorPredictor, targets

BLUR_SIGMAS = (0.6, 1.0)
CONTINUOUS_WEIGHT = 10.0  # squared errors of fractions of a range are small beside cross-entropies


def _blur_kernel(sigma: float) -> torch.Tensor:
    """A normalised 5x5 Gaussian for each of the three colour channels -> ``(3, 1, 5, 5)``."""
    t = torch.arange(5, dtype=torch.float32) - 2.0
    g = torch.exp(-(t**2) / (2 * sigma**2))
    k = torch.outer(g, g)
    return (k / k.sum()).expand(3, 1, 5, 5).contiguous()


def blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Float images ``(n, 3, H, W)`` blurred with a Gaussian of ``sigma`` pixels (edges replicated)."""
    return F.conv2d(F.pad(x, (2, 2, 2, 2), mode="replicate"), _blur_kernel(sigma), groups=3)


def augment(x: torch.Tensor) -> torch.Tensor:
    """Blur the second and last third of a batch ``(n, 3, H, W)`` with each of :data:`BLUR_SIGMAS`."""
    n = len(x)
    out = x.clone()
    for part, sigma in enumerate(BLUR_SIGMAS, start=1):
        rows = slice(part * n // 3, (part + 1) * n // 3)
        out[rows] = blur(x[rows], sigma)
    return out


def predictor_loss(raw: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Squared error for continuous factors, cross-entropy for binary and categorical ones."""
    total = raw.new_zeros(())
    for j, f in enumerate(FACTORS):
        out = raw[:, OFFSETS[j] : OFFSETS[j + 1]]
        if f.kind == "continuous":
            total = total + CONTINUOUS_WEIGHT * F.mse_loss(out[:, 0], target[:, j])
        elif f.kind == "binary":
            total = total + F.binary_cross_entropy_with_logits(out[:, 0], target[:, j])
        else:
            total = total + F.cross_entropy(out, target[:, j].long())
    return total


def train_predictor(
    images: np.ndarray,
    factors: np.ndarray,
    epochs: int = 8,
    batch_size: int = 128,
    lr: float = 2e-3,
    seed: int = 0,
    progress: Callable[[int, float], None] | None = None,
) -> FactorPredictor:
    """Fit a :class:`FactorPredictor` to ``images: uint8 (n, 3, 32, 32)`` and their ``factors: (n, k)``.

    Adam with a cosine decay of the learning rate (:func:`~.fitting.fit`); ``progress(epoch, mean loss)``
    after each epoch. Deterministic on the CPU for a given seed.
    """
    torch.manual_seed(seed)
    model = FactorPredictor()
    x_all = torch.from_numpy(np.ascontiguousarray(images))
    y_all = torch.from_numpy(targets(factors))
    fit(model, x_all, y_all, predictor_loss, epochs, batch_size, lr, seed, augment, progress)
    return model
