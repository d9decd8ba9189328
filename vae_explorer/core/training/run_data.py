"""The images a run trains and tests on, and the record of its split stored in the checkpoint.

The built-in sets that ship their own test images (Fashion-MNIST, MNIST, the
faces) and folders of IDX files keep them. The digits and a folder of images are
split here with a fixed seed and a test fraction; the checkpoint keeps both
(``metadata["split"]``), so a resumed run and any later command use exactly the
same images.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vae_explorer.core.data import Dataset, builtin, load_dataset
from vae_explorer.core.data.folder import FOLDER_TEST_FRACTION
from vae_explorer.core.data.idx_sets import is_idx_folder
from vae_explorer.core.errors import DataError

SPLIT_SEED = 0  # the seed of every seeded split: models of one data set share their test images


def canonical_data(spec: str) -> str:
    """A built-in name in lower case, or a folder's absolute path (so it still names it from elsewhere)."""
    entry = builtin(spec)
    return entry.name if entry else str(Path(str(spec).strip()).expanduser().absolute())


def ships_split(spec: str) -> bool:
    """Whether ``spec`` has its own test images (a built-in set that ships them, a folder of IDX files)."""
    entry = builtin(spec)
    return entry.ships_split if entry else is_idx_folder(Path(canonical_data(spec)))


def effective_test_fraction(spec: str, given: float | None) -> float | None:
    """The test fraction a run on ``spec`` uses: ``given``, else the source's default; ``None`` for data that
    ships its own split, which refuses one."""
    if ships_split(spec):
        if given is not None:
            raise DataError(
                f"{spec}: ships its own test split; a test fraction applies to image folders and the digits"
            )
        return None
    if given is not None:
        return float(given)
    entry = builtin(spec)
    return entry.test_fraction if entry else FOLDER_TEST_FRACTION


def load_split(spec: str, split: str, data_dir: str | None, fraction: float | None) -> Dataset:
    """One split of ``spec`` as a run with test fraction ``fraction`` (ignored for shipped splits) sees it."""
    return load_dataset(spec, split, data_dir, test_fraction=None if ships_split(spec) else fraction)


def load_run_data(spec: str, data_dir: str | None, fraction: float | None) -> tuple[Dataset, Dataset]:
    """The train and the test split of ``spec``; ``fraction`` as from :func:`effective_test_fraction`."""
    return load_split(spec, "train", data_dir, fraction), load_split(spec, "test", data_dir, fraction)


def split_record(spec: str, fraction: float | None, train: Dataset, test: Dataset) -> dict[str, Any]:
    """What the checkpoint says of the split: seeded (fraction and seed) or the data's own files."""
    record: dict[str, Any] = {"train": len(train), "test": len(test)}
    if fraction is None or ships_split(spec):
        return {"kind": "files", **record}
    return {"kind": "seeded", "test_fraction": float(fraction), "seed": SPLIT_SEED, **record}
