"""A morph's key images: samples of the data or image files, and the limits of a morph."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vae_explorer.core.data import Dataset, load_image_as
from vae_explorer.core.errors import DataError
from vae_explorer.core.morph.interpolate import METHODS

MIN_FRAMES, MAX_FRAMES = 2, 240


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

    def to_json(self) -> int | str:
        return self.index if self.index is not None else str(self.path)

    @classmethod
    def from_json(cls, value: int | str) -> MorphKey:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise DataError(f"morph key {value!r} is neither a sample index nor an image file")
        return cls(index=value) if isinstance(value, int) else cls(path=value)


def key_names(n: int) -> list[str]:
    """What the keys of a chain are called: A, B for two; A, via 1, ..., B for more."""
    return ["A", *(f"via {i}" for i in range(1, n - 1)), "B"] if n >= 2 else ["A"][:n]


def check_frames(frames: int, n_keys: int = 2) -> int:
    """Raise :class:`DataError` unless a morph of ``n_keys`` keys can have ``frames`` frames."""
    if not MIN_FRAMES <= frames <= MAX_FRAMES:
        raise DataError(f"a morph has {MIN_FRAMES} to {MAX_FRAMES} frames, not {frames}")
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
