"""The in-memory data set every part of the app works on."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import DataError
from ..limits import TEST_FRACTION
from .attribute_table import AttributeTable


@dataclass(frozen=True)
class Whole:
    """The whole source a data set was split from: how many images, and for a folder each one's relative path.

    ``names[r]`` is the path of row ``r`` relative to the folder, with ``/`` between
    folders (``A/x.png``), whichever split the image went to.
    """

    size: int
    names: tuple[str, ...] | None = None


@dataclass
class Dataset:
    """Images as ``uint8 (N, C, H, W)``, with labels and optional attributes.

    ``labels`` is ``(N,) int64`` or ``None`` for unlabelled data; ``label_names[k]``
    names label ``k``. ``name`` is the short name a user typed (``fashion-mnist``,
    ``digits``, a folder), ``source`` where the images were read from.
    ``filenames[i]`` is sample ``i``'s path relative to a folder of images (``None``
    for other sources); ``rows[i]`` its row in ``whole``, the source before it was
    split (``None``: the data is its own whole); ``notes`` what the reader wants the
    user to know (images resized, which table it read).
    """

    name: str
    split: str
    images: np.ndarray
    labels: np.ndarray | None
    label_names: list[str]
    source: str
    attributes: AttributeTable | None = None
    filenames: list[str] | None = None
    rows: np.ndarray | None = None
    whole: Whole | None = None
    notes: list[str] = field(default_factory=list)
    test_fraction: float | None = None  # the share held out as the test split, for a seeded split
    _fingerprint: str | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.images.ndim != 4 or self.images.dtype != np.uint8:
            raise ValueError(f"images must be uint8 (N, C, H, W), got {self.images.dtype} {self.images.shape}")

    def __len__(self) -> int:
        return len(self.images)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        c, h, w = self.images.shape[1:]
        return int(c), int(h), int(w)

    @property
    def description(self) -> str:
        return f"{self.name} ({self.split}, {len(self)} images {self.image_shape[1]}x{self.image_shape[2]})"

    def label_name(self, index: int) -> str:
        if self.labels is None:
            return ""
        k = int(self.labels[index])
        return self.label_names[k] if 0 <= k < len(self.label_names) else str(k)

    def sample_name(self, index: int) -> str:
        """Sample ``index``'s path relative to its folder (``A/x.png``), or ``""`` for data without file names."""
        return self.filenames[index] if self.filenames is not None else ""

    def describe_sample(self, index: int) -> str:
        """How the explorer and the command line name a sample: ``#12 · A · A/x.png`` (label and name if any)."""
        parts = [f"#{index}", self.label_name(index), self.sample_name(index)]
        return " · ".join(p for p in parts if p)

    def source_rows(self) -> np.ndarray:
        """Each sample's row in the whole source ``(N,) int64`` (its own index when the data is its own whole)."""
        return self.rows if self.rows is not None else np.arange(len(self), dtype=np.int64)

    def whole_source(self) -> Whole:
        """The source before the split (the data itself when it was not split)."""
        return (
            self.whole
            if self.whole is not None
            else Whole(len(self), None if self.filenames is None else tuple(self.filenames))
        )

    def subset(self, indices: np.ndarray) -> Dataset:
        """The images at ``indices`` (kept in that order), with their labels, attributes, names and rows."""
        indices = np.asarray(indices, dtype=np.int64)
        return replace(
            self,
            images=self.images[indices],
            labels=None if self.labels is None else self.labels[indices],
            attributes=None if self.attributes is None else self.attributes.subset(indices),
            filenames=None if self.filenames is None else [self.filenames[i] for i in indices],
            rows=self.source_rows()[indices],
            whole=self.whole_source(),
            notes=list(self.notes),
            _fingerprint=None,
        )

    def fingerprint(self) -> str:
        """A short hash of the images and labels, stable across runs (cache keys).

        Hashed in place (a million images are not copied), once: both models' workers ask for it.
        """
        with self._lock:
            if self._fingerprint is None:
                h = hashlib.sha1()
                h.update(str(self.images.shape).encode())
                h.update(memoryview(np.ascontiguousarray(self.images)).cast("B"))
                if self.labels is not None:
                    h.update(memoryview(np.ascontiguousarray(self.labels)).cast("B"))
                self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint


MAX_TEST_FRACTION = TEST_FRACTION.high


def parse_test_fraction(text: str) -> float:
    """A test fraction typed by the user: a number above 0 and at most ``MAX_TEST_FRACTION``, or a DataError."""
    try:
        return float(TEST_FRACTION.parse(text))
    except ValueError as exc:
        raise DataError(str(exc)) from None


def split_indices(n: int, split: str, test_fraction: float = 0.1, seed: int = 0) -> np.ndarray:
    """A fixed, seeded train/test split of ``n`` items for sources that ship none."""
    if split == "all" or n < 2:
        return np.arange(n)
    perm = np.random.default_rng(seed).permutation(n)
    n_test = max(1, int(round(n * test_fraction)))
    chosen = perm[:n_test] if split == "test" else perm[n_test:]
    return np.sort(chosen)
