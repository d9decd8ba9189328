"""Models and vectors measured against the faces' known factors: one pipeline for the CLI and the explorer.

``measure_model`` gives a model's MIG and which dimension carries which factor;
``measure_vector`` makes an attribute vector from two groups in a model's space
and measures its effect on every factor with the factor predictor.
"""

from __future__ import annotations

import numpy as np

from vae_explorer.core.attributes.groups import ColumnGroups, Groups
from vae_explorer.core.attributes.vectors import mean_difference
from vae_explorer.core.data import Dataset
from vae_explorer.core.data.faces import FACTOR_NAMES, FACTORS, SIZE
from vae_explorer.core.errors import DataError, VaeExplorerError
from vae_explorer.core.model.autoencoder import Autoencoder

from .disentanglement import Disentanglement, mig
from .effects import VectorEffect, target_factor, vector_effect
from .predictor import FactorPredictor

DEFAULT_SAMPLES = 1000


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


def vector_target(groups: Groups | None, name: str = "") -> str | None:
    """The factor a vector is meant to move: that of its column, else of its name, else ``None``."""
    if isinstance(groups, ColumnGroups):
        return target_factor(groups.column)
    return target_factor(name) if name else None


def measure_vector(
    model: Autoencoder,
    predictor: FactorPredictor,
    codes: np.ndarray,
    data: Dataset,
    groups: Groups,
    alpha: float = 1.0,
    samples: int = DEFAULT_SAMPLES,
) -> tuple[np.ndarray, VectorEffect]:
    """Make the vector of ``groups`` from ``codes: (N, d)`` of ``data`` and measure it on the first ``samples`` faces.

    Returns ``(v: (d,), effect)``.
    """
    known_factors(data)
    positive, negative = groups.resolve(data)
    v = mean_difference(codes, positive, negative)
    effect = vector_effect(model, predictor, codes[:samples], v, alpha, vector_target(groups))
    return v, effect
