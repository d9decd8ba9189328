"""A user's own images: one sub-folder per class, or a flat folder (plus an optional CSV)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from vae_explorer.core.io.safe_read import MiB, open_input, read_text

from ..errors import DataError
from .attributes import csv_rows
from .dataset import Dataset, Whole, split_indices
from .sizes import MAX_SIDE, MIN_SIDE, choose_size
from .tables import load_attribute_table

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
ATTRIBUTE_FILES = ("list_attr_celeba.txt", "attributes.csv")
LABEL_FILE = "labels.csv"
MAX_PIXELS = 64_000_000  # a larger file is a photo far beyond any side used here, or a decompression bomb
MAX_TABLE_BYTES = 64 * MiB
GREY_FILE_MODES = {"L", "1", "I", "I;16", "F", "LA"}
FOLDER_TEST_FRACTION = 0.1


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def _read_labels(label_csv: Path) -> dict[str, str]:
    """``labels.csv``: one ``FILE,LABEL`` row per image (a first row ``filename,...`` is a header)."""
    text = read_text(label_csv, "labels", MAX_TABLE_BYTES)
    by_name: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for k, (line, row) in enumerate(csv_rows(label_csv, text)):
        if not any(cell.strip() for cell in row) or (k == 0 and row[0].strip().lower() == "filename"):
            continue
        if len(row) < 2 or not row[1].strip():
            raise DataError(f"{label_csv}, line {line}: expected FILE,LABEL, found {','.join(row)[:60]!r}")
        name = row[0].strip()
        if name in by_name:
            raise DataError(f"{label_csv}, line {line}: {name!r} is labelled twice (first on line {line_of[name]})")
        by_name[name], line_of[name] = row[1].strip(), line
    return by_name


def _list_files(folder: Path) -> tuple[list[Path], list[int] | None, list[str]]:
    classes = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    class_files = [(c.name, _images_in(c)) for c in classes]
    class_files = [(n, fs) for n, fs in class_files if fs]
    if class_files:
        files = [f for _, fs in class_files for f in fs]
        labels = [k for k, (_, fs) in enumerate(class_files) for _ in fs]
        return files, labels, [n for n, _ in class_files]
    files = _images_in(folder)
    label_csv = folder / LABEL_FILE
    if not label_csv.exists() and not label_csv.is_symlink():
        return files, None, []
    by_name = _read_labels(label_csv)
    missing = [f.name for f in files if f.name not in by_name]
    if missing:
        raise DataError(f"{label_csv}: no label for {len(missing)} images (first: {missing[0]!r})")
    names = sorted(set(by_name[f.name] for f in files))
    return files, [names.index(by_name[f.name]) for f in files], names


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


def _size_of(path: Path) -> tuple[int, int]:
    with open_image(path) as im:  # reads the header only
        return im.size


def _pixels(im: Image.Image, size: tuple[int, int], mode: str) -> np.ndarray:
    im = im.convert(mode)
    if im.size != size:
        im = im.resize(size, Image.Resampling.BILINEAR)
    arr = np.asarray(im, dtype=np.uint8)
    return arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)


def load_image(path: Path, size: tuple[int, int], mode: str | None = None) -> np.ndarray:
    """One image as ``uint8 (C, H, W)``, resized to ``size``, converted to ``mode`` (``L`` or ``RGB``).

    Without ``mode`` it stays grey (``C = 1``) when the file is grey, else RGB.
    """
    with open_image(path) as im:
        return _pixels(im, size, mode or ("L" if im.mode in GREY_FILE_MODES else "RGB"))


def _load_all(files: list[Path], size: tuple[int, int]) -> np.ndarray:
    """Every file as ``uint8 (N, C, H, W)``: RGB when any file is coloured, else grey."""
    arrays = [load_image(f, size) for f in files]
    if any(a.shape[0] == 3 for a in arrays):
        arrays = [np.repeat(a, 3, axis=0) if a.shape[0] == 1 else a for a in arrays]
    return np.stack(arrays)


def _own_table(folder: Path, full: Dataset) -> None:
    """Read the folder's attribute table into ``full`` (the whole folder), saying which when there are two."""
    present = [name for name in ATTRIBUTE_FILES if (folder / name).exists()]
    if not present:
        return
    full.attributes = load_attribute_table(folder / present[0], full)
    if len(present) > 1:
        full.notes.append(
            f"{folder}: read the attribute table {present[0]}; {', '.join(present[1:])} is there too and was not "
            "read (load it with --attributes FILE, or Load attribute table… in the explorer)"
        )


def load_image_folder(
    folder: str | Path,
    split: str = "train",
    side: int | None = None,
    test_fraction: float | None = None,
) -> Dataset:
    """Read a folder of images into a :class:`Dataset`.

    Images are converted to grayscale, or RGB when any is coloured, and resized to
    one square size: ``side`` if given, else their most common size when square and
    at most 64 pixels, else 32 (the data's ``notes`` say so when any image is
    resized). A fixed, seeded share of the images (``test_fraction``, default a
    tenth) forms the test split. Each sample keeps its path in the folder
    (``filenames``). An ``attributes.csv`` or ``list_attr_celeba.txt`` in the folder
    is loaded with it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")
    if side is not None and not MIN_SIDE <= side <= MAX_SIDE:
        raise DataError(f"image size {side} is out of range ({MIN_SIDE} to {MAX_SIDE} pixels)")
    files, labels, names = _list_files(folder)
    if not files:
        raise DataError(f"{folder}: no images found (looked for {', '.join(sorted(IMAGE_SUFFIXES))})")
    size, size_note = choose_size(folder, [_size_of(f) for f in files], side)
    rel = [f.relative_to(folder).as_posix() for f in files]
    full = Dataset(
        name=str(folder),
        split="all",
        images=_load_all(files, size),
        labels=None if labels is None else np.asarray(labels, dtype=np.int64),
        label_names=names,
        source=str(folder),
        filenames=rel,
        whole=Whole(len(rel), tuple(rel)),
        notes=[size_note] if size_note else [],
    )
    _own_table(folder, full)
    fraction = FOLDER_TEST_FRACTION if test_fraction is None else test_fraction
    chosen = full.subset(split_indices(len(full), split, fraction))
    chosen.split, chosen.test_fraction = split, fraction
    return chosen


HIGH_DEPTH_MODES = {"I": 32, "F": 32, "I;16": 16, "I;16L": 16, "I;16B": 16, "I;16N": 16}
GREY_MODES = {"1", "L", "LA", "La"}


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape)


def load_image_as(path: str | Path, image_shape: tuple[int, int, int]) -> np.ndarray:
    """One image file for a model that takes ``image_shape`` images -> ``uint8 (C, H, W)``.

    Grey and colour are converted into each other only where nothing is lost: a
    grey image for a colour model, or a colour file whose three channels are equal
    for a grey model. Anything else (another size, a coloured image for a grey
    model, 16- or 32-bit pixels) is refused with a message naming the file and
    both shapes; the image is never resized, so what is morphed is what is on disk.
    """
    path = Path(path)
    c, h, w = (int(v) for v in image_shape)
    want = f"{_shape_text((c, h, w))} ({'grey' if c == 1 else 'colour'}, 8-bit)"
    with open_image(path) as im:
        im.load()
        mode, (iw, ih) = im.mode, im.size
        bands = len(im.getbands())
        if mode in HIGH_DEPTH_MODES:
            raise DataError(
                f"{path}: image is {_shape_text((bands, ih, iw))} with {HIGH_DEPTH_MODES[mode]}-bit pixels, "
                f"but the models take {want} images; convert it to 8-bit first"
            )
        grey = mode in GREY_MODES
        arr = np.asarray(im.convert("L" if grey else "RGB"), dtype=np.uint8)
    arr = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
    if c == 1 and arr.shape[0] == 3 and (arr == arr[:1]).all():
        arr = arr[:1]  # a colour file holding a grey picture
    elif c == 3 and arr.shape[0] == 1:
        arr = np.repeat(arr, 3, axis=0)
    if arr.shape != (c, h, w):
        colour = " (colour)" if arr.shape[0] == 3 and c == 1 else ""
        raise DataError(
            f"{path}: image is {_shape_text(arr.shape)}{colour}, but the models take {want} images; "
            "resize or convert it first"
        )
    return np.ascontiguousarray(arr)
