"""Models measured against the faces' known factors: the one pipeline for the CLI and the explorer.

``known_factors`` reads the factors of data that has them (the generated faces);
``measure_model`` gives a model's MIG and which dimension carries which factor.
A vector's effect is :func:`~vae_explorer.core.evaluation.effects.vector_effect`.
"""

from __future__ import annotations

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.data.faces import FACTOR_NAMES, FACTORS, SIZE
from vae_explorer.core.errors import DataError, VaeExplorerError

from .disentanglement import Disentanglement, mig


def known_factors(data: Dataset) -> np.ndarray:
    """The ground-truth factors of every image of ``data`` -> ``(N, k)`` in :data:`FACTORS` order.

    Only the generated faces have them; other data raises a one-line :class:`DataError`.
    """
    table = data.attributes
    if table is None or not set(FACTOR_NAMES) <= set(table.names) or data.image_shape != (3, SIZE, SIZE):
        raise DataError(f"{data.name} has no known factors to measure against: use --data faces (the generated faces)")
    return np.stack([table.column(name) for name in FACTOR_NAMES], axis=1)


def measure_model(codes: np.ndarray, data: Dataset) -> Disentanglement:
    """The MIG of a model's ``codes: (N, d)`` of ``data`` against its known factors."""
    if codes.shape[1] < 2:
        raise VaeExplorerError(f"MIG compares latent dimensions: a latent of {codes.shape[1]} has no runner-up")
    factors = known_factors(data)
    return mig(codes, factors, FACTOR_NAMES, [f.kind == "continuous" for f in FACTORS])
