"""The morph's files: an animated GIF of its frames, and a PNG strip of every frame, one row per model."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image

from vae_explorer.core.errors import ExportError
from vae_explorer.core.io.images import MADE_BY, image_grid, save_png
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.io.safe_write import check_writable, write_bytes
from vae_explorer.core.limits import FPS

from .playback import playback_cycle

# GIF delays are whole hundredths of a second, and viewers slow down delays under 2 (50 frames a second);
# a frame shows 100 s at most (GIF cannot store a delay over 655.35 s)
GIF_MIN_FPS, GIF_MAX_FPS = float(FPS.low), float(FPS.high)


def gif_frame_ms(fps: float) -> int:
    """How long one frame shows, in ms, at ``fps`` frames a second (within :data:`FPS`): whole hundredths."""
    return 10 * max(2, round(100.0 / fps))


def _palette_frames(frames: list[Image.Image]) -> list[Image.Image]:
    """Colour frames on one shared 256-colour palette (grey frames are written as they are)."""
    if frames[0].mode == "L":
        return frames
    sheet = Image.new("RGB", (frames[0].width, frames[0].height * min(len(frames), 16)))
    step = max(1, len(frames) // 16)
    for k, frame in enumerate(frames[::step][:16]):
        sheet.paste(frame, (0, k * frames[0].height))
    palette = sheet.quantize(256, method=Image.Quantize.MEDIANCUT)
    return [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]


def save_gif(
    path: str | Path,
    frames: list[Image.Image],
    frame_ms: int = 50,
    loop: bool = True,
    pingpong: bool = False,
    inputs: Iterable[str | Path] = (),
) -> Path:
    """Write an animated GIF of ``frames``, each shown ``frame_ms`` ms (:func:`gif_frame_ms`), atomically.

    ``loop`` plays it forever, else once; ``pingpong`` plays it forward then back
    (one round of :func:`~.playback.playback_cycle`). The encoder merges a frame identical to the one before
    into that one, shown for both frames' time, so the animation plays the same.
    ``path`` may not be one of ``inputs`` (the files the morph was made from).
    """
    inputs = list(inputs)
    path = check_writable(path, inputs)
    if len(frames) < 2:
        raise ExportError(f"cannot write {path}: an animation needs at least 2 frames")
    order = playback_cycle(len(frames), pingpong)
    frames = _palette_frames(frames)
    seq = [frames[i] for i in order]
    buf = io.BytesIO()
    # optimize=False: for these frames the palette and transparency search costs time and saves nothing.
    options = {"save_all": True, "append_images": seq[1:], "duration": frame_ms, "disposal": 1, "optimize": False}
    options["comment"] = f"Made with {MADE_BY}".encode()
    if loop:
        options["loop"] = 0
    seq[0].save(buf, format="GIF", **options)
    write_bytes(path, buf.getvalue(), inputs)
    return path


def save_strip(
    path: str | Path, rows: list[np.ndarray], scale: int = 1, pad: int = 1, inputs: Iterable[str | Path] = ()
) -> Path:
    """Write a PNG of every frame in a row, one row per model (``rows``: ``(n, C, H, W)`` each)."""
    stacked = np.concatenate([r if r.dtype == np.uint8 else to_uint8(r) for r in rows])
    return save_png(path, image_grid(stacked, len(rows), len(rows[0]), pad=pad), scale=scale, inputs=inputs)
