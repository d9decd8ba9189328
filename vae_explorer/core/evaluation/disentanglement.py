"""How well a model's codes line up with known factors: the mutual information gap (MIG).

Computed as disentanglement_lib computes it (Chen et al. 2018, "Isolating sources
of disentanglement"): every code dimension is cut into 20 equal-width bins over
its range; the mutual information of each binned dimension with each factor is
estimated from counts; for each factor, the gap between the dimension that tells
most about it and the runner-up, divided by the factor's entropy; MIG is the
mean gap over factors. 1: each factor lives in one dimension of its own; 0: no
dimension stands out. Continuous factors are binned the same way; binary and
categorical ones are used as they are.

Shapes: ``codes: (N, d)``, ``factors: (N, k)``; everything per factor is ``(k,)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BINS = 20


def discretize(values: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Bin each column of ``values: (N, m)`` into ``bins`` equal-width bins over its range -> ``(N, m) int64``.

    disentanglement_lib's ``_histogram_discretize``: ``np.digitize`` against the
    left edges of ``np.histogram``'s bins, so the values run from 1 to ``bins``.
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.zeros(values.shape, dtype=np.int64)
    for j in range(values.shape[1]):
        edges = np.histogram(values[:, j], bins)[1][:-1]
        out[:, j] = np.digitize(values[:, j], edges)
    return out


def mutual_information(codes: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Mutual information in nats of every discrete code column with every factor column -> ``(d, k)``."""
    from sklearn.metrics import mutual_info_score  # on use: sklearn.metrics takes most of a second to import

    return np.array(
        [
            [mutual_info_score(factors[:, j], codes[:, i]) for j in range(factors.shape[1])]
            for i in range(codes.shape[1])
        ]
    ).reshape(codes.shape[1], factors.shape[1])


def entropy(factors: np.ndarray) -> np.ndarray:
    """Entropy in nats of every discrete factor column of ``factors: (N, k)`` -> ``(k,)``."""
    from sklearn.metrics import mutual_info_score

    return np.array([mutual_info_score(factors[:, j], factors[:, j]) for j in range(factors.shape[1])])


@dataclass
class FactorScore:
    """One factor: the dimension that tells most about it, and the normalised information of the top two.

    ``info`` and ``runner_up_info`` are mutual information divided by the factor's
    entropy (0 to 1); ``gap`` is their difference, the factor's share of the MIG.
    """

    name: str
    dim: int
    info: float
    runner_up: int
    runner_up_info: float

    @property
    def gap(self) -> float:
        return self.info - self.runner_up_info

    def describe(self) -> str:
        """One line: ``smile: z3 (52% of its information; runner-up z5, 12%)``."""
        return (
            f"{self.name}: z{self.dim} ({self.info:.0%} of its information; "
            f"runner-up z{self.runner_up}, {self.runner_up_info:.0%})"
        )


@dataclass
class Disentanglement:
    """The MIG of one model, its per-factor scores, and the whole ``info: (d, k)`` matrix (normalised MI)."""

    mig: float
    factors: list[FactorScore]
    info: np.ndarray

    def dims_of(self) -> dict[int, list[str]]:
        """Which factors each dimension carries best: ``{dim: [factor names]}``."""
        out: dict[int, list[str]] = {}
        for f in self.factors:
            out.setdefault(f.dim, []).append(f.name)
        return out


def discrete_factors(factors: np.ndarray, continuous: Sequence[bool], bins: int = BINS) -> np.ndarray:
    """``factors: (N, k)`` as integers: continuous columns binned like codes, the others as they are."""
    factors = np.asarray(factors)
    out = np.rint(factors).astype(np.int64)
    cont = [j for j, c in enumerate(continuous) if c]
    if cont:
        out[:, cont] = discretize(factors[:, cont], bins)
    return out


def mig(
    codes: np.ndarray,
    factors: np.ndarray,
    names: Sequence[str],
    continuous: Sequence[bool],
    bins: int = BINS,
) -> Disentanglement:
    """The mutual information gap of ``codes: (N, d)`` against ``factors: (N, k)``.

    ``names`` and ``continuous`` describe the factor columns. Needs at least two
    code dimensions (a gap needs a runner-up) and factors that vary.
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2 or codes.shape[1] < 2:
        raise ValueError(f"MIG needs codes of at least two dimensions, not shape {codes.shape}")
    if len(codes) != len(factors):
        raise ValueError(f"{len(codes)} codes for {len(factors)} rows of factors")
    ys = discrete_factors(factors, continuous, bins)
    h = entropy(ys)
    if np.any(h <= 0):
        raise ValueError(f"factor {names[int(np.argmin(h))]!r} takes a single value: its information is undefined")
    info = mutual_information(discretize(codes, bins), ys) / h[None, :]
    order = np.argsort(-info, axis=0, kind="stable")
    scores = [
        FactorScore(name, int(order[0, j]), float(info[order[0, j], j]), int(order[1, j]), float(info[order[1, j], j]))
        for j, name in enumerate(names)
    ]
    return Disentanglement(float(np.mean([s.gap for s in scores])), scores, info)
