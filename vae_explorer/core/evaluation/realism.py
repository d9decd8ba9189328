"""How realistic images are, measured as FID is: Frechet distance to held-out data in a classifier's features.

A :class:`Realism` holds a feature function (a realism classifier's hidden layer;
for the generated faces, the factor predictor's), the Gaussian of the held-out
images' features, and a floor: the distance of as many real images of the other
split, the smallest a model can hope for with that many images. Lower is more
realistic; the number depends on the ruler and on the number of images, so only
numbers made with the same ruler and count compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, DataError
from vae_explorer.core.lazy import inference_mode, torch

from .frechet import Gaussian, fit_gaussian, frechet_distance
from .ground_truth import known_factors

Features = Callable[["torch.Tensor"], "torch.Tensor"]


@inference_mode
def features_of(features: Features, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """``features`` of ``images (n, C, H, W)`` (uint8, or float in [0, 1]), a batch at a time -> ``(n, k) float64``."""
    from .classifier import as_float  # a network's module: imported where one runs

    out = [features(as_float(images[s : s + batch_size])).double().numpy() for s in range(0, len(images), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, 0))


@dataclass(frozen=True)
class Realism:
    """The ruler: ``features``, the held-out images' :class:`Gaussian` ``reference``, and ``floor`` (or ``None``).

    ``name`` says which ruler (``fashion-classifier.pt``); ``floor`` is the distance of
    ``n`` real images of the other split to ``reference``.
    """

    features: Features
    reference: Gaussian
    name: str
    n: int
    floor: float | None = None

    def distance(self, images: np.ndarray) -> float:
        """The Frechet distance of ``images (m, C, H, W)`` (``m >= 2``) to the held-out data."""
        return frechet_distance(fit_gaussian(features_of(self.features, images)), self.reference)

    def describe(self) -> str:
        """Which ruler: ``Frechet distance to held-out images in fashion-classifier.pt's features; ...``."""
        floor = f"; {self.n} real images of the other split: {self.floor:.2f}" if self.floor is not None else ""
        return f"Frechet distance to held-out images in {self.name}'s features{floor}"

    def short(self) -> str:
        """What a number is, in a row: ``Frechet distance to held-out images (real images: 2.1)``."""
        floor = f" (real images: {self.floor:.2f})" if self.floor is not None else ""
        return f"Frechet distance to held-out images{floor}"


def ruler_features(data: Dataset, classifier: str | Path | None = None) -> tuple[Features, str]:
    """The feature function for ``data``'s realism and the ruler's name.

    ``classifier``: a realism classifier file; else the shipped one of a built-in
    data set, or the faces' factor predictor for data with the faces' factors.
    Raises a one-line :class:`CheckpointError` when there is none, or it takes other images.
    """
    from .classifier import load_classifier, shipped_classifier_path  # a network's module: imported where one runs

    path = Path(classifier) if classifier else shipped_classifier_path(data.name)
    if path is None:
        try:
            known_factors(data)
        except DataError:
            raise CheckpointError(
                f"no realism classifier for {data.name}: give --classifier FILE "
                "(benchmarks/realism_classifier.py trains one)"
            ) from None
        from .predictor import FILE_NAME, load_predictor

        predictor, _ = load_predictor()
        return predictor.features, FILE_NAME
    model, _ = load_classifier(path)
    if model.config.image_shape != data.image_shape:
        shape = "x".join(map(str, model.config.image_shape))
        raise CheckpointError(
            f"{path}: a realism classifier of {shape} images, but {data.name} has "
            + "x".join(map(str, data.image_shape))
        )
    return model.features, path.name


def make_realism(
    features: Features, name: str, held_out: np.ndarray, real: np.ndarray | None = None, n: int = 2000, seed: int = 0
) -> Realism:
    """The ruler of ``held_out (N, C, H, W)`` images, its floor from ``n`` of ``real`` images (seeded), if given."""
    reference = fit_gaussian(features_of(features, held_out))
    floor = None
    if real is not None and len(real) >= 2:
        n = min(n, len(real))
        rows = np.sort(np.random.default_rng(seed).choice(len(real), n, replace=False))
        floor = frechet_distance(fit_gaussian(features_of(features, real[rows])), reference)
    return Realism(features, reference, name, n, floor)
