"""The built-in data sets, listed once: name, title, description, loader, split and download.

Everything that offers or checks a built-in name reads it from here: ``--data`` and
its help on the command line, ``vae-explorer download``, the Open data dialog,
the Train form, training's split record and morph recipes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..errors import DataError
from .dataset import Dataset
from .digits import DIGITS_TEST_FRACTION, load_digits
from .faces import load_faces
from .idx_sets import FASHION_NAMES, first_idx_folder, idx_search_path, load_idx

Loader = Callable[[str, "str | Path | None", "float | None"], Dataset]  # (split, data_dir, test fraction)


@dataclass(frozen=True)
class BuiltinData:
    """One built-in data set.

    ``ships_split``: it comes with its own test images, so a test fraction is refused;
    otherwise ``test_fraction`` is the share held out by default (a seeded split).
    ``torchvision``: the torchvision class it is read from IDX files as, and downloaded
    with (``None``: drawn or bundled, always offline).
    """

    name: str
    title: str
    description: str
    load: Loader
    ships_split: bool
    test_fraction: float | None = None
    torchvision: str | None = None

    @property
    def offline(self) -> bool:
        """Whether it needs no files: bundled or drawn on first use."""
        return self.torchvision is None

    def search_path(self, data_dir: str | Path | None = None) -> list[Path]:
        """The folders its IDX files are looked for in, in order (none for an offline set)."""
        return [] if self.torchvision is None else idx_search_path(self.name, self.torchvision, data_dir)

    def available(self, data_dir: str | Path | None = None) -> bool:
        """Whether it opens here without the network."""
        return self.offline or find_idx_folder(self.name, data_dir) is not None


def candidate_folders(name: str, data_dir: str | Path | None = None) -> list[Path]:
    """The folders searched for the IDX set ``name`` (``fashion-mnist``, ``mnist``), in search order."""
    return BUILTIN_DATA[name].search_path(data_dir)


def find_idx_folder(name: str, data_dir: str | Path | None = None) -> Path | None:
    """The first folder holding the IDX set ``name``'s files, or ``None``."""
    return first_idx_folder(candidate_folders(name, data_dir))


def _check_data_dir(name: str, data_dir: str | Path) -> None:
    """Refuse a data folder the user named that holds no IDX files: other data must never be read in its place."""
    own = BUILTIN_DATA[name].search_path(data_dir)[:3]  # the folder itself, its sub-folder, torchvision's layout
    if first_idx_folder(own) is None:
        raise DataError(
            f"data folder {data_dir}: holds no {name} IDX files (looked for train-images-idx3-ubyte[.gz] and "
            f"t10k-images-idx3-ubyte[.gz] in {', '.join(str(f) for f in own)})"
        )


def _load_idx_set(name: str, labels: list[str], split: str, data_dir: str | Path | None, _: float | None) -> Dataset:
    if data_dir:
        _check_data_dir(name, data_dir)
    folder = find_idx_folder(name, data_dir)
    if folder is None:
        where = ", ".join(str(p) for p in candidate_folders(name, data_dir)[:4])
        raise DataError(
            f"{name}: data not found (looked in {where}, ...); "
            f"set VAE_EXPLORER_DATA or run `vae-explorer download {name}`"
        )
    return load_idx(name, folder, split, labels)


def _load_digits(split: str, data_dir: str | Path | None, fraction: float | None) -> Dataset:
    return load_digits(split, fraction)


def _load_faces(split: str, data_dir: str | Path | None, fraction: float | None) -> Dataset:
    return load_faces(split)


_ENTRIES = (
    BuiltinData(
        "fashion-mnist",
        "Fashion-MNIST",
        "70,000 grey 28x28 images of clothing in 10 classes (60,000 train, 10,000 test)",
        partial(_load_idx_set, "fashion-mnist", FASHION_NAMES),
        ships_split=True,
        torchvision="FashionMNIST",
    ),
    BuiltinData(
        "mnist",
        "MNIST",
        "70,000 grey 28x28 handwritten digits (60,000 train, 10,000 test)",
        partial(_load_idx_set, "mnist", [str(k) for k in range(10)]),
        ships_split=True,
        torchvision="MNIST",
    ),
    BuiltinData(
        "digits",
        "digits (8x8, always offline)",
        "scikit-learn's 1,797 grey 8x8 handwritten digits, bundled: always offline",
        _load_digits,
        ships_split=False,
        test_fraction=DIGITS_TEST_FRACTION,
    ),
    BuiltinData(
        "faces",
        "faces (32x32 colour, always offline)",
        "60,000 colour 32x32 cartoon faces drawn from ten known factors (50,000 train, 10,000 test): always offline",
        _load_faces,
        ships_split=True,
    ),
)
BUILTIN_DATA: dict[str, BuiltinData] = {d.name: d for d in _ENTRIES}
BUILTIN: tuple[str, ...] = tuple(BUILTIN_DATA)
DOWNLOADABLE: tuple[str, ...] = tuple(d.name for d in _ENTRIES if d.torchvision)


def builtin(spec: str) -> BuiltinData | None:
    """The built-in data set ``spec`` names (in any case), or ``None`` for a folder."""
    return BUILTIN_DATA.get(str(spec).strip().lower())


def names_text(conjunction: str = "or", names: tuple[str, ...] = BUILTIN) -> str:
    """``fashion-mnist, mnist, digits or faces``: built-in names (default: all) for a sentence."""
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}" if len(names) > 1 else "".join(names)


SHIPS_SPLIT: tuple[str, ...] = tuple(d.name for d in _ENTRIES if d.ships_split)


DATA_HELP = f"{', '.join(BUILTIN)}, or a folder of images or IDX files"
DATA_DIR_HELP = f"a folder holding the {' / '.join(d.title for d in _ENTRIES if d.torchvision)} IDX files"
