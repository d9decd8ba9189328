"""Images a user takes away: grids and PNG files, enlarged on request."""

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
from vae_explorer.core.limits import SCALE

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


RESAMPLING = {"nearest": Image.Resampling.NEAREST, "smooth": Image.Resampling.BICUBIC}


MAX_SCALE = int(SCALE.high)
MAX_PICTURE_PIXELS = 64_000_000  # one PNG a command writes; more is no picture anyone can look at


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
