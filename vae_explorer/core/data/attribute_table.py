"""Attribute tables: a CSV with an index column, or CelebA's ``list_attr_celeba.txt``.

A file's first column keys its rows: an image's path in its folder, its file
name, or a row number (:mod:`.tables` matches them to the images). An
:class:`AttributeTable` holds one row per image of the data, in the data's order.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae_explorer.core.io.safe_read import MiB, read_text

from ..errors import DataError

MAX_LISTED = 40  # column names listed in a message (CelebA has 40)
MAX_BYTES = 256 * MiB  # CelebA's table of 202,599 images and 40 attributes is 26 MB


@dataclass
class AttributeTable:
    """``values: (N, k) float32``, one column per name in ``names``."""

    names: list[str]
    values: np.ndarray
    source: str = ""
    note: str = ""  # how it was read, for the user: rows, columns, rows of other images left out

    def column(self, name: str) -> np.ndarray:
        """The values of column ``name`` ``(N,)``; an unknown name is a :class:`DataError` listing the columns."""
        try:
            return self.values[:, self.names.index(name)]
        except ValueError:
            shown = ", ".join(self.names[:MAX_LISTED]) + (", ..." if len(self.names) > MAX_LISTED else "")
            raise DataError(
                f"no attribute named {name!r} in {self.source or 'the table'}; its columns are {shown}"
            ) from None

    def subset(self, indices: np.ndarray) -> AttributeTable:
        return AttributeTable(self.names, self.values[indices], self.source, self.note)


def is_binary(values: np.ndarray) -> bool:
    """Whether a column holds only 0 and 1, or only -1 and 1."""
    found = set(np.unique(values).tolist())
    return found <= {0.0, 1.0} or found <= {-1.0, 1.0}


def _parse_value(text: str, path: Path, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value):
        raise DataError(f"{path}, line {line}: value {text[:40]!r} of {column[:40]!r} is not a finite number")
    return value


def _read_celeba(path: Path, lines: list[str]) -> tuple[list[str], list[str], np.ndarray]:
    names = lines[1].split()
    keys, rows = [], []
    for i, line in enumerate(lines[2:], start=3):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != len(names) + 1:
            raise DataError(f"{path}, line {i}: {len(parts) - 1} values for {len(names)} attributes")
        keys.append(parts[0])
        rows.append([_parse_value(v, path, i, n) for v, n in zip(parts[1:], names, strict=True)])
    values = np.asarray(rows, dtype=np.float32).reshape(len(rows), len(names))
    if int(lines[0].strip()) != len(keys):
        raise DataError(f"{path}: says {lines[0].strip()} rows but holds {len(keys)}")
    # CelebA codes presence as 1 and absence as -1.
    values = np.where(values > 0, 1.0, 0.0).astype(np.float32)
    return names, keys, values


def csv_rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, row)`` for each row of CSV ``text``; a malformed row is one :class:`DataError` line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"{path}, line {reader.line_num}: not a CSV row ({exc})") from None
        yield reader.line_num, row


def _read_csv(path: Path, text: str) -> tuple[list[str], list[str], np.ndarray]:
    numbered = [(line, r) for line, r in csv_rows(path, text) if r]
    if len(numbered) < 2 or len(numbered[0][1]) < 2:
        raise DataError(f"{path}: needs a header row with an index column and at least one attribute")
    names = [n.strip() for n in numbered[0][1][1:]]
    keys, values = [], []
    for i, row in numbered[1:]:
        if len(row) != len(names) + 1:
            raise DataError(f"{path}, line {i}: {len(row) - 1} values for {len(names)} attributes")
        keys.append(row[0].strip())
        values.append([_parse_value(v.strip(), path, i, n) for v, n in zip(row[1:], names, strict=True)])
    return names, keys, np.asarray(values, dtype=np.float32)


def read_attribute_file(path: str | Path) -> tuple[list[str], list[str], np.ndarray]:
    """Read a table file -> ``(attribute names, row keys, values (rows, k))``."""
    path = Path(path)
    text = read_text(path, "attribute", MAX_BYTES)
    lines = text.splitlines()
    if len(lines) >= 2 and lines[0].strip().isdigit():
        return _read_celeba(path, lines)
    return _read_csv(path, text)
