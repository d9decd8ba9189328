"""A user's own images: one sub-folder per class, or a flat folder (plus an optional CSV)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vae_explorer.core.io.safe_read import MiB, read_text

from ..errors import DataError
from ..limits import IMAGE_SIZE
from .attribute_table import csv_rows
from .dataset import Dataset, Whole, split_indices
from .image_file import image_size, load_image
from .sizes import choose_size
from .tables import load_attribute_table

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
ATTRIBUTE_FILES = ("list_attr_celeba.txt", "attributes.csv")
LABEL_FILE = "labels.csv"
MAX_TABLE_BYTES = 64 * MiB
FOLDER_TEST_FRACTION = 0.1


@dataclass
class _Listing:
    """The images of a folder, their class labels and names, and what the user should hear of the rest."""

    files: list[Path] = field(default_factory=list)
    labels: list[int] | None = None
    names: list[str] = field(default_factory=list)
    hidden: int = 0  # image files whose names start with a dot (macOS's ._ files among them), skipped
    notes: list[str] = field(default_factory=list)

    def images_in(self, folder: Path) -> list[Path]:
        """The image files directly in ``folder``, hidden ones counted and left out."""
        found = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
        shown = sorted(p for p in found if not p.name.startswith("."))
        self.hidden += len(found) - len(shown)
        return shown


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


def _list_files(folder: Path) -> _Listing:
    listing = _Listing()
    classes = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    class_files = [(c.name, listing.images_in(c)) for c in classes]
    class_files = [(n, fs) for n, fs in class_files if fs]
    if class_files:
        listing.files = [f for _, fs in class_files for f in fs]
        listing.labels = [k for k, (_, fs) in enumerate(class_files) for _ in fs]
        listing.names = [n for n, _ in class_files]
        _left_out(folder, listing)
        return listing
    listing.files = listing.images_in(folder)
    label_csv = folder / LABEL_FILE
    if not label_csv.exists() and not label_csv.is_symlink():
        return listing
    by_name = _read_labels(label_csv)
    missing = [f.name for f in listing.files if f.name not in by_name]
    if missing:
        raise DataError(f"{label_csv}: no label for {len(missing)} images (first: {missing[0]!r})")
    listing.names = sorted(set(by_name[f.name] for f in listing.files))
    listing.labels = [listing.names.index(by_name[f.name]) for f in listing.files]
    return listing


def _left_out(folder: Path, listing: _Listing) -> None:
    """With class folders, say which top-level images and ``labels.csv`` are not read (never drop them unsaid)."""
    loose = listing.images_in(folder)
    if loose:
        listing.notes.append(
            f"{folder}: {len(loose)} image{'s' if len(loose) > 1 else ''} beside the class folders "
            f"(first: {loose[0].name}) left out: the images are read from the class folders"
        )
    if (folder / LABEL_FILE).exists():
        listing.notes.append(f"{folder}: {LABEL_FILE} not read: the class folders name the classes")


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
    is loaded with it. Each file is read by :mod:`.image_file` (deep pixels scaled,
    EXIF orientation applied). Hidden files (``._x.png``) are skipped, and with class
    folders, images beside them and a ``labels.csv`` are not read: the notes say so.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")
    if side is not None:
        IMAGE_SIZE.check(side, "image size", DataError)
    listing = _list_files(folder)
    files, labels, names = listing.files, listing.labels, listing.names
    if not files:
        raise DataError(f"{folder}: no images found (looked for {', '.join(sorted(IMAGE_SUFFIXES))})")
    if listing.hidden:
        listing.notes.append(
            f"{folder}: skipped {listing.hidden} hidden image file{'s' if listing.hidden > 1 else ''} "
            "(names starting with a dot, such as macOS's ._ files)"
        )
    size, size_note = choose_size(folder, [image_size(f) for f in files], side)
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
        notes=listing.notes + ([size_note] if size_note else []),
    )
    _own_table(folder, full)
    fraction = FOLDER_TEST_FRACTION if test_fraction is None else test_fraction
    chosen = full.subset(split_indices(len(full), split, fraction))
    chosen.split, chosen.test_fraction = split, fraction
    return chosen
