"""One image file as 8-bit pixels, read the same way for a folder of images and for a morph's key image.

Pixels deeper than 8 bits are scaled by their depth, never clipped: 16-bit
values by 257, float values of 0 to 1 by 255; 32-bit integers (whose range a
file does not say) and floats outside 0 to 1 are refused in one line. A palette
image whose colours are all grey (a GIF, say, animated or not) is grey. A photo's
EXIF orientation is applied, so the image is upright as a viewer shows it.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vae_explorer.core.io.safe_read import open_input

from ..errors import DataError

MAX_PIXELS = 64_000_000  # a larger file is a photo far beyond any side used here, or a decompression bomb
GREY_MODES = {"1", "L", "LA", "La", "I;16", "I;16L", "I;16B", "I;16N", "F"}
PALETTE_MODES = {"P", "PA"}
ORIENTATION = 0x0112  # the EXIF tag; values 5 to 8 turn the picture a quarter
TURNED = {5, 6, 7, 8}


@contextlib.contextmanager
def open_image(path: str | Path) -> Iterator[Image.Image]:
    """A PIL image of a regular file of at most ``MAX_PIXELS`` pixels; any failure is one DataError line.

    Only the header is read on opening, so a decompression bomb (a small file
    declaring a huge image) is refused before its pixels are unpacked; a failure
    while the caller decodes it is reported the same way.
    """
    path = Path(path)
    too_big = f"{path}: image is larger than the {MAX_PIXELS // 10**6} million pixels vae-explorer opens"
    with open_input(path, "image") as fh:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                im = Image.open(fh)
            with im:
                if im.width * im.height > MAX_PIXELS:
                    raise DataError(f"{too_big} ({im.width}x{im.height})")
                yield im
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise DataError(too_big) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise DataError(f"{path}: not a readable image ({exc.__class__.__name__})") from None


def _orientation(im: Image.Image) -> int:
    with contextlib.suppress(Exception):  # a damaged EXIF block: the picture as stored
        return int(im.getexif().get(ORIENTATION, 1))
    return 1


def image_size(path: str | Path) -> tuple[int, int]:
    """``(width, height)`` of an image file as shown (EXIF orientation applied), from its header alone."""
    with open_image(path) as im:
        w, h = im.size
        return (h, w) if _orientation(im) in TURNED else (w, h)


def _eight_bit(path: Path, im: Image.Image) -> Image.Image:
    """``im`` with 8-bit pixels: deeper ones scaled by their depth, or refused when their range is unknown."""
    if im.mode.startswith("I;16"):
        values = np.asarray(im).astype(np.uint32)
        return Image.fromarray(((values * 255 + 32767) // 65535).astype(np.uint8), "L")
    if im.mode in ("I", "I;32", "I;32L", "I;32B"):
        raise DataError(
            f"{path}: image has 32-bit integer pixels, whose range the file does not say; "
            "convert it to 8 or 16 bits first"
        )
    if im.mode == "F":
        values = np.asarray(im, dtype=np.float32)
        if not np.isfinite(values).all():
            raise DataError(f"{path}: image has float pixels that are not numbers (NaN or infinite)")
        low, high = float(values.min()), float(values.max())
        if low < 0.0 or high > 1.0:
            raise DataError(
                f"{path}: image has float pixels from {low:g} to {high:g}; vae-explorer reads float images of 0 to 1"
            )
        return Image.fromarray(np.round(values * 255.0).astype(np.uint8), "L")
    return im


def _decoded(path: Path, im: Image.Image) -> tuple[Image.Image, bool]:
    """The picture, upright and 8-bit, and whether it is grey (a grey mode, or a palette of greys only)."""
    if _orientation(im) != 1:
        im = ImageOps.exif_transpose(im)
    im = _eight_bit(path, im)
    if im.mode in PALETTE_MODES:
        rgb = im.convert("RGB")
        channels = np.asarray(rgb)
        if (channels == channels[..., :1]).all():
            return rgb.convert("L"), True
        return rgb, False
    return im, im.mode in GREY_MODES


def _array(im: Image.Image, mode: str, size: tuple[int, int] | None = None) -> np.ndarray:
    im = im.convert(mode)
    if size is not None and im.size != size:
        im = im.resize(size, Image.Resampling.BILINEAR)
    arr = np.asarray(im, dtype=np.uint8)
    return arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)


def load_image(path: str | Path, size: tuple[int, int], mode: str | None = None) -> np.ndarray:
    """One image as ``uint8 (C, H, W)``, resized to ``size``, converted to ``mode`` (``L`` or ``RGB``).

    Without ``mode`` it stays grey (``C = 1``) when the file is grey, else RGB.
    """
    path = Path(path)
    with open_image(path) as im:
        picture, grey = _decoded(path, im)
        return _array(picture, mode or ("L" if grey else "RGB"), size)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape)


def load_image_as(path: str | Path, image_shape: tuple[int, int, int]) -> np.ndarray:
    """One image file for a model that takes ``image_shape`` images -> ``uint8 (C, H, W)``.

    Grey and colour are converted into each other only where nothing is lost: a
    grey image for a colour model, or a colour file whose three channels are equal
    for a grey model. Anything else (another size, a coloured image for a grey
    model) is refused with a message naming the file and both shapes; the image is
    never resized, so what is morphed is what is on disk.
    """
    path = Path(path)
    c, h, w = (int(v) for v in image_shape)
    with open_image(path) as im:
        im.load()
        picture, grey = _decoded(path, im)
        arr = _array(picture, "L" if grey else "RGB")
    if c == 1 and arr.shape[0] == 3 and (arr == arr[:1]).all():
        arr = arr[:1]  # a colour file holding a grey picture
    elif c == 3 and arr.shape[0] == 1:
        arr = np.repeat(arr, 3, axis=0)
    if arr.shape != (c, h, w):
        colour = " (colour)" if arr.shape[0] == 3 and c == 1 else ""
        want = f"{_shape_text((c, h, w))} ({'grey' if c == 1 else 'colour'}, 8-bit)"
        raise DataError(
            f"{path}: image is {_shape_text(arr.shape)}{colour}, but the models take {want} images; "
            "resize or convert it first"
        )
    return np.ascontiguousarray(arr)
