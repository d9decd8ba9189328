"""Finding samples by name: a relative path, a file name that is unique, a row number, or a search.

A folder of images names each sample by its path relative to the folder
(``A/x.png``). A user may give that path, or only the file name (``x.png``) when
no other image of the whole folder has it: with one sub-folder per class,
``A/x.png`` and ``B/x.png`` share a file name, and only their paths tell them apart.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath

import numpy as np

from ..errors import DataError
from .dataset import Dataset, Whole

MAX_SHOWN = 3  # names quoted in a message before "..."


def normalise(key: str) -> str:
    """A name as the data stores it: ``/`` between folders, no leading ``./``, no surrounding blanks."""
    key = key.strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def _row_number(key: str) -> int | None:
    return int(key) if key.isdigit() else None


class NameIndex:
    """Rows of a whole source by name: its relative paths, its unique file names, its row numbers."""

    def __init__(self, whole: Whole) -> None:
        self.size = whole.size
        names = whole.names or ()
        self.by_path = {name: r for r, name in enumerate(names)}
        bases = Counter(PurePosixPath(n).name for n in names)
        self.by_base = {PurePosixPath(n).name: r for r, n in enumerate(names) if bases[PurePosixPath(n).name] == 1}
        self._shared = {b for b, count in bases.items() if count > 1}
        self._names = names

    @property
    def has_names(self) -> bool:
        return bool(self._names)

    def find(self, key: str) -> int | None:
        """The row ``key`` names (path, unique file name, else a row number), or ``None`` when it names none."""
        key = normalise(key)
        row = self.by_path.get(key, self.by_base.get(key))
        if row is None:
            number = _row_number(key)
            row = number if number is not None and number < self.size else None
        return row

    def why_not(self, key: str) -> str:
        """Why ``key`` names no row, in a few words."""
        key = normalise(key)
        if key in self._shared:
            paths = [n for n in self._names if PurePosixPath(n).name == key]
            shown = ", ".join(paths[:MAX_SHOWN]) + (", ..." if len(paths) > MAX_SHOWN else "")
            return f"{key!r} is the file name of {len(paths)} images ({shown}): give the path in the folder"
        number = _row_number(key)
        if number is not None:
            return f"row {number} is out of range (the data has {self.size} images)"
        if not self.has_names:
            return f"{key!r} is neither a row number nor a file name (the data has no file names)"
        return f"no image is named {key!r}"


def index_of(data: Dataset, key: int | str) -> int:
    """The index in ``data`` of the sample ``key`` names: an index, a relative path or a unique file name.

    Raises a one-line :class:`DataError` naming the key when it names no sample of
    ``data``, also when the image it names went to the other split.
    """
    if isinstance(key, str) and key.strip().lstrip("+-").isdigit():
        key = int(key)
    if isinstance(key, int):
        if not 0 <= key < len(data):
            raise DataError(f"sample {key} is out of range (0 to {len(data) - 1} in {data.description})")
        return key
    if data.filenames is None:
        raise DataError(f"{key!r}: {data.name} has no file names; give a sample index (0 to {len(data) - 1})")
    whole = data.whole_source()
    names = NameIndex(whole)
    row = names.by_path.get(normalise(key), names.by_base.get(normalise(key)))
    if row is None:
        raise DataError(f"{names.why_not(key)} in {data.name}")
    where = np.flatnonzero(data.source_rows() == row)
    if not len(where):
        raise DataError(
            f"{whole.names[row]} is not in the {data.split} split of {data.name}; "  # type: ignore[index]
            "choose it with --split train, test or all"
        )
    return int(where[0])


def search(data: Dataset, text: str, regex: bool = False) -> np.ndarray:
    """Samples whose name or label holds ``text`` -> indices ``(n,) int64``, in order.

    Case-insensitive. ``regex``: ``text`` is a regular expression searched in each
    name and label; a malformed one raises a one-line :class:`DataError`.
    """
    text = text.strip()
    if not text:
        return np.zeros(0, dtype=np.int64)
    if regex:
        try:
            pattern = re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise DataError(f"not a regular expression: {text!r} ({exc})") from None
        hit = lambda s: pattern.search(s) is not None  # noqa: E731
    else:
        low = text.lower()
        hit = lambda s: low in s.lower()  # noqa: E731
    labels = [hit(name) for name in data.label_names]
    found = np.zeros(len(data), dtype=bool)
    if data.labels is not None and any(labels):
        found |= np.asarray(labels, dtype=bool)[np.clip(data.labels, 0, len(labels) - 1)] & (data.labels < len(labels))
    if data.filenames is not None:
        found |= np.fromiter((hit(n) for n in data.filenames), dtype=bool, count=len(data))
    return np.flatnonzero(found)
