"""The explorer's morph, observable without Qt: keys, frame count, method, decoded frames, frame on show."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vae_explorer.core.events import Signal
from vae_explorer.core.morph.frames import MorphFrames
from vae_explorer.core.morph.keys import DEFAULT_FRAMES, MorphKey, check_frames, check_method
from vae_explorer.core.morph.pipeline import RenderedMorph


class MorphState:
    """The explorer's morph: keys, frame count, method, decoded frames per slot, the frame on show.

    Signals: ``keys_changed()``, ``settings_changed()`` (frames or method),
    ``frames_changed()`` (new decoded frames, or none), ``frame_changed(index)``,
    ``decode_started()`` and ``decode_failed(message)`` (told by whoever decodes).
    ``generation`` grows with every change of what is to be decoded, so a worker's
    late result for an older request can be told apart and dropped. Whoever owns
    the models and the data (the session) calls :meth:`data_replaced` and
    :meth:`model_replaced` when they change.
    """

    def __init__(self) -> None:
        self.start: MorphKey | None = None
        self.end: MorphKey | None = None
        self.via: list[MorphKey] = []
        self.frames = DEFAULT_FRAMES
        self.method = "lerp"
        self.frame = 0
        self.results: dict[str, MorphFrames] = {}  # per slot
        self.rendered: RenderedMorph | None = None  # the same frames, left to right, with the models' titles
        self.generation = 0
        self.keys_changed = Signal("keys_changed")
        self.settings_changed = Signal("settings_changed")
        self.frames_changed = Signal("frames_changed")
        self.frame_changed = Signal("frame_changed")
        self.decode_started = Signal("decode_started")
        self.decode_failed = Signal("decode_failed")

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

    def data_replaced(self) -> None:
        """Other data is open: keys that are sample indices go (they named old images); image files stay."""
        keep = [k if k is not None and k.path is not None else None for k in (self.start, self.end)]
        self.start, self.end = keep
        self.via = [k for k in self.via if k.path is not None]
        self._changed(self.keys_changed)

    def model_replaced(self, slot: str) -> None:
        """A model was replaced: its frames are gone; the new one's come once its codes are in."""
        self.generation += 1
        self.clear_results()

    # -- decoded frames ----------------------------------------------------------------------
    def set_results(self, rendered: RenderedMorph, slots: Sequence[str], generation: int) -> bool:
        """Frames decoded by a worker for request ``generation``, one model per slot in ``slots``.

        Dropped (False) if that request is stale.
        """
        if generation != self.generation:
            return False
        self.rendered = rendered
        self.results = dict(zip(slots, rendered.results, strict=True))
        self.frame = min(self.frame, self.frames - 1)
        self.frames_changed.emit()
        self.frame_changed.emit(self.frame)
        return True

    def clear_results(self) -> None:
        if self.results:
            self.results, self.rendered = {}, None
            self.frames_changed.emit()

    def set_frame(self, index: int) -> None:
        """Show frame ``index`` (clamped to the frames there are)."""
        index = int(np.clip(index, 0, self.frames - 1))
        if index != self.frame:
            self.frame = index
            self.frame_changed.emit(index)
