"""A morph's key images: samples of the data or image files, and the limits of a morph."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vae_explorer.core.data import Dataset, index_of, load_image_as
from vae_explorer.core.errors import DataError
from vae_explorer.core.limits import FRAMES
from vae_explorer.core.morph.interpolate import METHODS

MIN_FRAMES, MAX_FRAMES = int(FRAMES.low), int(FRAMES.high)


DEFAULT_FRAMES = 30


@dataclass(frozen=True)
class MorphKey:
    """One key image: a sample of the data (``index``) or an image file (``path``).

    ``image`` holds a file's pixels once read (``uint8 (C, H, W)``); it is not part
    of the key's identity.
    """

    index: int | None = None
    path: str | None = None
    image: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if (self.index is None) == (self.path is None):
            raise ValueError("a morph key is either a sample index or an image file")

    @property
    def label(self) -> str:
        return f"sample {self.index}" if self.index is not None else Path(self.path or "").name

    def describe(self, dataset: Dataset | None) -> str:
        """The key as the explorer shows it: ``#12 · A · A/x.png`` for a sample, the file's name for a file."""
        if self.index is not None and dataset is not None and 0 <= self.index < len(dataset):
            return dataset.describe_sample(self.index)
        return f"#{self.index}" if self.index is not None else Path(self.path or "").name

    def to_json(self) -> int | str:
        return self.index if self.index is not None else str(self.path)

    @classmethod
    def from_json(cls, value: int | str) -> MorphKey:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise DataError(f"morph key {value!r} is neither a sample index nor an image file")
        return cls(index=value) if isinstance(value, int) else cls(path=value)


def _is_relative_name(key: int | str) -> bool:
    return isinstance(key, str) and not Path(key).expanduser().is_absolute()


def needs_data(keys: list[int | str], data_given: bool) -> bool:
    """Whether the data must be read to know the keys: a sample index, or a name that may be a sample's.

    A relative name is a sample's path in the folder when the data holds one, else
    an image file: the data is read when such a name is no existing file, or when
    the data was named explicitly.
    """
    return any(
        isinstance(k, int) or (_is_relative_name(k) and (data_given or not Path(k).expanduser().is_file()))
        for k in keys
    )


def resolve_keys(keys: list[int | str], dataset: Dataset | None) -> list[int | str]:
    """Each key as an index of ``dataset`` or an image file's absolute path.

    A name that is a sample's path in the folder (or its unique file name) is that
    sample; any other name is an image file. A name that is no file and no sample
    raises the :class:`DataError` that says why it is no sample (in the other
    split, a file name shared by several images, ...).
    """
    out: list[int | str] = []
    for key in keys:
        if isinstance(key, int) or not _is_relative_name(key) or dataset is None or dataset.filenames is None:
            out.append(key if isinstance(key, int) else str(Path(key).expanduser().resolve()))
            continue
        try:
            out.append(index_of(dataset, key))
        except DataError:
            if not Path(key).expanduser().exists():
                raise
            out.append(str(Path(key).expanduser().resolve()))
    return out


def key_names(n: int) -> list[str]:
    """What the keys of a chain are called: A, B for two; A, via 1, ..., B for more."""
    return ["A", *(f"via {i}" for i in range(1, n - 1)), "B"] if n >= 2 else ["A"][:n]


def check_frames(frames: int, n_keys: int = 2) -> int:
    """Raise :class:`DataError` unless a morph of ``n_keys`` keys can have ``frames`` frames."""
    FRAMES.check(frames, "a morph's frame count", DataError)
    if frames < n_keys:
        raise DataError(f"{frames} frames cannot show {n_keys} key images: give at least {n_keys}")
    return frames


def check_method(method: str) -> str:
    if method not in METHODS:
        raise DataError(f"unknown interpolation {method!r}: use {' or '.join(METHODS)}")
    return method


def key_images(keys: list[MorphKey], dataset: Dataset | None, image_shape: tuple[int, int, int]) -> np.ndarray:
    """The pixels of the keys -> ``uint8 (k, C, H, W)``; bad or repeated keys raise :class:`DataError`.

    Two neighbouring keys may not be the same image: a morph from an image to itself
    shows nothing.
    """
    if len(keys) < 2:
        raise DataError("a morph needs two key images, A and B")
    images = []
    for key in keys:
        if key.index is not None:
            if dataset is None:
                raise DataError(f"sample {key.index}: no data is open to take it from")
            if not 0 <= key.index < len(dataset):
                raise DataError(
                    f"sample {key.index} is out of range (0 to {len(dataset) - 1} in {dataset.description})"
                )
            images.append(dataset.images[key.index])
        else:
            images.append(key.image if key.image is not None else load_image_as(key.path or "", image_shape))
    names = key_names(len(keys))
    for j in range(len(keys) - 1):
        if np.array_equal(images[j], images[j + 1]):
            what = keys[j].label if keys[j] == keys[j + 1] else f"{keys[j].label} and {keys[j + 1].label}"
            raise DataError(
                f"{names[j]} and {names[j + 1]} are the same image ({what}): a morph needs two different images"
            )
    return np.stack(images)
