"""A morph: key images A -> (via ...) -> B, the codes between them and their decoded frames.

The same functions serve the explorer's timeline and ``vae-explorer morph``: the
key images are encoded with mu, :func:`~vae_explorer.core.interpolate.path` lays
the frames' codes through the keys' codes, and all frames are decoded in one
batch. :class:`MorphState` is the explorer's morph (``session.morph``): what to
morph, how, the decoded frames of each model and the frame on show.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .codes import Cancelled, decode_codes, encode_images
from .data import Dataset, load_image_as
from .errors import DataError
from .events import Signal
from .interpolate import METHODS, key_frames, path
from .models import Autoencoder
from .projection import NearestCode

if TYPE_CHECKING:
    from .session import Session

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


@dataclass
class MorphFrames:
    """One model's morph.

    ``key_codes: (k, d)`` the keys' mu; ``codes: (n, d)`` the frames' codes;
    ``images: (n, C, H, W) float32`` in [0, 1]; ``key_frames: (k,)`` which frames are
    the keys; ``distances: (n,)`` each frame's distance to the nearest data code and
    ``nearest: (n,)`` that code's sample, or ``None`` without data codes;
    ``spacing`` the data codes' median distance to their nearest neighbour (the
    scale a distance is read against).
    """

    key_codes: np.ndarray
    codes: np.ndarray
    images: np.ndarray
    key_frames: np.ndarray
    distances: np.ndarray | None = None
    nearest: np.ndarray | None = None
    spacing: float | None = None


def morph_frames(
    model: Autoencoder,
    images: np.ndarray,
    frames: int,
    method: str,
    nearest: NearestCode | None = None,
    cancel: threading.Event | None = None,
) -> MorphFrames:
    """Encode the key ``images: uint8 (k, C, H, W)`` with mu, lay ``frames`` codes through them, decode.

    All frames are decoded in one batch. With ``nearest`` (the data's codes) each
    frame is placed relative to the data.
    """
    check_frames(frames, len(images))
    key_codes = encode_images(model, images).mu
    codes = path(key_codes, frames, check_method(method))
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    decoded = decode_codes(model, codes, batch_size=len(codes))
    result = MorphFrames(key_codes, codes, decoded, key_frames(len(images), frames))
    if nearest is not None:
        result.nearest, result.distances = nearest.query_many(codes)
        result.spacing = nearest.spacing()
    return result


class MorphState:
    """The explorer's morph: keys, frame count, method, decoded frames per slot, the frame on show.

    Signals: ``keys_changed()``, ``settings_changed()`` (frames or method),
    ``frames_changed()`` (new decoded frames, or none), ``frame_changed(index)``.
    ``generation`` grows with every change of what is to be decoded, so a worker's
    late result for an older request can be told apart and dropped.
    """

    def __init__(self, session: Session | None = None) -> None:
        self.start: MorphKey | None = None
        self.end: MorphKey | None = None
        self.via: list[MorphKey] = []
        self.frames = DEFAULT_FRAMES
        self.method = "lerp"
        self.frame = 0
        self.results: dict[str, MorphFrames] = {}
        self.generation = 0
        self.keys_changed = Signal("keys_changed")
        self.settings_changed = Signal("settings_changed")
        self.frames_changed = Signal("frames_changed")
        self.frame_changed = Signal("frame_changed")
        if session is not None:
            session.data_changed.connect(self._on_data_changed)
            session.model_changed.connect(self._on_model_changed)

    # -- what to morph -------------------------------------------------------------------
    def chain(self) -> list[MorphKey]:
        """The chain A, via..., B; empty until both A and B are set."""
        if self.start is None or self.end is None:
            return []
        return [self.start, *self.via, self.end]

    @property
    def ready(self) -> bool:
        return bool(self.chain())

    def _changed(self, signal: Signal) -> None:
        self.generation += 1
        self.clear_results()
        signal.emit()

    def set_start(self, key: MorphKey | None) -> None:
        self.start = key
        self._changed(self.keys_changed)

    def set_end(self, key: MorphKey | None) -> None:
        self.end = key
        self._changed(self.keys_changed)

    def add_via(self, key: MorphKey) -> None:
        self.via.append(key)
        self._changed(self.keys_changed)

    def clear_via(self) -> None:
        if self.via:
            self.via = []
            self._changed(self.keys_changed)

    def swap(self) -> None:
        """Morph the other way: B -> A."""
        self.start, self.end, self.via = self.end, self.start, self.via[::-1]
        self._changed(self.keys_changed)

    def set_frames(self, frames: int) -> None:
        if frames != self.frames:
            self.frames = check_frames(int(frames))
            self.frame = min(self.frame, self.frames - 1)
            self._changed(self.settings_changed)

    def set_method(self, method: str) -> None:
        if method != self.method:
            self.method = check_method(method)
            self._changed(self.settings_changed)

    def _on_data_changed(self) -> None:
        # Sample indices name images of the old data; image files stay valid.
        keep = [k if k is not None and k.path is not None else None for k in (self.start, self.end)]
        self.start, self.end = keep
        self.via = [k for k in self.via if k.path is not None]
        self._changed(self.keys_changed)

    def _on_model_changed(self, slot: str) -> None:
        # The frames of the old model are gone; the new one's come once its codes are in.
        self.generation += 1
        self.clear_results()

    # -- decoded frames ----------------------------------------------------------------------
    def set_results(self, results: dict[str, MorphFrames], generation: int) -> bool:
        """Frames decoded by a worker for request ``generation``; dropped (False) if that is stale."""
        if generation != self.generation:
            return False
        self.results = dict(results)
        self.frame = min(self.frame, self.frames - 1)
        self.frames_changed.emit()
        self.frame_changed.emit(self.frame)
        return True

    def clear_results(self) -> None:
        if self.results:
            self.results = {}
            self.frames_changed.emit()

    def set_frame(self, index: int) -> None:
        """Show frame ``index`` (clamped to the frames there are)."""
        index = int(np.clip(index, 0, self.frames - 1))
        if index != self.frame:
            self.frame = index
            self.frame_changed.emit(index)
