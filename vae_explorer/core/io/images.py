"""Images a user takes away: grids, PNG files, animated GIFs and strips."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin

from vae_explorer._version import __version__
from vae_explorer.core.errors import ExportError
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.io.safe_write import check_writable, write_bytes
from vae_explorer.core.limits import FPS, SCALE

MADE_BY = f"vae-explorer {__version__}"  # the software that made a file, in its metadata


def file_stem(name: str | None, default: str) -> str:
    """A file name made from a user's ``name`` (a vector's, say): runs of other characters become ``_``."""
    return re.sub(r"[^\w.-]+", "_", name or default).strip("_") or default


def to_pil(image: np.ndarray) -> Image.Image:
    """One image, ``(C, H, W)`` float in [0, 1] or uint8, -> a PIL image (L or RGB)."""
    arr = image if image.dtype == np.uint8 else to_uint8(image)
    return Image.fromarray(arr[0] if arr.shape[0] == 1 else arr.transpose(1, 2, 0))


def image_grid(images: np.ndarray, rows: int, cols: int, pad: int = 1, fill: int = 255) -> np.ndarray:
    """Tile ``(rows * cols, C, H, W)`` images into one ``uint8 (C, H', W')`` image."""
    imgs = images if images.dtype == np.uint8 else to_uint8(images)
    n, c, h, w = imgs.shape
    if n > rows * cols:
        raise ValueError(f"{n} images do not fit a {rows}x{cols} grid")
    grid = np.full((c, rows * (h + pad) + pad, cols * (w + pad) + pad), fill, np.uint8)
    for k in range(n):
        r, q = divmod(k, cols)
        y, x = pad + r * (h + pad), pad + q * (w + pad)
        grid[:, y : y + h, x : x + w] = imgs[k]
    return grid


def save_png(path: str | Path, image: np.ndarray, scale: int = 1, inputs: Iterable[str | Path] = ()) -> Path:
    """Write one ``(C, H, W)`` image as PNG, enlarged ``scale`` times with nearest neighbours."""
    return save_picture(path, scaled(image, scale, "nearest"), inputs)


def save_picture(path: str | Path, picture: Image.Image, inputs: Iterable[str | Path] = ()) -> Path:
    """Write a PIL picture as PNG, atomically, naming vae-explorer as its software."""
    inputs = list(inputs)
    path = check_writable(path, inputs)
    buf = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", MADE_BY)
    picture.save(buf, format="PNG", pnginfo=info)
    write_bytes(path, buf.getvalue(), inputs)
    return path


# -- morphs: animated GIF and PNG strip ------------------------------------------------------------
RESAMPLING = {"nearest": Image.Resampling.NEAREST, "smooth": Image.Resampling.BICUBIC}


MAX_SCALE = int(SCALE.high)
MAX_PICTURE_PIXELS = 64_000_000  # one PNG a command writes; more is no picture anyone can look at
# GIF delays are whole hundredths of a second, and viewers slow down delays under 2 (50 frames a second);
# a frame shows 100 s at most (GIF cannot store a delay over 655.35 s)
GIF_MIN_FPS, GIF_MAX_FPS = float(FPS.low), float(FPS.high)


def gif_frame_ms(fps: float) -> int:
    """How long one frame shows, in ms, at ``fps`` frames a second (within :data:`FPS`): whole hundredths."""
    return 10 * max(2, round(100.0 / fps))


def pingpong_order(n: int) -> list[int]:
    """Frames ``0 .. n-1`` then back ``n-2 .. 1``: looping it never shows an end frame twice."""
    return list(range(n)) + list(range(n - 2, 0, -1))


def scaled(image: np.ndarray, scale: int, resample: str) -> Image.Image:
    im = to_pil(image)
    if scale > 1:
        im = im.resize((im.width * scale, im.height * scale), RESAMPLING[resample])
    return im


def check_scaling(scale: int, resample: str) -> None:
    """Raise :class:`ExportError` unless frames can be enlarged ``scale`` times with ``resample``."""
    SCALE.check(scale, "scale", ExportError)
    if resample not in RESAMPLING:
        raise ExportError(f"resample must be {' or '.join(RESAMPLING)}, not {resample!r}")


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
    (:func:`pingpong_order`). The encoder merges a frame identical to the one before
    into that one, shown for both frames' time, so the animation plays the same.
    ``path`` may not be one of ``inputs`` (the files the morph was made from).
    """
    inputs = list(inputs)
    path = check_writable(path, inputs)
    if len(frames) < 2:
        raise ExportError(f"cannot write {path}: an animation needs at least 2 frames")
    order = pingpong_order(len(frames)) if pingpong else list(range(len(frames)))
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
