"""The one entry point :func:`load_dataset`: a built-in data set by name (:mod:`.registry`), or a folder.

Nothing here touches the network; :func:`download_dataset` does, and only when called.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from vae_explorer.core.io.user_dirs import cache_dir

from ..errors import DataError
from .dataset import Dataset
from .folder import load_image_folder
from .idx_sets import DIGIT_NAMES, FASHION_NAMES, SPLITS, is_idx_folder, load_idx
from .registry import BUILTIN_DATA, DOWNLOADABLE, builtin, names_text


def _no_fraction(spec: str, test_fraction: float | None, image_size: int | None = None) -> None:
    if test_fraction is not None:
        raise DataError(f"{spec}: ships its own test split; a test fraction applies to image folders and the digits")
    if image_size is not None:
        raise DataError(f"{spec}: its images have one size already; an image size applies to folders of images")


def load_dataset(
    spec: str,
    split: str = "train",
    data_dir: str | Path | None = None,
    test_fraction: float | None = None,
    image_size: int | None = None,
) -> Dataset:
    """``spec``: a built-in name (:data:`~.registry.BUILTIN`), or a folder path.

    A folder may hold IDX files (read like Fashion-MNIST) or images. ``split`` is
    ``train``, ``test`` or ``all`` (every image: a split's files one after the
    other, or a seeded split's both parts in the source's order). ``test_fraction``
    is the share of a folder of images (or of the digits) held out as the test
    split, chosen with a fixed seed; ``None`` takes the source's default. Sources
    that ship their own split refuse it. ``image_size``: the side a folder's images
    are resized to (default: their most common size).
    """
    if split not in (*SPLITS, "all"):
        raise DataError(f"unknown split {split!r}: use train, test or all")
    entry = builtin(spec)
    if entry is not None:
        _no_fraction(spec, test_fraction if entry.ships_split else None, image_size)
        return entry.load(split, data_dir, test_fraction)
    path = Path(spec).expanduser()
    if path.is_dir():
        if is_idx_folder(path):
            _no_fraction(spec, test_fraction, image_size)
            names = FASHION_NAMES if "fashion" in str(path).lower() else DIGIT_NAMES
            return load_idx(str(path), path, split, names)
        return load_image_folder(path, split, image_size, test_fraction)
    if path.exists():
        raise DataError(f"{spec}: a data set is a folder (of images or IDX files), not a file")
    raise DataError(f"unknown data {spec!r}: use {names_text()} or a folder")


def _new_folders(root: Path) -> list[Path]:
    """``root`` and those of its parents that do not exist yet, deepest first."""
    missing = []
    for folder in (root, *root.parents):
        if folder.exists():
            break
        missing.append(folder)
    return missing


def _remove(made: list[Path]) -> None:
    """Take away the folders a failed download made (deepest first): the innermost, torchvision's, with
    what it left in it; the others only when empty, as something else may have written there since."""
    if made:
        shutil.rmtree(made[0], ignore_errors=True)
    for folder in made[1:]:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (torchvision's download errors span several)."""
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__


def download_dataset(name: str, dest: str | Path | None = None) -> Path:
    """Download ``fashion-mnist`` or ``mnist`` with torchvision into the user cache (or ``dest``).

    The only function of the package that uses the network. Returns the folder of
    IDX files, which :func:`~.registry.find_idx_folder` then finds on every later
    launch. A failed download raises one line and removes the folders it made.
    """
    if name not in DOWNLOADABLE:
        raise DataError(f"cannot download {name!r}: only {', '.join(DOWNLOADABLE)}")
    from torchvision import datasets

    root = Path(dest) if dest else cache_dir()
    tv_name = BUILTIN_DATA[name].torchvision
    made = _new_folders(root / str(tv_name) / "raw")
    cls = getattr(datasets, str(tv_name))
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # torchvision's mirror-by-mirror chatter
            for train in (True, False):
                cls(str(root), train=train, download=True)
    except Exception as exc:  # the network, a proxy or a full disk: say which, in one line
        _remove(made)
        raise DataError(f"download of {name} into {root} failed: {_one_line(exc)}") from None
    return root / str(tv_name) / "raw"
