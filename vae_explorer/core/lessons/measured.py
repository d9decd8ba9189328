"""A lesson's claim, measured on the models it shows: its row of the claims table, kept in the cache.

The same numbers ``vae-explorer evaluate --ae A --vae B`` prints (the same count of
images and seed, the data's shipped ruler of realism), measured once per pair of
models, data and settings and then read from the cache (``<cache>/claims``), so a
second visit to a lesson, or its screenshot, does not wait for them. Qt-free:
the explorer runs :func:`measure_lesson` on a worker.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae_explorer._version import __version__
from vae_explorer.core.data import Dataset, load_dataset
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.evaluation.claims import N_IMAGES, SEED, ClaimRow, claim_row, prepare_inputs
from vae_explorer.core.evaluation.claims.inputs import step
from vae_explorer.core.io.cache import entry_path, load_entry, save_entry
from vae_explorer.core.latent.codes import Codes, encode_cached
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.opening import open_model

from .catalogue import Lesson

KIND = "claims"
FORMAT = 1  # raise when a stored row's fields change
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class LessonRows:
    """What the Lesson bar shows: ``row``, the lesson's claim on its pair, and ``also``, on the lesson's second pair.

    ``cached``: whether every row was read from the cache.
    """

    row: ClaimRow
    also: ClaimRow | None = None
    cached: bool = False


def row_key(number: int, left: LoadedModel, right: LoadedModel, data: Dataset, morph_classes=None) -> dict:
    """Everything a row depends on: the claim, both models' digests, the data's fingerprint, and the settings."""
    return {
        "claim": number,
        "models": [left.digest, right.digest],
        "data": data.fingerprint(),
        "real": f"{data.name}:{other_split(data)}",
        "images": N_IMAGES,
        "seed": SEED,
        "morph_classes": None if morph_classes is None else [int(k) for k in morph_classes],
        "version": __version__,
        "format": FORMAT,
    }


def other_split(data: Dataset) -> str:
    """The split whose real images give the ruler its floor (``train`` for the test split)."""
    return {"test": "train", "train": "test"}.get(data.split, "")


def read_row(path: Path) -> ClaimRow | None:
    """The row stored at ``path``, or None (none stored, or one that no longer reads as a row)."""
    entry = load_entry(path)
    if entry is None or "row" not in entry:
        return None
    try:
        fields = json.loads(str(entry["row"]))
        return ClaimRow(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
    except (TypeError, ValueError):
        return None


def write_row(path: Path, row: ClaimRow) -> None:
    save_entry(path, row=np.array(json.dumps(dataclasses.asdict(row))))


def _real(data: Dataset) -> Dataset | None:
    """The other split of a built-in data set, for the ruler's floor; None where there is none to read."""
    split = other_split(data)
    try:
        return load_dataset(data.name, split) if split else None
    except VaeExplorerError:
        return None


def measured_row(
    number: int,
    left: LoadedModel,
    right: LoadedModel,
    data: Dataset,
    codes: tuple[Codes, Codes],
    morph_classes: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> tuple[ClaimRow, bool]:
    """Claim ``number`` measured on ``left`` and ``right`` over ``data`` -> ``(row, read from the cache)``."""
    path = entry_path(KIND, row_key(number, left, right, data, morph_classes))
    row = read_row(path)
    if row is not None:
        return row, True
    if progress:
        progress(0.0, "preparing the ruler")
    inputs = prepare_inputs(
        left, right, data, _real(data), codes=codes, morph_classes=morph_classes, progress=step(progress, 0, 0.3)
    )
    row = claim_row(number, left, right, inputs, step(progress, 0.3, 1.0))
    write_row(path, row)
    return row, False


def morph_classes(item: Lesson, data: Dataset) -> tuple[int, int] | None:
    """The classes of the lesson's morph keys, which its second morph measurement joins."""
    if item.morph is None or data.labels is None:
        return None
    a, b = (int(data.labels[k]) for k in item.morph)
    return (a, b) if a != b else None


def measure_lesson(
    item: Lesson,
    left: LoadedModel,
    right: LoadedModel,
    data: Dataset,
    codes: tuple[Codes, Codes],
    folder: Path,
    progress: Progress | None = None,
) -> LessonRows:
    """The lesson's row on the pair on show and, where its row does not show the claim, its second pair's.

    ``folder``: the shipped checkpoints, where the second pair (``item.also``) is read;
    a second pair that is missing is left out.
    """
    classes = morph_classes(item, data)
    share = 0.5 if item.also else 1.0
    row, cached = measured_row(item.number, left, right, data, codes, classes, step(progress, 0.0, share))
    if not item.also or row.shows or any(not (folder / name).is_file() for name in item.also):
        return LessonRows(row, None, cached)
    pair = [open_model(folder / name, left.device) for name in item.also]
    pair_codes = tuple(encode_cached(m, m.digest, data.fingerprint(), data.images)[0] for m in pair)
    also, also_cached = measured_row(item.number, *pair, data, pair_codes, classes, step(progress, share, 1.0))  # type: ignore[arg-type]
    return LessonRows(row, also, cached and also_cached)
