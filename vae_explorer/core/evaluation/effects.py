"""What an attribute vector does to the faces, measured: its effect on every known factor.

Move many held-out codes by ``alpha * v``, decode them before and after, and let
the factor predictor read both: the mean change of each factor says how far the
vector moves its own factor and how much it leaks into the others ("the smile
vector changes smile by +0.45 of its range and glasses by 0.01").

Changes are in common units: continuous factors as a fraction of their range,
binary ones as a change of probability (both signed), categorical ones as the
share of probability that moved to other levels (half the L1 distance of the
two distributions, 0 to 1, unsigned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from vae_explorer.core.attributes.groups import ColumnGroups, Groups
from vae_explorer.core.attributes.vectors import traversal_codes
from vae_explorer.core.data.faces import ATTRIBUTE_FACTOR, FACTOR_NAMES, FACTORS
from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.model.loaded import Network

if TYPE_CHECKING:
    from .predictor import FactorPredictor, FactorReading

DEFAULT_SAMPLES = 1000  # faces moved along a vector: enough for the mean change to settle to about 0.01


def reading_change(before: FactorReading, after: FactorReading) -> np.ndarray:
    """Mean change of every factor from ``before`` to ``after`` (``n`` images each) -> ``(k,)``."""
    out = np.zeros(len(FACTORS))
    for j, f in enumerate(FACTORS):
        if f.kind == "categorical":
            out[j] = 0.5 * np.abs(after.probs[f.name] - before.probs[f.name]).sum(axis=1).mean()
        else:
            out[j] = float(np.mean(after.scores[:, j] - before.scores[:, j]))
    return out


@dataclass
class VectorEffect:
    """A vector's measured effect: ``changes: (k,)`` in :data:`FACTORS` order, for ``n`` faces moved by ``alpha``.

    ``target`` is the factor the vector is named for, when the name is one of the
    faces' attributes (``Smiling`` -> ``smile``), else ``None``.
    """

    changes: np.ndarray
    alpha: float
    n: int
    target: str | None = None

    def change(self, factor: str) -> float:
        return float(self.changes[FACTOR_NAMES.index(factor)])

    def largest_other(self) -> tuple[str, float]:
        """The factor other than ``target`` that moved most (by size), and its change."""
        others = [(abs(c), name, float(c)) for name, c in zip(FACTOR_NAMES, self.changes, strict=True)]
        others = [o for o in others if o[1] != self.target]
        _, name, change = max(others)
        return name, change


def target_factor(name: str) -> str | None:
    """The factor an attribute or factor column stands for (``Smiling`` -> ``smile``), or ``None``."""
    if name in FACTOR_NAMES:
        return name
    return ATTRIBUTE_FACTOR.get(name)


def vector_target(groups: Groups | None, name: str = "") -> str | None:
    """The factor a vector is meant to move: that of its column, else of its name, else ``None``."""
    if isinstance(groups, ColumnGroups):
        return target_factor(groups.column)
    return target_factor(name) if name else None


def vector_effect(
    model: Network,
    predictor: FactorPredictor,
    codes: np.ndarray,
    v: np.ndarray,
    alpha: float = 1.0,
    target: str | None = None,
) -> VectorEffect:
    """Decode ``codes: (n, d)`` and ``codes + alpha * v`` (``v: (d,)``), read both, and average the change."""
    codes = np.asarray(codes, dtype=np.float32)
    moved = traversal_codes(codes, v, np.array([alpha]))  # refuses an alpha that overflows the codes
    from .predictor import read_factors  # a network's module: imported where one runs

    before = read_factors(predictor, decode_codes(model, codes))
    after = read_factors(predictor, decode_codes(model, moved))
    return VectorEffect(reading_change(before, after), float(alpha), len(codes), target)
