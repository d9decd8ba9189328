"""Where data sets come from, and the one entry point :func:`load_dataset`.

``fashion-mnist`` and ``mnist`` are read from IDX files found, in order, in: the
folder the user gave, ``$VAE_EXPLORER_DATA`` (itself or its sub-folder of that
name), Debian's ``/usr/share/datasets/<name>``, and the user cache. Nothing here
touches the network; :func:`download_dataset` does, and only when called.
``digits`` (scikit-learn's bundled 8x8 digits) and ``faces`` (generated cartoon
faces with known factors, :mod:`.faces`) always work offline.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from vae_explorer.core.io.user_dirs import cache_dir

from ..errors import DataError
from .dataset import Dataset, split_indices
from .faces import load_faces
from .folder import load_image_folder
from .idx import read_idx_pair

FASHION_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
DIGIT_NAMES = [str(k) for k in range(10)]
IDX_SETS = {"fashion-mnist": ("FashionMNIST", FASHION_NAMES), "mnist": ("MNIST", DIGIT_NAMES)}
BUILTIN = ("fashion-mnist", "mnist", "digits", "faces")
SPLITS = ("train", "test")
DIGITS_TEST_FRACTION = 0.2
_PREFIX = {"train": "train", "test": "t10k"}


def _idx_files(folder: Path, split: str) -> tuple[Path, Path] | None:
    prefix = _PREFIX[split]
    for suffix in (".gz", ""):
        images = folder / f"{prefix}-images-idx3-ubyte{suffix}"
        labels = folder / f"{prefix}-labels-idx1-ubyte{suffix}"
        if images.exists() and labels.exists():
            return images, labels
    return None


def is_idx_folder(folder: Path) -> bool:
    return folder.is_dir() and any(_idx_files(folder, s) for s in SPLITS)


def _folders_in(base: str | Path, name: str) -> list[Path]:
    """Where ``name``'s IDX files may lie in one folder: itself, ``base/name``, torchvision's ``base/Name/raw``."""
    return [Path(base), Path(base) / name, Path(base) / IDX_SETS[name][0] / "raw"]


def candidate_folders(name: str, data_dir: str | Path | None = None) -> list[Path]:
    """The folders searched for ``fashion-mnist`` or ``mnist``, in search order."""
    found: list[Path] = []
    for base in (data_dir, os.environ.get("VAE_EXPLORER_DATA")):
        if base:
            found += _folders_in(base, name)
    found.append(Path("/usr/share/datasets") / name)
    found += [cache_dir() / name, cache_dir() / IDX_SETS[name][0] / "raw"]
    return found


def _check_data_dir(spec: str, name: str, data_dir: str | Path) -> None:
    """Refuse a data folder the user named that holds no IDX files: other data must never be read in its place."""
    own = _folders_in(data_dir, name)
    if not any(is_idx_folder(folder) for folder in own):
        raise DataError(
            f"data folder {data_dir}: holds no {spec} IDX files (looked for train-images-idx3-ubyte[.gz] and "
            f"t10k-images-idx3-ubyte[.gz] in {', '.join(str(f) for f in own)})"
        )


def find_idx_folder(name: str, data_dir: str | Path | None = None) -> Path | None:
    """The first folder holding ``name``'s IDX files, or ``None``."""
    for folder in candidate_folders(name, data_dir):
        if is_idx_folder(folder):
            return folder
    return None


def _load_idx(name: str, folder: Path, split: str, label_names: list[str]) -> Dataset:
    """One split of IDX files; ``all``: the train images, then the test images (those present)."""
    if split == "all":
        parts = [_load_idx(name, folder, s, label_names) for s in SPLITS if _idx_files(folder, s)]
        if len(parts) == 1:
            parts[0].split = "all"
            return parts[0]
        images = np.concatenate([p.images for p in parts])
        labels = np.concatenate([p.labels for p in parts])  # type: ignore[misc]
        return Dataset(name, "all", images, labels, list(label_names), str(folder))
    pair = _idx_files(folder, split)
    if pair is None:
        raise DataError(f"{folder}: no {split} split ({_PREFIX[split]}-images-idx3-ubyte[.gz])")
    images, labels = read_idx_pair(*pair)
    return Dataset(name, split, images, labels, list(label_names), str(folder))


def load_digits(split: str = "train", test_fraction: float | None = None) -> Dataset:
    """scikit-learn's bundled 1,797 handwritten digits, 8x8, scaled to uint8; a seeded fifth is the test split."""
    from sklearn.datasets import load_digits as _sk_digits

    bunch = _sk_digits()
    images = np.round(bunch.images * (255.0 / 16.0)).clip(0, 255).astype(np.uint8)[:, None]
    labels = bunch.target.astype(np.int64)
    fraction = DIGITS_TEST_FRACTION if test_fraction is None else test_fraction
    full = Dataset("digits", "all", images, labels, DIGIT_NAMES, "scikit-learn")
    chosen = full.subset(split_indices(len(images), split, test_fraction=fraction))
    chosen.split, chosen.test_fraction = split, fraction
    return chosen


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
    """``spec``: ``fashion-mnist``, ``mnist``, ``digits``, ``faces``, or a folder path.

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
    key = spec.strip().lower()
    if key == "digits":
        _no_fraction(spec, None, image_size)
        return load_digits(split, test_fraction)
    if key == "faces":
        _no_fraction(spec, test_fraction, image_size)
        return load_faces(split)
    if key in IDX_SETS:
        _no_fraction(spec, test_fraction, image_size)
        if data_dir:
            _check_data_dir(spec, key, data_dir)
        folder = find_idx_folder(key, data_dir)
        if folder is None:
            where = ", ".join(str(p) for p in candidate_folders(key, data_dir)[:4])
            raise DataError(
                f"{spec}: data not found (looked in {where}, ...); "
                f"set VAE_EXPLORER_DATA or run `vae-explorer download {key}`"
            )
        return _load_idx(key, folder, split, IDX_SETS[key][1])
    path = Path(spec).expanduser()
    if path.is_dir():
        if is_idx_folder(path):
            _no_fraction(spec, test_fraction, image_size)
            names = FASHION_NAMES if "fashion" in str(path).lower() else DIGIT_NAMES
            return _load_idx(str(path), path, split, names)
        return load_image_folder(path, split, image_size, test_fraction)
    if path.exists():
        raise DataError(f"{spec}: a data set is a folder (of images or IDX files), not a file")
    raise DataError(f"unknown data {spec!r}: use fashion-mnist, mnist, digits, faces or a folder")


def download_dataset(name: str, dest: str | Path | None = None) -> Path:
    """Download ``fashion-mnist`` or ``mnist`` with torchvision into the user cache.

    The only function of the package that uses the network. Returns the folder of
    IDX files, which :func:`find_idx_folder` then finds on every later launch.
    """
    if name not in IDX_SETS:
        raise DataError(f"cannot download {name!r}: only {', '.join(IDX_SETS)}")
    from torchvision import datasets

    root = Path(dest) if dest else cache_dir()
    cls = getattr(datasets, IDX_SETS[name][0])
    try:
        for train in (True, False):
            cls(str(root), train=train, download=True)
    except Exception as exc:  # the network, a proxy or a full disk: say which, in one line
        raise DataError(f"download of {name} into {root} failed: {exc}") from None
    return root / IDX_SETS[name][0] / "raw"
