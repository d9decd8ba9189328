"""One side of the explorer: a model, its codes of the data, its maps and its cursor."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vae_explorer.core.latent.codes import Codes
from vae_explorer.core.latent.cursor import DecodeResult
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import CHUNK, Projection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.model.loaded import LoadedModel

SLOTS = ("left", "right")  # the explorer's two sides: usually the AE on the left, the VAE on the right


@dataclass
class ModelSlot:
    """One side of the explorer: a model, its codes of the data, its maps and its cursor."""

    name: str
    model: LoadedModel | None = None
    codes: Codes | None = None
    nearest: NearestCode | None = None
    native: dict[str, Projection] = field(default_factory=dict)
    maps: dict[str, Projection] = field(default_factory=dict)
    partial: dict[str, PartialMap] = field(default_factory=dict)  # per view: what is on show until its map is done
    pending: dict[str, PartialMap] = field(default_factory=dict)  # per view: the newest partial map, as it came
    partial_turn: np.ndarray | None = None  # (2, 2): turns this slot's partial PCA maps to match the other side
    cursor_z: np.ndarray | None = None
    cursor_point: np.ndarray | None = None
    decoded: DecodeResult | None = None

    @property
    def loaded(self) -> bool:
        return self.model is not None

    @property
    def is_vae(self) -> bool:
        return self.model is not None and self.model.is_vae

    @property
    def latent_dim(self) -> int:
        return self.model.latent_dim if self.model is not None else 0

    @property
    def title(self) -> str:
        return self.model.title if self.model is not None else "(no model)"

    def dimension_order(self, kl: np.ndarray | None = None) -> np.ndarray:
        """Latent dimensions, most informative first: by mean KL for a VAE, by variance for an AE.

        ``kl``: this slot's :meth:`dimension_kl`, when the caller has it already.
        """
        if self.codes is None:
            return np.arange(self.latent_dim)
        score = kl if kl is not None else self.dimension_kl()
        if score is None:
            score = self.codes.mu.var(axis=0)
        return np.argsort(-score, kind="stable")

    def dimension_kl(self) -> np.ndarray | None:
        """Mean KL per latent dimension over the data, in nats (VAE only)."""
        if self.codes is None or self.codes.logvar is None:
            return None
        mu, logvar = self.codes.mu, self.codes.logvar
        total = np.zeros(mu.shape[1])
        for start in range(0, len(mu), CHUNK):  # a chunk at a time: no (N, d) temporaries for a million codes
            part = slice(start, start + CHUNK)
            m, lv = mu[part], logvar[part]  # KL(N(mu, sigma^2) || N(0, 1)) as losses.kl_per_dim, in numpy: no torch
            total += (0.5 * (m * m + np.exp(lv) - 1.0 - lv)).sum(0, dtype=np.float64)
        return total / max(len(mu), 1)

    def code_ranges(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-dimension (min, max) of the data's codes: the sliders' ranges."""
        if self.codes is None or not len(self.codes.mu):
            return -3 * np.ones(self.latent_dim), 3 * np.ones(self.latent_dim)
        return self.codes.mu.min(axis=0), self.codes.mu.max(axis=0)
