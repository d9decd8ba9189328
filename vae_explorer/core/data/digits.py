"""scikit-learn's bundled handwritten digits: the data set that always works offline."""

from __future__ import annotations

import numpy as np

from .dataset import Dataset, split_indices
from .idx_sets import DIGIT_NAMES

DIGITS_TEST_FRACTION = 0.2


def load_digits(split: str = "train", test_fraction: float | None = None) -> Dataset:
    """scikit-learn's bundled 1,797 handwritten digits, 8x8, scaled to uint8; a seeded fifth is the test split."""
    from sklearn.datasets import load_digits as _sk_digits

    bunch = _sk_digits()
    images = np.round(bunch.images * (255.0 / 16.0)).clip(0, 255).astype(np.uint8)[:, None]
    labels = bunch.target.astype(np.int64)
    fraction = DIGITS_TEST_FRACTION if test_fraction is None else test_fraction
    full = Dataset("digits", "all", images, labels, DIGIT_NAMES, "scikit-learn")
    chosen = full.subset(split_indices(len(images), split, test_fraction=fraction))
    chosen.split, chosen.test_fraction = split, fraction
    return chosen
