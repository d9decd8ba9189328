"""An attribute table matched to the images of a data set, wherever the table was kept.

Each row's key names an image of the *whole* source the data was split from: its
path relative to the folder (``A/x.png``), its file name when no other image has
it, or its row number (0-based, in the folder's sorted order). Rows of images
that went to the other split are left out without complaint; a key that names
no image at all, or an image of the data with no row, is an error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import DataError
from .attribute_table import AttributeTable, read_attribute_file
from .dataset import Dataset, Whole
from .names import NameIndex


def _unnamed(n_rows: int) -> Dataset:
    """A stand-in for data of ``n_rows`` images without file names, for a table keyed by row number."""
    return Dataset("data", "all", np.zeros((n_rows, 1, 1, 1), np.uint8), None, [], "", whole=Whole(n_rows))


def _whole_rows(path: Path, keys: list[str], names: NameIndex) -> np.ndarray:
    """Each key's row in the whole source; one line naming the first key that names none."""
    rows = np.empty(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        row = names.find(key)
        if row is None:
            bad = sum(names.find(k) is None for k in keys[i:])
            raise DataError(f"{path}: {bad} rows match no image of the data (first: {names.why_not(key)})")
        rows[i] = row
    unique, counts = np.unique(rows, return_counts=True)
    if (counts > 1).any():
        twice = int(unique[counts > 1][0])
        first = [k for k, r in zip(keys, rows, strict=True) if r == twice][:2]
        raise DataError(f"{path}: two rows name the same image ({first[0]!r} and {first[1]!r})")
    return rows


def load_attribute_table(path: str | Path, data: Dataset | int) -> AttributeTable:
    """The table in ``path`` aligned with ``data`` (a :class:`Dataset`, or a count of images without names).

    Returns one row per image of ``data``, in its order; its ``note`` says how many
    rows belong to images of the source outside the data (else it is empty).
    """
    path = Path(path)
    data = _unnamed(data) if isinstance(data, int) else data
    names, keys, values = read_attribute_file(path)
    whole = data.whole_source()
    rows = _whole_rows(path, keys, NameIndex(whole))
    position = np.full(whole.size, -1, dtype=np.int64)
    position[data.source_rows()] = np.arange(len(data))
    at = position[rows]
    mine = at >= 0
    aligned = np.full((len(data), len(names)), np.nan, dtype=np.float32)
    aligned[at[mine]] = values[mine]
    missing = np.flatnonzero(np.isnan(aligned).all(axis=1)) if len(names) else np.zeros(0, np.int64)
    if len(missing):
        first = data.sample_name(int(missing[0])) or f"row {int(data.source_rows()[missing[0]])}"
        raise DataError(f"{path}: no row for {len(missing)} of the {len(data)} images (first: {first})")
    note = ""
    if (~mine).any():
        note = (
            f"{path}: {len(keys)} rows, {int(mine.sum())} of them for the {len(data)} images of the "
            f"{data.split} split; the rows of the other {int((~mine).sum())} images are left out"
        )
    return AttributeTable(names, aligned, str(path), note)
