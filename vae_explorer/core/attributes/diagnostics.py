"""What makes a vector honest: class-balanced means, an AUC measured on held-out samples, and what else it moves.

*Balanced within classes*: when both groups span several classes (italic and
upright glyphs of every letter), a plain mean difference also carries whatever
tells the classes apart in each group's mix (italic F turns into P). A balanced
vector takes the difference of means within each class that has samples in both
groups, and weighs class ``c`` by ``n+_c n-_c / (n+_c + n-_c)``.

*Held-out AUC*: the groups are cut into folds; each fold is scored by the vector
made from the others (its distance past the midpoint of the two means, along
the vector), and the AUC is taken over all those scores.

*Effects on other attributes*: the direction of each other column of the
attribute table (mean code of its 1s minus its 0s, or of its upper minus lower
half) and how far one unit of the vector goes along it.

Shapes: ``codes: (N, d)``, group rows ``(n,) int64``, ``labels: (N,) int64``, vectors ``(d,)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vae_explorer.core.attributes.groups import median_split
from vae_explorer.core.data.attribute_table import is_binary
from vae_explorer.core.errors import DataError

FOLDS = 5
FOLD_SEED = 0
MIN_CLASSES = 2  # "several classes": each group holds at least this many


def spans_several_classes(labels: np.ndarray | None, positive: np.ndarray, negative: np.ndarray) -> bool:
    """Whether each group holds samples of at least two classes (and some class is in both)."""
    if labels is None:
        return False
    pos, neg = np.unique(labels[positive]), np.unique(labels[negative])
    return len(pos) >= MIN_CLASSES and len(neg) >= MIN_CLASSES and bool(np.intersect1d(pos, neg).size)


def balance_labels(
    labels: np.ndarray | None, positive: np.ndarray, negative: np.ndarray, balance: bool | None
) -> np.ndarray | None:
    """The labels to balance within, or ``None``: ``balance`` True / False, or ``None`` for automatic.

    Automatic balances when both groups span several classes. Asking for it on
    data without labels, or groups that share no class, is a :class:`DataError`.
    """
    if balance is False or (balance is None and not spans_several_classes(labels, positive, negative)):
        return None
    if labels is None:
        raise DataError("balancing within classes needs data with classes")
    if not np.intersect1d(labels[positive], labels[negative]).size:
        raise DataError("no class has samples in both groups: nothing to balance within")
    return labels


def _grouped_sums(x: np.ndarray, rows: np.ndarray, keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Sums ``(n_keys, d)`` and counts ``(n_keys,)`` of ``x[rows]`` grouped by ``keys`` (one per row)."""
    picked = x[rows]
    sums = np.stack([np.bincount(keys, weights=col, minlength=n_keys) for col in picked.T], axis=1)
    return sums.reshape(n_keys, x.shape[1]), np.bincount(keys, minlength=n_keys)


def _class_difference(sp: np.ndarray, np_: np.ndarray, sn: np.ndarray, nn: np.ndarray) -> np.ndarray | None:
    """The balanced difference from per-class sums ``(C, d)`` and counts ``(C,)`` of each group; ``None``: no class
    is in both."""
    both = (np_ > 0) & (nn > 0)
    if not both.any():
        return None
    w = np_[both] * nn[both] / (np_[both] + nn[both])
    diff = sp[both] / np_[both, None] - sn[both] / nn[both, None]
    return (w[:, None] * diff).sum(axis=0) / w.sum()


def _classes(
    labels: np.ndarray | None, positive: np.ndarray, negative: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Each group's class index ``0 .. C-1`` (all 0 without labels) and ``C``."""
    if labels is None:
        return np.zeros(len(positive), np.int64), np.zeros(len(negative), np.int64), 1
    found, inverse = np.unique(np.concatenate([labels[positive], labels[negative]]), return_inverse=True)
    return inverse[: len(positive)], inverse[len(positive) :], len(found)


def group_difference(
    codes: np.ndarray, positive: np.ndarray, negative: np.ndarray, labels: np.ndarray | None = None
) -> np.ndarray:
    """``mean(codes[positive]) - mean(codes[negative])`` -> ``(d,) float32``; within classes when ``labels`` is given.

    The means are taken in float64 so that large groups lose no precision.
    """
    x = np.asarray(codes, dtype=np.float64)
    if labels is None:
        return (x[positive].mean(axis=0) - x[negative].mean(axis=0)).astype(np.float32)
    cp, cn, n_classes = _classes(labels, np.asarray(positive), np.asarray(negative))
    v = _class_difference(*_grouped_sums(x, positive, cp, n_classes), *_grouped_sums(x, negative, cn, n_classes))
    if v is None:
        raise DataError("no class has samples in both groups: nothing to balance within")
    return v.astype(np.float32)


def roc_auc(scores: np.ndarray, is_positive: np.ndarray) -> float:
    """Area under the ROC curve of ``scores: (n,)`` for labels ``is_positive: (n,) bool``.

    The probability that a random positive scores above a random negative (ties
    count half), from the Mann-Whitney rank sum. NaN when a class is missing.
    """
    pos = np.asarray(is_positive, dtype=bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    from scipy.stats import rankdata  # imported here: scipy.stats is slow to import at start-up

    ranks = rankdata(np.asarray(scores, dtype=np.float64))  # average ranks for ties
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def _folds(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return rng.permutation(np.arange(n) % k)


def heldout_auc(
    codes: np.ndarray,
    positive: np.ndarray,
    negative: np.ndarray,
    labels: np.ndarray | None = None,
    folds: int = FOLDS,
    seed: int = FOLD_SEED,
) -> float:
    """ROC AUC of the vector on samples it was not made from, by ``folds``-fold cross-validation.

    Each held-out sample scores ``(x - midpoint) . v / |v|`` with ``v`` and the midpoint
    of the group means made from the other folds. NaN when a group is too small to cut.
    The sums of every fold and class are taken once; a fold's fit is the total less its own.
    """
    k = min(folds, len(positive), len(negative))
    if k < 2:
        return float("nan")
    x = np.asarray(codes, dtype=np.float64)
    rng = np.random.default_rng(seed)
    fold_p, fold_n = _folds(len(positive), k, rng), _folds(len(negative), k, rng)
    cp, cn, n_classes = _classes(labels, positive, negative)
    sp, np_ = (a.reshape(k, n_classes, -1) for a in _grouped_sums(x, positive, fold_p * n_classes + cp, k * n_classes))
    sn, nn = (a.reshape(k, n_classes, -1) for a in _grouped_sums(x, negative, fold_n * n_classes + cn, k * n_classes))
    np_, nn = np_[..., 0], nn[..., 0]
    scores, truth = [], []
    for f in range(k):
        fit = [total.sum(axis=0) - total[f] for total in (sp, np_, sn, nn)]
        v = _class_difference(*fit)
        mean_p, mean_n = fit[0].sum(axis=0) / fit[1].sum(), fit[2].sum(axis=0) / fit[3].sum()
        v = mean_p - mean_n if v is None else v  # this fold lost the shared classes
        middle, norm = (mean_p + mean_n) / 2, np.linalg.norm(v)
        for rows, is_pos in ((positive[fold_p == f], True), (negative[fold_n == f], False)):
            scores.append((x[rows] @ v - middle @ v) / (norm or 1.0))
            truth.append(np.full(len(rows), is_pos))
    return roc_auc(np.concatenate(scores), np.concatenate(truth))


@dataclass(frozen=True)
class Effect:
    """How far one unit of a vector moves along another attribute's direction ``u``.

    ``share`` is ``v . u / |u|^2``: 1.0 moves a code as far as from the attribute's
    0s (or lower half) to its 1s (upper half); ``cosine`` the cosine of ``v`` and ``u``.
    """

    name: str
    share: float
    cosine: float


def attribute_directions(
    codes: np.ndarray, columns: dict[str, np.ndarray], labels: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Each column's direction in the codes: mean of its 1s minus its 0s (binary), else its upper minus lower half.

    ``columns``: name -> ``(N,)`` values; a column without two sides (all one
    value) is left out. ``labels``: balance within classes where that is possible.
    """
    out = {}
    for name, values in columns.items():
        if np.all(values == values[0]):
            continue
        if is_binary(values):
            pos, neg = np.flatnonzero(values == 1.0), np.flatnonzero(values != 1.0)
        else:
            pos, neg = median_split(values)
        strata = labels if labels is not None and spans_several_classes(labels, pos, neg) else None
        out[name] = group_difference(codes, pos, neg, strata)
    return out


def effects(v: np.ndarray, directions: dict[str, np.ndarray]) -> list[Effect]:
    """How far ``v: (d,)`` goes along each direction, the largest cosine first."""
    v = np.asarray(v, dtype=np.float64)
    out = []
    for name, u in directions.items():
        u = np.asarray(u, dtype=np.float64)
        uu, vv = float(u @ u), float(np.linalg.norm(v))
        if uu == 0 or vv == 0:
            continue
        out.append(Effect(name, float(v @ u / uu), float(np.clip(v @ u / (vv * np.sqrt(uu)), -1, 1))))
    return sorted(out, key=lambda e: -abs(e.cosine))
