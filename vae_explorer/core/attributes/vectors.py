"""Attribute vectors from labelled group means, their diagnostics, and moving codes along them.

An attribute vector is ``v = mean(positive codes) - mean(negative codes)``,
computed in one model's latent space (an AE and a VAE each get their own).
Adding ``alpha * v`` to a code and decoding shows what the attribute does.

Shapes: ``codes: (N, d) float32``, group indices ``(n,) int64``, ``v: (d,) float32``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vae_explorer.core.attributes.diagnostics import (
    Effect,
    attribute_directions,
    balance_labels,
    effects,
    group_difference,
    heldout_auc,
    roc_auc,
)
from vae_explorer.core.attributes.groups import ColumnGroups, Groups
from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.errors import DataError
from vae_explorer.core.io.images import image_grid
from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.limits import ALPHA
from vae_explorer.core.model.loaded import Network

ALPHA_RANGE = 3.0  # the slider's reach, in units of the vector


@dataclass
class VectorEntry:
    """One model's vector and how well it separates the groups it was made from.

    ``values: (d,) float32``; ``model`` is the checkpoint's file name, ``digest``
    its content hash (:attr:`Checkpoint.digest`), ``kind`` ``"ae"`` or ``"vae"``.
    ``auc`` is measured on held-out samples (see :mod:`.diagnostics`), NaN when
    unknown (a vector read from a file made elsewhere); ``effects`` says how far the
    vector goes along each other attribute of the data's table.
    """

    values: np.ndarray
    model: str = ""
    digest: str = ""
    kind: str = ""
    n_pos: int = 0
    n_neg: int = 0
    auc: float = float("nan")
    effects: list[Effect] = field(default_factory=list)  # along the table's other attributes, not saved

    @property
    def norm(self) -> float:
        return float(np.linalg.norm(self.values))

    @property
    def latent_dim(self) -> int:
        return int(len(self.values))


@dataclass
class AttributeVector:
    """A named direction: the groups it was made from, and one :class:`VectorEntry` per model slot.

    ``groups`` is a :mod:`~vae_explorer.core.attribute_groups` definition (or
    ``None`` when only the values are known); ``description`` says it in words.
    """

    name: str
    groups: Groups | None = None
    description: str = ""
    data: str = ""
    entries: dict[str, VectorEntry] = field(default_factory=dict)
    balanced: bool = False  # made within classes (see :mod:`.diagnostics`)


def mean_difference(codes: np.ndarray, positive: np.ndarray, negative: np.ndarray) -> np.ndarray:
    """``mean(codes[positive]) - mean(codes[negative])``: ``codes: (N, d)``, row indices -> ``(d,) float32``."""
    return group_difference(codes, np.asarray(positive), np.asarray(negative))


def projection_auc(codes: np.ndarray, positive: np.ndarray, negative: np.ndarray, v: np.ndarray) -> float:
    """How well projecting ``codes: (N, d)`` on ``v: (d,)`` separates two groups of rows (ROC AUC).

    1.0: every positive projects further along ``v`` than every negative; 0.5: no better than chance.
    """
    x = np.asarray(codes, dtype=np.float64)
    scores = np.concatenate([x[positive] @ v, x[negative] @ v])
    labels = np.concatenate([np.ones(len(positive), bool), np.zeros(len(negative), bool)])
    return roc_auc(scores, labels)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """``a . b / (|a| |b|)`` of two ``(d,)`` vectors; NaN when either is zero or the sizes differ."""
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        return float("nan")
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return float("nan")
    return float(np.clip(a @ b / (na * nb), -1.0, 1.0))


def cosine_matrix(vectors: list[np.ndarray]) -> np.ndarray:
    """Cosine similarity of every pair of ``k`` vectors -> ``(k, k)`` (NaN where undefined)."""
    k = len(vectors)
    out = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(k):
            out[i, j] = cosine_similarity(vectors[i], vectors[j])
    return out


def compute_entry(
    codes: np.ndarray,
    positive: np.ndarray,
    negative: np.ndarray,
    model: str = "",
    digest: str = "",
    kind: str = "",
    labels: np.ndarray | None = None,
    directions: dict[str, np.ndarray] | None = None,
) -> VectorEntry:
    """The vector of two groups of rows of ``codes: (N, d)``, with its diagnostics.

    ``labels``: balance within these classes (see :func:`~.diagnostics.balance_labels`);
    ``directions``: other attributes' directions in these codes, to measure its effects on.
    """
    v = group_difference(codes, positive, negative, labels)
    auc = heldout_auc(codes, positive, negative, labels)
    moved = effects(v, directions) if directions else []
    return VectorEntry(v, model, digest, kind, int(len(positive)), int(len(negative)), auc, moved)


def table_columns(table: AttributeTable | None, groups: Groups | None = None) -> dict[str, np.ndarray]:
    """The table's columns by name, less the one ``groups`` is made from: the attributes whose effects are shown."""
    if table is None:
        return {}
    own = groups.column if isinstance(groups, ColumnGroups) else None
    return {name: table.values[:, k] for k, name in enumerate(table.names) if name != own}


@dataclass
class ModelCodes:
    """One model as vectors see it: its codes of the data ``(N, d)`` (``None`` until encoded) and what names it.

    ``model`` the checkpoint's file name, ``digest`` its content hash, ``kind`` ``"ae"``
    or ``"vae"``, ``latent_dim`` ``d`` (taken from the codes when they are given).
    """

    codes: np.ndarray | None
    model: str = ""
    digest: str = ""
    kind: str = ""
    latent_dim: int = 0

    def __post_init__(self) -> None:
        if self.codes is not None:
            self.latent_dim = int(self.codes.shape[1])


def build_vector(
    name: str,
    groups: Groups,
    data: Dataset,
    models: dict[str, ModelCodes],
    table: AttributeTable | None = None,
    balance: bool | None = None,
) -> AttributeVector:
    """Resolve ``groups`` on ``data`` once and make the vector in every model's space.

    ``models`` maps a slot name to its codes; ``balance`` True, False or ``None``
    (within classes when both groups span several). Raises :class:`DataError` for bad groups.
    """
    table = table if table is not None else data.attributes
    positive, negative = groups.resolve(data, table)
    labels = balance_labels(data.labels, positive, negative, balance)
    columns = table_columns(table, groups)
    entries = {}
    for slot, m in models.items():
        if m.codes is not None:
            directions = attribute_directions(m.codes, columns, data.labels)
            entries[slot] = compute_entry(m.codes, positive, negative, m.model, m.digest, m.kind, labels, directions)
    name = name.strip() or groups.default_name(data)
    description = groups.describe(data) + (", balanced within classes" if labels is not None else "")
    return AttributeVector(name, groups, description, data.description, entries, labels is not None)


def apply_vector(z: np.ndarray, v: np.ndarray, alpha: float) -> np.ndarray:
    """``z + alpha * v``: ``z: (d,)`` or ``(n, d)``, ``v: (d,)`` -> the same shape, float32.

    ``alpha = 0`` returns ``z`` exactly.
    """
    z = np.asarray(z, dtype=np.float32)
    return (z + np.float32(alpha) * np.asarray(v, dtype=np.float32)).astype(np.float32)


def parse_alphas(text: str) -> np.ndarray:
    """``"A:B:N"`` (N evenly spaced values from A to B) or ``"a,b,c"`` -> ``(n,) float32``.

    Raises ``ValueError`` with a one-line reason.
    """
    text = text.strip()
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop, n = float(parts[0]), float(parts[1]), int(parts[2])
            if n < 1:
                raise ValueError(f"{text!r}: N must be at least 1")
            values = np.linspace(start, stop, n)
        else:
            values = np.array([float(t) for t in text.split(",") if t.strip()])
    except ValueError as exc:
        raise ValueError(str(exc) or f"{text!r} is not A:B:N or a list of numbers like -1,0,1") from None
    if not len(values) or not np.all(np.isfinite(values)):
        raise ValueError(f"{text!r} gives no finite alpha values")
    for value in (values.min(), values.max()):
        reason = ALPHA.problem(float(value))
        if reason:
            raise ValueError(f"{text!r}: each alpha {reason}")
    return values.astype(np.float32)


def traversal_rows(n: int, rows: int, first: int | None = None, seed: int = 0) -> np.ndarray:
    """The samples of a traversal grid: ``first`` (a selected sample) if given, then a seeded draw of others.

    ``n`` samples in the data -> ``(min(rows, n),) int64``, repeatable for a seed; asking
    for more rows keeps the ones drawn before. The draw costs ``O(rows)`` when the data
    is much larger than the grid, not ``O(n)``.
    """
    want = min(rows, n)
    out = [] if first is None else [int(first)]
    rng = np.random.default_rng(seed)
    if 4 * want >= n:  # small data: one shuffle
        out += [int(i) for i in rng.permutation(n) if i != first]
    else:
        seen = set(out)
        while len(out) < want:
            i = int(rng.integers(n))
            if i not in seen:
                seen.add(i)
                out.append(i)
    return np.asarray(out[:want], dtype=np.int64)


def traversal_codes(base: np.ndarray, v: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Every base code moved by every alpha, row by row.

    ``base: (S, d)``, ``v: (d,)``, ``alphas: (A,)`` -> ``(S * A, d) float32``, where
    row ``s * A + a`` is ``base[s] + alphas[a] * v``.
    """
    base = np.asarray(base, dtype=np.float32).reshape(-1, len(v))
    alphas = np.asarray(alphas, dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        codes = base[:, None, :] + alphas[None, :, None] * np.asarray(v, dtype=np.float32)[None, None, :]
    if not np.isfinite(codes).all():
        worst = float(alphas[np.argmax(np.abs(alphas))])
        raise DataError(f"alpha {worst:g} moves the codes beyond what 32-bit floats hold; use smaller alphas")
    return codes.reshape(-1, len(v))


def traversal_images(model: Network, base: np.ndarray, v: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Decode a traversal in one batch -> ``(S * A, C, H, W) float32`` in [0, 1], row by row."""
    return decode_codes(model, traversal_codes(base, v, alphas))


def traversal_grid(model: Network, base: np.ndarray, v: np.ndarray, alphas: np.ndarray, pad: int = 1) -> np.ndarray:
    """One image of a traversal: ``S`` rows (the base codes) by ``A`` columns (the alphas) -> ``uint8 (C, H', W')``."""
    images = traversal_images(model, base, v, alphas)
    return image_grid(images, len(images) // len(alphas), len(alphas), pad=pad)


def side_by_side(images: list[np.ndarray], gap: int = 6, fill: int = 255) -> np.ndarray:
    """Put ``uint8 (C, H_i, W_i)`` images next to each other, top-aligned, ``gap`` pixels apart."""
    c = images[0].shape[0]
    h = max(im.shape[1] for im in images)
    w = sum(im.shape[2] for im in images) + gap * (len(images) - 1)
    out = np.full((c, h, w), fill, np.uint8)
    x = 0
    for im in images:
        out[:, : im.shape[1], x : x + im.shape[2]] = im
        x += im.shape[2] + gap
    return out
