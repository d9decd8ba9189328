"""Held-out metrics of a model: reconstruction, KL, negative ELBO, KL per dimension."""

from __future__ import annotations

import numpy as np

from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.lazy import inference_mode, torch
from vae_explorer.core.model.losses import image_nll, kl_per_dim

# A latent dimension whose mean KL is below this (nats) carries no information:
# its posterior has collapsed onto the prior.
ACTIVE_KL_NATS = 0.01


@inference_mode
def evaluate(
    model,
    images: torch.Tensor,
    batch_size: int = 1000,
    seed: int = 0,
) -> dict[str, object]:
    """Mean metrics over ``images: uint8 (N, C, H, W)`` (already on the model's device).

    ``model``: an :class:`~.autoencoder.Autoencoder` or a :class:`~.loaded.LoadedModel`;
    the reconstruction is scored as the model declares (:func:`~.losses.image_nll`),
    so a user's model is measured in the units of the shipped ones. For a VAE the
    reconstruction term uses one z sampled from q(z|x) with a fixed seed, so
    ``neg_elbo = recon + kl`` is the usual single-sample ELBO estimate and repeats
    exactly. For an AE, ``kl`` is 0 and ``neg_elbo`` equals ``recon``.
    Returns floats ``recon``, ``kl``, ``neg_elbo`` and a list ``kl_per_dim`` (VAE).
    """
    was_training = isinstance(model, torch.nn.Module) and model.training
    if was_training:
        model.eval()
    device = images.device
    gen = torch.Generator(device=device).manual_seed(seed)
    rec_sum, kl_sum = 0.0, 0.0
    kl_dims = torch.zeros(model.latent_dim, dtype=torch.float64, device=device)
    for start in range(0, len(images), batch_size):
        x = to_float(images[start : start + batch_size])
        mu, logvar = model.encode(x)
        z = mu
        if logvar is not None:
            eps = torch.randn(mu.shape, generator=gen, device=device, dtype=mu.dtype)
            z = mu + eps * torch.exp(0.5 * logvar)
            kd = kl_per_dim(mu, logvar)
            kl_dims += kd.sum(dim=0).double()
            kl_sum += float(kd.sum())
        rec_sum += float(image_nll(model.decode(z), x, model.output, model.likelihood, model.sigma).sum())
    if was_training:
        model.train()
    n = max(len(images), 1)
    out: dict[str, object] = {"recon": rec_sum / n, "kl": kl_sum / n, "neg_elbo": (rec_sum + kl_sum) / n}
    if model.is_vae:
        out["kl_per_dim"] = (kl_dims / n).cpu().numpy().round(5).tolist()
    return out


def active_units(kl_dims: list[float] | np.ndarray, threshold: float = ACTIVE_KL_NATS) -> int:
    """How many latent dimensions carry more than ``threshold`` nats of KL."""
    return int((np.asarray(kl_dims, dtype=np.float64) > threshold).sum())


def posterior_collapsed(kl_dims: list[float] | np.ndarray, fraction: float = 0.1) -> bool:
    """Nearly all dimensions inactive: at most ``fraction`` of them (rounded down) are active.

    The VAE's posterior then equals the prior in those dimensions, and the decoder ignores them.
    """
    d = len(kl_dims)
    return d > 0 and active_units(kl_dims) <= int(fraction * d)
