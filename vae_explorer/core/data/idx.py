"""The IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed.

The header declares the array's shape; it is read and checked first, and only
that many bytes are then inflated, so a small gzip file that declares (or
inflates to) gigabytes is refused before it is unpacked.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from vae_explorer.core.io.safe_read import MiB, open_input

from ..errors import DataError

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_BYTES = 1024 * MiB  # 1.3 million 28x28 images; Fashion-MNIST's training set is 47 MB
MIN_SIDE, MAX_SIDE = 4, 256  # the image sides the models take


def _read_exactly(fh: BinaryIO, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = fh.read(min(left, 16 * MiB))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_array(path: Path, fh: BinaryIO, expect_magic: int | None) -> np.ndarray:
    head = _read_exactly(fh, 4)
    if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in _DTYPES:
        raise DataError(f"{path}: not an IDX file")
    magic = int.from_bytes(head, "big")
    if expect_magic is not None and magic != expect_magic:
        what = "images" if expect_magic == IMAGES_MAGIC else "labels"
        raise DataError(f"{path}: not an IDX {what} file (magic {magic}, expected {expect_magic})")
    ndim = head[3]
    dims = _read_exactly(fh, 4 * ndim)
    if len(dims) < 4 * ndim:
        raise DataError(f"{path}: truncated IDX file (header cut short)")
    shape = tuple(int.from_bytes(dims[4 * i : 4 * i + 4], "big") for i in range(ndim))
    dtype = np.dtype(_DTYPES[head[2]])
    need = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if need > MAX_BYTES:
        raise DataError(
            f"{path}: declares {need / MiB:,.0f} MiB of data ({'x'.join(map(str, shape))}); "
            f"vae-explorer reads IDX files of at most {MAX_BYTES / MiB:,.0f} MiB"
        )
    raw = _read_exactly(fh, need)
    if len(raw) < need:
        raise DataError(f"{path}: truncated IDX file ({len(raw)} of {need} data bytes)")
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


def read_idx(path: str | Path, expect_magic: int | None = None) -> np.ndarray:
    """Read one IDX file into an array of its stored shape.

    ``expect_magic`` is 2051 for image files and 2049 for label files; a file whose
    header or length does not fit, or that declares more than ``MAX_BYTES``,
    raises :class:`DataError` naming the file.
    """
    path = Path(path)
    try:
        with open_input(path, "IDX") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
            fh.seek(0)
            if gzipped:
                with gzip.GzipFile(fileobj=fh) as gz:
                    return _read_array(path, gz, expect_magic)  # type: ignore[arg-type]
            return _read_array(path, fh, expect_magic)
    except EOFError:
        raise DataError(f"{path}: truncated gzip file") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(f"{path}: corrupt gzip file ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images ``(N, 1, H, W) uint8`` and labels ``(N,) int64`` from two IDX files.

    At least one image, of 4 to 256 pixels a side (what the models take).
    """
    images = read_idx(images_path, IMAGES_MAGIC)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DataError(f"{images_path}: expected uint8 images of shape (N, H, W), found {images.shape}")
    n, h, w = images.shape
    if n == 0:
        raise DataError(f"{images_path}: holds no images")
    if not (MIN_SIDE <= h <= MAX_SIDE and MIN_SIDE <= w <= MAX_SIDE):
        raise DataError(
            f"{images_path}: images are {h}x{w} pixels; vae-explorer takes {MIN_SIDE} to {MAX_SIDE} pixels a side"
        )
    labels = read_idx(labels_path, LABELS_MAGIC)
    if labels.ndim != 1 or len(labels) != len(images):
        raise DataError(f"{labels_path}: {len(labels)} labels for {len(images)} images in {images_path.name}")
    if labels.dtype.kind not in "iu" or labels.min() < 0:
        raise DataError(f"{labels_path}: labels must be whole numbers of 0 or more")
    return images[:, None, :, :].copy(), labels.astype(np.int64)
