"""The two groups of samples an attribute vector is made from, and a short text form of them.

A definition resolves on a data set to ``(positive, negative)`` row indices.
Four kinds, each with a text form (the CLI's ``--attribute`` and the saved files; read by :mod:`.spec`):

==================  ===============================================================
``class:A-B``       class A vs class B (by name or index); ``A->B`` is B vs A
``class:A-rest``    class A vs every other sample
``column:NAME``     rows where an attribute column is 1 vs rows where it is 0 (or -1)
``column:NAME>T``   rows above a threshold vs the others (``>median``: upper vs lower half)
``indices:I,J-K,L`` samples I, J vs samples K, L (``indices:I,J-rest``: vs the rest)
``pixel:STAT``      images above vs below the median of a pixel statistic:
                    ``ink`` (mean brightness), ``width`` or ``height`` of the
                    bounding box of the drawn pixels
==================  ===============================================================

Every bad definition (an empty group, a group of one, the same group on both
sides, a column that is not binary) raises a one-line :class:`DataError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.data.attribute_table import is_binary
from vae_explorer.core.errors import DataError

PIXEL_STATS = {
    "ink": "ink / brightness (mean pixel value)",
    "width": "width of the drawn pixels' bounding box",
    "height": "height of the drawn pixels' bounding box",
}
DRAWN_THRESHOLD = 0.25  # a pixel is drawn when it differs from the background by a quarter of full scale
CHUNK = 4096


def pixel_statistic(images: np.ndarray, stat: str) -> np.ndarray:
    """One number per image: ``images: uint8 (N, C, H, W)`` -> ``(N,) float64``.

    ``ink``: mean pixel value in [0, 1]. ``width`` / ``height``: the size in pixels
    of the bounding box of the drawn pixels, those differing from the background
    (the median of the image's border) by more than a quarter of full scale; 0 for
    a blank image.
    """
    if stat not in PIXEL_STATS:
        raise DataError(f"unknown pixel statistic {stat!r}: use {', '.join(PIXEL_STATS)}")
    out = np.empty(len(images), dtype=np.float64)
    for start in range(0, len(images), CHUNK):
        x = images[start : start + CHUNK].astype(np.float32).mean(axis=1) / 255.0  # (n, H, W)
        if stat == "ink":
            out[start : start + len(x)] = x.mean(axis=(1, 2))
            continue
        border = np.concatenate([x[:, 0, :], x[:, -1, :], x[:, :, 0], x[:, :, -1]], axis=1)
        drawn = np.abs(x - np.median(border, axis=1)[:, None, None]) > DRAWN_THRESHOLD
        along = drawn.any(axis=1) if stat == "width" else drawn.any(axis=2)  # (n, W) or (n, H)
        size = along.shape[1]
        first = np.argmax(along, axis=1)
        last = size - 1 - np.argmax(along[:, ::-1], axis=1)
        out[start : start + len(x)] = np.where(along.any(axis=1), last - first + 1, 0)
    return out


def binary_column(table: AttributeTable, name: str) -> np.ndarray:
    """An attribute column as ``(N,) bool`` (True: has it). 0/1 and -1/1 columns are binary."""
    values = table.column(name)
    found = set(np.unique(values).tolist())
    if not is_binary(values):
        shown = ", ".join(f"{v:g}" for v in sorted(found)[:4]) + (", ..." if len(found) > 4 else "")
        raise DataError(
            f"{table.source or 'attribute table'}: column {name!r} is not binary (values {shown}); "
            f"split it at its median (column:{name}>median) or at a threshold (column:{name}>T)"
        )
    return values == 1.0


class Groups:
    """Base of the definitions: ``resolve`` on data, ``describe`` in words, ``to_text`` as a spec."""

    kind = ""

    def resolve(self, data: Dataset, table: AttributeTable | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(positive, negative)`` row indices, each ``(n,) int64``, checked with :func:`check_groups`."""
        positive, negative = self._indices(data, table)
        check_groups(positive, negative, self.describe(data))
        return positive, negative

    def _indices(self, data: Dataset, table: AttributeTable | None) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def describe(self, data: Dataset | None = None) -> str:
        raise NotImplementedError

    def default_name(self, data: Dataset | None = None) -> str:
        return self.describe(data)

    def to_text(self) -> str:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.to_text()}


def check_groups(positive: np.ndarray, negative: np.ndarray, what: str) -> None:
    """Raise :class:`DataError` for an empty group, a group of one, or the same group on both sides."""
    for side, idx in (("positive", positive), ("negative", negative)):
        if len(idx) == 0:
            raise DataError(f"{what}: the {side} group is empty")
        if len(idx) == 1:
            raise DataError(f"{what}: the {side} group holds one sample; a mean needs at least two")
    if len(positive) == len(negative) and np.array_equal(np.sort(positive), np.sort(negative)):
        raise DataError(f"{what}: both groups are the same samples")


def class_index(data: Dataset, token: str) -> int:
    """The label of the class ``token`` names (its name in any case, or its number); else a :class:`DataError`."""
    if data.labels is None:
        raise DataError(f"{data.name} has no classes; use a column, a selection or a pixel statistic")
    lowered = [n.lower() for n in data.label_names]
    if token.strip().lower() in lowered:
        return lowered.index(token.strip().lower())
    if token.strip().isdigit() and int(token) < max(len(data.label_names), int(data.labels.max()) + 1):
        return int(token)
    names = ", ".join(data.label_names[:12]) + (", ..." if len(data.label_names) > 12 else "")
    raise DataError(f"no class {token!r} in {data.name} (classes: {names})")


def _class_name(data: Dataset | None, token: str) -> str:
    if data is None or data.labels is None:
        return token
    try:
        k = class_index(data, token)
    except DataError:
        return token
    return data.label_names[k] if k < len(data.label_names) else str(k)


@dataclass(frozen=True)
class ClassGroups(Groups):
    """Samples of class ``positive`` vs samples of class ``negative`` (``None``: every other sample)."""

    positive: str
    negative: str | None = None
    kind = "class"

    def _indices(self, data: Dataset, table: AttributeTable | None) -> tuple[np.ndarray, np.ndarray]:
        a = class_index(data, self.positive)
        labels = data.labels
        pos = np.flatnonzero(labels == a)
        neg = (
            np.flatnonzero(labels != a)
            if self.negative is None
            else np.flatnonzero(labels == class_index(data, self.negative))
        )
        return pos, neg

    def describe(self, data: Dataset | None = None) -> str:
        neg = "rest" if self.negative is None else _class_name(data, self.negative)
        return f"{_class_name(data, self.positive)} vs {neg}"

    def default_name(self, data: Dataset | None = None) -> str:
        if self.negative is None:
            return self.describe(data)
        return f"{_class_name(data, self.negative)} → {_class_name(data, self.positive)}"

    def to_text(self) -> str:
        if self.negative is None:
            return f"class:{self.positive}-rest"
        if "-" in self.positive + self.negative:
            return f"class:{self.negative}->{self.positive}"
        return f"class:{self.positive}-{self.negative}"


@dataclass(frozen=True)
class ColumnGroups(Groups):
    """Rows of an attribute column: 1 vs 0 (or -1), or above vs at most a threshold, or the upper vs lower half.

    ``split`` is ``None`` for a binary column, ``"median"``, or a number (the threshold).
    """

    column: str
    split: float | str | None = None
    kind = "column"

    def _indices(self, data: Dataset, table: AttributeTable | None) -> tuple[np.ndarray, np.ndarray]:
        table = table if table is not None else data.attributes
        if table is None:
            raise DataError(f"{data.name} has no attribute table; load one (a CSV or list_attr_celeba.txt) first")
        if len(table.values) != len(data):
            raise DataError(f"{table.source}: {len(table.values)} rows for {len(data)} images")
        if self.split is None:
            has = binary_column(table, self.column)
            return np.flatnonzero(has), np.flatnonzero(~has)
        values = table.column(self.column)
        if self.split == "median":
            if values.min() == values.max():
                raise DataError(f"{self.column} is {values[0]:g} for every image: nothing to split")
            return median_split(values)
        high = values > float(self.split)
        return np.flatnonzero(high), np.flatnonzero(~high)

    def _split_text(self) -> str:
        return "" if self.split is None else f">{self.split if self.split == 'median' else f'{self.split:.12g}'}"

    def describe(self, data: Dataset | None = None) -> str:
        if self.split is None:
            return f"{self.column}: yes vs no"
        if self.split == "median":
            return f"{self.column}: upper vs lower half"
        return f"{self.column} > {self.split:g} vs ≤ {self.split:g}"

    def default_name(self, data: Dataset | None = None) -> str:
        return self.column + self._split_text().replace(">", " > ")

    def to_text(self) -> str:
        return f"column:{self.column}{self._split_text()}"


@dataclass(frozen=True)
class SelectionGroups(Groups):
    """Chosen samples vs other chosen samples (``negative=None``: vs the rest), by row index.

    ``data_key`` is the fingerprint of the data the indices were chosen on; the
    groups do not resolve on other data.
    """

    positive: tuple[int, ...]
    negative: tuple[int, ...] | None = None
    data_key: str = ""
    kind = "selection"

    def _indices(self, data: Dataset, table: AttributeTable | None) -> tuple[np.ndarray, np.ndarray]:
        if self.data_key and self.data_key != data.fingerprint():
            raise DataError(f"the selected samples were chosen on other data than {data.name} ({data.split})")
        pos = np.unique(np.asarray(self.positive, dtype=np.int64))
        if self.negative is None:
            neg = np.setdiff1d(np.arange(len(data)), pos)
        else:
            neg = np.unique(np.asarray(self.negative, dtype=np.int64))
        bad = [int(i) for i in np.concatenate([pos, neg]) if not 0 <= i < len(data)]
        if bad:
            raise DataError(f"sample {bad[0]} is out of range (0 to {len(data) - 1})")
        return pos, neg

    def describe(self, data: Dataset | None = None) -> str:
        neg = "rest" if self.negative is None else f"{len(set(self.negative))} selected"
        return f"{len(set(self.positive))} selected vs {neg}"

    def default_name(self, data: Dataset | None = None) -> str:
        return "selection A vs " + ("rest" if self.negative is None else "B")

    def to_text(self) -> str:
        neg = "rest" if self.negative is None else ",".join(map(str, self.negative))
        return f"indices:{','.join(map(str, self.positive))}-{neg}"

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.to_text(), "data_key": self.data_key}


def median_split(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows above vs below the median of ``values: (N,)`` -> two index arrays.

    Values equal to the median go to whichever side leaves the halves closer in
    size (a statistic of few distinct values, like a width in pixels, has many ties).
    """
    m = np.median(values)
    splits = [(values > m, values <= m), (values >= m, values < m)]
    splits = [(hi, lo) for hi, lo in splits if hi.any() and lo.any()] or splits[:1]
    hi, lo = min(splits, key=lambda s: abs(int(s[0].sum()) - int(s[1].sum())))
    return np.flatnonzero(hi), np.flatnonzero(lo)


@dataclass(frozen=True)
class PixelGroups(Groups):
    """Images in the upper vs the lower half of a pixel statistic, split at its median."""

    stat: str
    kind = "pixel"

    def _indices(self, data: Dataset, table: AttributeTable | None) -> tuple[np.ndarray, np.ndarray]:
        values = pixel_statistic(data.images, self.stat)
        if len(values) and values.min() == values.max():
            raise DataError(f"{self.stat} is {values[0]:g} for every image of {data.name}: nothing to split")
        return median_split(values)

    def describe(self, data: Dataset | None = None) -> str:
        return f"{self.stat}: upper vs lower half"

    def default_name(self, data: Dataset | None = None) -> str:
        return {"ink": "more ink", "width": "wider", "height": "taller"}.get(self.stat, self.stat)

    def to_text(self) -> str:
        return f"pixel:{self.stat}"
