"""The Frechet distance between two sets of features, each summed up by a Gaussian (as FID is).

``d^2 = |m1 - m2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2))``. The trace of the
matrix square root is taken as ``tr((A S2 A)^(1/2))`` with ``A = S1^(1/2)``: a
symmetric positive semi-definite matrix, whose square root comes from an
eigen-decomposition with negative round-off clipped to 0. It stays real and
stable when a covariance is singular (fewer images than features), where
``scipy.linalg.sqrtm`` of the product can turn complex.

Shapes: features ``(n, k)``; a mean ``(k,)``, a covariance ``(k, k)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Gaussian:
    """The mean ``(k,)`` and covariance ``(k, k)`` (float64) of ``n`` feature vectors."""

    mean: np.ndarray
    cov: np.ndarray
    n: int


def fit_gaussian(features: np.ndarray) -> Gaussian:
    """The mean and the unbiased covariance of ``features (n, k)``, ``n >= 2``."""
    f = np.asarray(features, dtype=np.float64)
    if f.ndim != 2 or len(f) < 2:
        raise ValueError(f"a Gaussian needs at least two feature vectors, not shape {f.shape}")
    return Gaussian(f.mean(axis=0), np.atleast_2d(np.cov(f, rowvar=False)), len(f))


def psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """The symmetric square root of a symmetric positive semi-definite ``(k, k)`` matrix."""
    sym = 0.5 * (matrix + matrix.T)
    values, vectors = np.linalg.eigh(sym)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def trace_sqrt_product(cov1: np.ndarray, cov2: np.ndarray) -> float:
    """``tr((S1 S2)^(1/2))`` for two covariances, as ``tr((A S2 A)^(1/2))`` with ``A = S1^(1/2)``."""
    a = psd_sqrt(cov1)
    inner = a @ cov2 @ a
    values = np.linalg.eigvalsh(0.5 * (inner + inner.T))
    return float(np.sqrt(np.clip(values, 0.0, None)).sum())


def frechet_distance(a: Gaussian, b: Gaussian) -> float:
    """The squared Frechet distance between two Gaussians (FID's number); 0 for equal ones, never negative."""
    diff = a.mean - b.mean
    d2 = float(diff @ diff) + float(np.trace(a.cov) + np.trace(b.cov)) - 2.0 * trace_sqrt_product(a.cov, b.cov)
    return max(d2, 0.0)


def frechet_between(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """:func:`frechet_distance` of the Gaussians fitted to two sets of features ``(n, k)`` and ``(m, k)``."""
    return frechet_distance(fit_gaussian(features_a), fit_gaussian(features_b))
