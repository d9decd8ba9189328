"""Reconstruction, KL and the negative ELBO, in nats per image."""

from __future__ import annotations

import math

from vae_explorer.core.lazy import functional as F
from vae_explorer.core.lazy import torch


def reconstruction(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Bernoulli negative log-likelihood summed over pixels.

    ``logits, x: (N, C, H, W)``, ``x`` in [0, 1] -> ``(N,)`` nats per image.
    """
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="none")
    return bce.flatten(1).sum(dim=1)


LIKELIHOODS = ("bernoulli", "gaussian", "mse")
OUTPUTS = ("probabilities", "logits")
_LOG_2PI = math.log(2 * math.pi)


def image_nll(
    decoded: torch.Tensor, x: torch.Tensor, output: str = "logits", likelihood: str = "bernoulli", sigma: float = 1.0
) -> torch.Tensor:
    """How badly ``decoded`` reconstructs ``x``, per image: ``(N, C, H, W)`` twice -> ``(N,)``.

    ``decoded`` holds ``output`` (logits, or probabilities in [0, 1]). ``bernoulli``
    and ``gaussian`` (fixed ``sigma``, the pixel means taken from ``decoded``) give the
    negative log-likelihood in nats; ``mse`` the summed squared error (no unit of
    likelihood). Bernoulli on logits is :func:`reconstruction`, as training scores it.
    """
    if likelihood == "bernoulli" and output == "logits":
        return reconstruction(decoded, x)
    means = torch.sigmoid(decoded) if output == "logits" else decoded
    if likelihood == "bernoulli":
        nll = F.binary_cross_entropy(means.clamp(0.0, 1.0), x, reduction="none")  # log clamped at -100
    elif likelihood == "gaussian":
        nll = 0.5 * ((x - means) / sigma) ** 2 + math.log(sigma) + 0.5 * _LOG_2PI
    else:
        nll = (x - means) ** 2
    return nll.flatten(1).sum(dim=1)


def kl_per_dim(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Analytic KL(N(mu, sigma^2) || N(0, 1)) per latent dimension.

    ``mu, logvar: (N, d)`` -> ``(N, d)``: ``0.5 (mu^2 + sigma^2 - 1 - log sigma^2)``.
    """
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Total KL to the standard normal prior per image: ``(N, d) -> (N,)``."""
    return kl_per_dim(mu, logvar).sum(dim=1)


def loss_terms(
    logits: torch.Tensor,
    x: torch.Tensor,
    mu: torch.Tensor,
    logvar: torch.Tensor | None,
    beta: float = 1.0,
) -> dict[str, torch.Tensor]:
    """Batch means of reconstruction, KL and ``loss = recon + beta * KL``.

    For an AE (``logvar is None``) the KL is zero and the loss is the reconstruction.
    ``loss`` with ``beta = 1`` is the negative ELBO.
    """
    rec = reconstruction(logits, x).mean()
    if logvar is None:
        kl = torch.zeros((), device=rec.device, dtype=rec.dtype)
    else:
        kl = kl_divergence(mu, logvar).mean()
    return {"recon": rec, "kl": kl, "loss": rec + beta * kl}
