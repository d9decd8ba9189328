"""Folders of IDX files (Fashion-MNIST, MNIST, or a user's own): where they are searched, and one split read.

A built-in IDX set is searched, in order, in: the folder the user gave,
``$VAE_EXPLORER_DATA`` (itself or its sub-folder of that name), Debian's
``/usr/share/datasets/<name>``, and the user cache (where ``vae-explorer
download`` puts it, in torchvision's layout ``<TorchvisionName>/raw``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from vae_explorer.core.io.user_dirs import cache_dir

from ..errors import DataError
from .dataset import Dataset
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
SPLITS = ("train", "test")
DEBIAN_DATASETS = Path("/usr/share/datasets")
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


def idx_search_path(name: str, torchvision_name: str, data_dir: str | Path | None = None) -> list[Path]:
    """The folders searched for the IDX set ``name`` (torchvision calls it ``torchvision_name``), in order."""
    found: list[Path] = []
    for base in (data_dir, os.environ.get("VAE_EXPLORER_DATA")):
        if base:
            found += [Path(base), Path(base) / name, Path(base) / torchvision_name / "raw"]
    found.append(DEBIAN_DATASETS / name)
    found += [cache_dir() / name, cache_dir() / torchvision_name / "raw"]
    return found


def first_idx_folder(folders: list[Path]) -> Path | None:
    """The first of ``folders`` that holds IDX files, or ``None``."""
    return next((folder for folder in folders if is_idx_folder(folder)), None)


def load_idx(name: str, folder: Path, split: str, label_names: list[str]) -> Dataset:
    """One split of IDX files; ``all``: the train images, then the test images (those present)."""
    if split == "all":
        parts = [load_idx(name, folder, s, label_names) for s in SPLITS if _idx_files(folder, s)]
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
