"""Decoding one cursor: the image at a code, and where that code sits relative to the data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import prior_log_density
from vae_explorer.core.model.loaded import Network


@dataclass
class DecodeResult:
    """One decoded cursor: the code, its image and where it sits relative to the data.

    ``z: (d,) float32``; ``image: (C, H, W) float32`` in [0, 1]; ``nearest_index`` the
    sample whose code is nearest, ``nearest_distance`` the Euclidean distance to it
    (NaN without data codes); ``log_prior`` log N(z; 0, I) in nats.
    """

    z: np.ndarray
    image: np.ndarray
    nearest_index: int
    nearest_distance: float
    log_prior: float


def decode_cursor(model: Network, z: np.ndarray, nearest: NearestCode | None = None) -> DecodeResult:
    """Decode the code ``z: (d,)`` with ``model`` and place it relative to the data codes in ``nearest``."""
    z = np.asarray(z, dtype=np.float32).reshape(-1)
    image = decode_codes(model, z[None])[0]
    index, dist = nearest.query(z) if nearest is not None else (0, float("nan"))
    return DecodeResult(z, image, index, dist, float(prior_log_density(z[None])[0]))
