"""Tiny live models of 8x8 images for the Python API's tests: an AE, a VAE, a few training steps."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn


class Tiny(nn.Module):
    """An AE (encode -> mu) or a VAE (encode -> mu, logvar) of 8x8 grey images, latent 2."""

    def __init__(self, vae: bool = True, seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.vae = vae
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 4 if vae else 2))
        self.decoder = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 64), nn.Sigmoid())

    def encode(self, x):
        h = self.encoder(x)
        return h.chunk(2, dim=1) if self.vae else h

    def decode(self, z):
        return self.decoder(z).view(-1, 1, 8, 8)


class Shrunk(Tiny):
    """Decodes 4x4 images for 8x8 ones: what the explorer must refuse."""

    def decode(self, z):
        return self.decoder(z)[:, :16].view(-1, 1, 4, 4)


class Coder:
    """Not a module: any object with encode and decode (a fixed linear code of 8x8 images)."""

    def __init__(self) -> None:
        self.weight = torch.linspace(-1, 1, 64 * 2).reshape(64, 2) / 8

    def encode(self, x):
        return x.flatten(1) @ self.weight

    def decode(self, z):
        return torch.sigmoid(z @ self.weight.T).view(-1, 1, 8, 8)


def digits(n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` digits as floats in [0, 1] ``(n, 8, 8)`` and their labels."""
    bunch = load_digits()
    return (bunch.images[:n] / 16.0).astype(np.float32), bunch.target[:n]


def train(model: Tiny, images: np.ndarray, steps: int = 20) -> Tiny:
    """A few steps of the ELBO (or reconstruction for an AE), in place."""
    x = torch.from_numpy(images[:, None])
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-2)
    for _ in range(steps):
        out = model.encode(x)
        mu, logvar = out if model.vae else (out, torch.zeros_like(out))
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp() if model.vae else mu
        loss = nn.functional.binary_cross_entropy(model.decode(z), x, reduction="sum")
        loss = loss - 0.5 * (1 + logvar - mu**2 - logvar.exp()).sum() if model.vae else loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return model
