"""What every claim reads: the held-out data, each model's codes of it, the ruler of realism, a fixed count and seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, DataError
from vae_explorer.core.latent.codes import Codes, encode_images
from vae_explorer.core.model.loaded import Network

from ..ground_truth import known_factors
from ..realism import Realism, make_realism, ruler_features

if TYPE_CHECKING:
    from ..predictor import FactorPredictor

N_IMAGES = 2000  # images per Frechet distance: decoded, and real ones for the floor
SEED = 0

Progress = Callable[[float, str], None]


@dataclass(frozen=True, eq=False)
class ClaimInputs:
    """The data and rulers the claims are measured with, shared by the seven claims.

    ``data``: the held-out images (the test split); ``codes``: the left and the right
    model's codes of them; ``realism``: the ruler, or ``None`` with ``why_no_realism``;
    ``predictor``: the faces' factor predictor, for data with their factors;
    ``morph_classes``: the two classes whose samples the second morph row joins
    (default: the two whose mean images lie farthest apart).
    """

    data: Dataset
    codes: tuple[Codes, Codes]
    realism: Realism | None = None
    why_no_realism: str = ""
    predictor: FactorPredictor | None = None
    n_images: int = N_IMAGES
    seed: int = SEED
    morph_classes: tuple[int, int] | None = None

    def rows(self, n: int, salt: int = 0) -> np.ndarray:
        """``n`` rows of the data (all of them when it has fewer), chosen with the seed; sorted."""
        n = min(n, len(self.data))
        return np.sort(np.random.default_rng([self.seed, salt]).choice(len(self.data), n, replace=False))


def head(model: Network) -> str:
    """A model's column heading: its short name (``AE``, ``VAE``, ``beta-VAE 4``), else its kind."""
    return str(getattr(model, "short_name", "") or ("VAE" if model.is_vae else "AE"))


def heads(left: Network, right: Network) -> tuple[str, str]:
    a, b = head(left), head(right)
    return (f"{a} (left)", f"{b} (right)") if a == b else (a, b)


def step(progress: Progress | None, start: float, end: float) -> Progress | None:
    """``progress`` for a part of the work that runs from ``start`` to ``end`` of the whole."""
    if progress is None:
        return None
    return lambda fraction, text: progress(start + (end - start) * fraction, text)


def has_factors(data: Dataset) -> bool:
    try:
        known_factors(data)
    except DataError:
        return False
    return True


def prepare_inputs(
    left: Network,
    right: Network,
    data: Dataset,
    real: Dataset | None = None,
    classifier: str | Path | None = None,
    codes: tuple[Codes, Codes] | None = None,
    n_images: int = N_IMAGES,
    seed: int = SEED,
    morph_classes: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> ClaimInputs:
    """Encode ``data`` with both models (unless ``codes`` are given) and make the ruler of realism.

    ``real``: images of the other split, for the ruler's floor. ``classifier``: a
    realism classifier file; a bad one is a one-line :class:`CheckpointError`. With
    none given, the shipped ruler of the data is used, and where there is none the
    realism rows say so.
    """
    if codes is None:
        codes = (encode_images(left, data.images), encode_images(right, data.images))
    if progress:
        progress(0.5, "codes ready")
    from ..predictor import load_predictor  # a network's module: imported where one runs

    predictor = load_predictor()[0] if has_factors(data) else None
    try:
        features, name = ruler_features(data, classifier)
    except CheckpointError as exc:
        if classifier:
            raise
        realism, why = None, str(exc)
    else:
        realism, why = (
            make_realism(features, name, data.images, None if real is None else real.images, n_images, seed),
            "",
        )
    if progress:
        progress(1.0, "ruler ready")
    return ClaimInputs(data, codes, realism, why, predictor, n_images, seed, morph_classes)
