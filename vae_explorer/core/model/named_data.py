"""The data a pair of models names: what the explorer and the command line open when none is given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vae_explorer.core.data import Dataset, builtin, load_dataset
from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.model.checkpoint import Checkpoint
from vae_explorer.core.model.loaded import LoadedModel


def named_data(
    checkpoints: Sequence[Checkpoint | LoadedModel], given: str | None = None, hint: str = "give --data"
) -> str:
    """``given`` if set, else the data set named in the models' metadata (a model file's ``data``).

    ``checkpoints`` (checkpoints or loaded models) left to right (the AE, then the VAE); the right-most one that
    names a data set decides, so a pair reads as "the VAE's data". Raises a
    one-line :class:`CheckpointError` naming the file, ending with ``hint``, when none does.
    """
    if given:
        return given
    namer = data_namer(checkpoints)
    if namer is not None:
        return str(namer.metadata["data"])
    if not checkpoints:
        raise CheckpointError(f"no checkpoint names a data set; {hint}")
    raise CheckpointError(f"{checkpoints[-1].path}: names no data set; {hint}")


def data_namer(checkpoints: Sequence[Checkpoint | LoadedModel]) -> Checkpoint | LoadedModel | None:
    """The right-most checkpoint (or model) whose metadata names a data set: the one :func:`named_data` reads."""
    return next((ck for ck in reversed(checkpoints) if str(ck.metadata.get("data") or "")), None)


def named_folder(checkpoints: Sequence[Checkpoint | LoadedModel]) -> tuple[Path, str] | None:
    """``(folder, checkpoint's name)`` when the data the metadata names is a folder, not a built-in set."""
    namer = data_namer(checkpoints)
    spec = str(namer.metadata["data"]).strip() if namer is not None else ""
    if not spec or builtin(spec) is not None:
        return None
    return Path(spec).expanduser().absolute(), namer.name  # type: ignore[union-attr]


def same_data(a: str, b: str) -> bool:
    """Whether two data specs name one source: a built-in name in any case, or one folder however written."""
    a, b = a.strip(), b.strip()
    if builtin(a) or builtin(b):
        return a.lower() == b.lower()
    return Path(a).expanduser().absolute() == Path(b).expanduser().absolute()


def stored_test_fraction(checkpoints: Sequence[Checkpoint | LoadedModel], spec: str) -> float | None:
    """The test fraction the models were trained with on ``spec``, or ``None`` (none stored, another data set).

    Training stores a seeded split as ``metadata["split"] = {"kind": "seeded",
    "test_fraction": F, ...}``; the right-most checkpoint that trained on ``spec``
    and says so decides, so later commands and the explorer show the same test images.
    """
    for ck in reversed(checkpoints):
        split = ck.metadata.get("split")
        data = str(ck.metadata.get("data") or "")
        if not isinstance(split, dict) or not data or not same_data(data, spec):
            continue
        fraction = split.get("test_fraction")
        if split.get("kind") == "seeded" and isinstance(fraction, int | float) and 0 < fraction < 1:
            return float(fraction)
    return None


def load_named_data(
    checkpoints: Sequence[Checkpoint | LoadedModel],
    given: str | None = None,
    split: str = "test",
    data_dir: str | None = None,
    test_fraction: float | None = None,
    image_size: int | None = None,
    hint: str = "give --data",
) -> Dataset:
    """The data to show the models on: ``given`` or the one they name, with the split they were trained with.

    ``test_fraction`` when given, else the one stored in the checkpoints for that
    data (:func:`stored_test_fraction`), else the source's default.
    """
    spec = named_data(checkpoints, given, hint)
    if test_fraction is None:
        test_fraction = stored_test_fraction(checkpoints, spec)
    return load_dataset(spec, split, data_dir, test_fraction, image_size)
