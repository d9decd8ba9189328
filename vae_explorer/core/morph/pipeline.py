"""The one way a morph is made: keys -> frames of every model -> titles -> GIF / PNG strip.

The Morph dock and ``vae-explorer morph`` (with or without ``--recipe``) both call
:func:`render_morph` for the frames and :func:`write_gif` / :func:`write_strip` for
the files, so what the explorer exports and what a recipe replays are the same.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import Cancelled, ExportError
from vae_explorer.core.io.images import MAX_PICTURE_PIXELS, check_scaling
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.limits import FPS
from vae_explorer.core.model.loaded import Network
from vae_explorer.core.morph.frames import MorphFrames, morph_frames
from vae_explorer.core.morph.gif import gif_frame_ms, save_gif, save_strip
from vae_explorer.core.morph.keys import MorphKey, check_frames, check_method, key_images
from vae_explorer.core.morph.render import frame_size, morph_frame_images

SHOW = ("both", "left", "right")
MAX_GIF_PIXELS = 200_000_000  # every frame of a GIF together, held in memory before it is encoded


@dataclass(frozen=True)
class GifOptions:
    """How a morph becomes a GIF: speed, size, looping, which models, frame labels.

    Checked once, when made (an :class:`ExportError` names the bad value), and never
    changed after: ``dataclasses.replace`` makes another, checked in turn.
    """

    fps: float = 20.0
    scale: int = 4
    resample: str = "nearest"
    loop: bool = True
    pingpong: bool = False
    show: str = "both"  # both side by side, or only the left / right model
    labels: bool = False

    def __post_init__(self) -> None:
        FPS.check(self.fps, "fps", ExportError)
        check_scaling(self.scale, self.resample)
        if self.show not in SHOW:
            raise ExportError(f"show must be {', '.join(SHOW)}, not {self.show!r}")
        for name in ("loop", "pingpong", "labels"):
            if not isinstance(getattr(self, name), bool):
                raise ExportError(f"{name} must be true or false, not {getattr(self, name)!r}")

    @property
    def frame_ms(self) -> int:
        """How long each frame shows, in ms."""
        return gif_frame_ms(self.fps)

    def shown(self, models: int) -> int:
        """How many of ``models`` models each frame shows."""
        return models if self.show == "both" else min(models, 1)


def check_budget(
    frames: int, models: int, image_shape: tuple[int, ...], options: GifOptions, gif: bool = True, strip: bool = False
) -> None:
    """Refuse a GIF or PNG strip too large to hold in memory, from its sizes alone, before anything is drawn.

    ``models``: the models shown side by side; ``image_shape``: ``(C, H, W)`` of one model's frame.
    """
    if gif:
        width, height = frame_size(models, image_shape, options.scale, options.labels)
        total = frames * width * height
        if total > MAX_GIF_PIXELS:
            raise ExportError(
                f"the GIF would be {frames} frames of {width:,}x{height:,} pixels ({total / 1e6:,.0f} million "
                f"pixels), more than {MAX_GIF_PIXELS // 10**6} million; use fewer frames, a smaller scale or one model"
            )
    if strip:
        h, w = int(image_shape[-2]), int(image_shape[-1])
        width, height = (frames * (w + 1) + 1) * options.scale, (models * (h + 1) + 1) * options.scale
        if width * height > MAX_PICTURE_PIXELS:
            raise ExportError(
                f"the strip would be {width:,}x{height:,} pixels, more than {MAX_PICTURE_PIXELS // 10**6} million; "
                "use fewer frames, a smaller scale or one model"
            )


@dataclass
class MorphModel:
    """One model of a morph, left to right: its title in labels, the model, the data's codes (optional)."""

    title: str
    model: Network
    nearest: NearestCode | None = None


@dataclass
class RenderedMorph:
    """A morph's frames: one :class:`MorphFrames` per model, left to right, and the models' titles."""

    titles: list[str]
    results: list[MorphFrames]
    changed: list[str]  # model files whose content differs from a recipe's digests

    def rows(self, show: str = "both") -> list[np.ndarray]:
        rows = [r.images for r in self.results]
        if show == "left" or (show == "right" and len(rows) == 1):
            return rows[:1]
        return rows[1:] if show == "right" else rows

    def row_titles(self, show: str = "both") -> list[str]:
        return self.titles[:1] if show == "left" else (self.titles[-1:] if show == "right" else self.titles)


def render_morph(
    models: list[MorphModel],
    keys: list[MorphKey],
    frames: int,
    method: str,
    dataset: Dataset | None,
    cancel: threading.Event | None = None,
    progress: Callable[[float], None] | None = None,
) -> RenderedMorph:
    """Decode the morph through ``keys`` with every model, left to right.

    Sample keys are taken from ``dataset``, file keys read at the models' image
    shape; ``progress(fraction)`` follows the models done; ``cancel`` stops between models.
    """
    if not models:
        raise ExportError("no model to morph with")
    check_method(method)
    check_frames(frames, len(keys))
    images = key_images(keys, dataset, tuple(models[0].model.image_shape))  # type: ignore[arg-type]
    results = []
    for k, m in enumerate(models):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        results.append(morph_frames(m.model, images, frames, method, m.nearest, cancel))
        if progress is not None:
            progress((k + 1) / len(models))
    return RenderedMorph([m.title for m in models], results, [])


def write_gif(path: str | Path, rendered: RenderedMorph, options: GifOptions) -> Path:
    """The morph as an animated GIF with ``options`` (refused before drawing when over the budget)."""
    rows = rendered.rows(options.show)
    check_budget(len(rows[0]), len(rows), rows[0].shape[1:], options, gif=True)
    frames: list[Image.Image] = morph_frame_images(
        rows, options.scale, options.resample, rendered.row_titles(options.show), options.labels
    )
    return save_gif(path, frames, options.frame_ms, options.loop, options.pingpong)


def write_strip(path: str | Path, rendered: RenderedMorph, options: GifOptions) -> Path:
    """Every frame in a row per model shown, enlarged ``options.scale`` times, as one PNG."""
    rows = rendered.rows(options.show)
    check_budget(len(rows[0]), len(rows), rows[0].shape[1:], options, gif=False, strip=True)
    return save_strip(path, rows, scale=options.scale)
