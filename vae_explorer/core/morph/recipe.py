"""A morph recipe: the JSON file that says how a morph GIF was made, and makes it again.

It names the models' files (checkpoints or model files, left to right), their
digests and, for model files, the digest of their code, the data, the key images (sample
indices or image files), the frame count, the interpolation and the GIF's
settings. :func:`render_recipe` decodes the same frames from it that the explorer
or the command line showed when it was saved.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from vae_explorer.core.data import Dataset, builtin
from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.documents import read_document, write_document
from vae_explorer.core.io.trust import TrustPolicy, file_key
from vae_explorer.core.lazy import torch
from vae_explorer.core.limits import LIMITS
from vae_explorer.core.model.checkpoint import check_same_shape
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.named_data import load_named_data, named_data, named_folder
from vae_explorer.core.model.opening import CODE_DIGEST, open_model
from vae_explorer.core.morph.keys import MorphKey, check_frames, check_method, needs_data, resolve_keys
from vae_explorer.core.morph.pipeline import GifOptions, MorphModel, RenderedMorph, check_budget, render_morph
from vae_explorer.core.morph.reach import Reach

FORMAT = "vae-explorer-morph"
FORMAT_VERSION = 1


@dataclass
class MorphRecipe:
    """Everything that decides a morph's frames, and the GIF made of them.

    ``checkpoints`` the models' files left to right (one or two; checkpoints or
    model files); ``keys`` sample indices (int) or image files (str), A first and
    B last (given on the command line, a str may also name a sample of the data by
    its path in the folder: see :func:`~vae_explorer.core.morph.keys.resolve_keys`);
    ``test_fraction`` and ``image_size`` say which images of a folder the indices
    refer to, and at which size; ``digests`` the models' digests when saved, to
    notice a file that changed since; ``code_digests`` the digest of each model
    file's code and modules ("" for a checkpoint), which a replay pins: other code
    is refused before it runs.
    """

    checkpoints: list[str]
    keys: list[int | str]
    frames: int
    method: str
    data: str | None = None
    split: str = "test"
    data_dir: str | None = None
    test_fraction: float | None = None
    image_size: int | None = None
    digests: list[str] = field(default_factory=list)
    gif: GifOptions = field(default_factory=GifOptions)
    code_digests: list[str] = field(default_factory=list)
    reach: Reach | None = field(default=None, repr=False, compare=False)  # loaded from a file: where it may read

    def to_json(self) -> dict[str, Any]:
        blob = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        blob.pop("reach")
        return blob

    def save(self, path: str | Path) -> Path:
        return write_document(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path, allow_outside_keys: bool = False, allow_outside: bool = False) -> MorphRecipe:
        """Read a recipe; relative paths in it are relative to the recipe's folder.

        A shared recipe reaches only into its own folder (:mod:`.reach`): its key
        images, models and data must lie there unless ``allow_outside`` (key images
        alone: ``allow_outside_keys``).
        """
        path = Path(path)
        blob = read_document(path, FORMAT, FORMAT_VERSION, "morph recipe")
        reach = Reach(path, keys=allow_outside_keys, anywhere=allow_outside)

        def key(k: Any) -> int | str:
            return k if isinstance(k, int) and not isinstance(k, bool) else reach.key(str(k))

        _check_types(path, blob)
        _check_values(path, blob)
        try:
            keys = blob["keys"]
            recipe = cls(
                checkpoints=[reach.model(str(p)) for p in blob["checkpoints"]],
                keys=[key(k) for k in keys],
                frames=int(blob["frames"]),
                method=str(blob["method"]),
                data=reach.data(blob.get("data")),
                split=str(blob.get("split", "test")),
                data_dir=reach.data_dir(blob.get("data_dir"), blob.get("data")),
                test_fraction=blob.get("test_fraction"),
                image_size=blob.get("image_size"),
                digests=[str(d) for d in blob.get("digests", [])],
                gif=GifOptions(**blob.get("gif", {})),
                code_digests=[str(d) for d in blob.get("code_digests", [])],
            )
        except ExportError as exc:  # a GIF option out of the command line's bounds, named as GifOptions names it
            raise DataError(f"{path}: invalid morph recipe: gif.{exc}") from None
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise DataError(f"{path}: incomplete morph recipe ({exc.__class__.__name__}: {exc})") from None
        if not 1 <= len(recipe.checkpoints) <= 2:
            raise DataError(f"{path}: a recipe names one or two checkpoints, not {len(recipe.checkpoints)}")
        recipe.reach = reach
        return recipe

    def morph_keys(self) -> list[MorphKey]:
        return [MorphKey.from_json(k) for k in self.keys]


_NUMBER, _WHOLE, _TEXT, _LIST = (int, float), (int,), (str,), (list,)
# What each value of a recipe file must be, when present (JSON true/false are never numbers here).
_TYPES = {"checkpoints": _LIST, "keys": _LIST, "frames": _WHOLE, "method": _TEXT, "data": _TEXT, "split": _TEXT}
_TYPES |= {"data_dir": _TEXT, "digests": _LIST, "gif": (dict,), "test_fraction": _NUMBER, "image_size": _WHOLE}
_TYPES |= {"code_digests": _LIST}
_GIF_TYPES = {"fps": _NUMBER, "scale": _WHOLE, "resample": _TEXT, "show": _TEXT}
_GIF_TYPES |= {"loop": (bool,), "pingpong": (bool,), "labels": (bool,)}


def _check_types(path: Path, blob: dict[str, Any]) -> None:
    gif = blob.get("gif")
    found = [(k, v, _TYPES[k]) for k, v in blob.items() if k in _TYPES]
    found += (
        [(f"gif.{k}", v, _GIF_TYPES[k]) for k, v in gif.items() if k in _GIF_TYPES] if isinstance(gif, dict) else []
    )
    for name, value, types in found:
        if value is None and name in ("data", "data_dir", "test_fraction", "image_size"):
            continue
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise DataError(f"{path}: invalid morph recipe: {name} is {str(value)[:40]!r}, not {types[0].__name__}")


# The numbers of a recipe pass the bounds the command line's options pass (the GIF's when its options are made).
_LIMITS = {name: LIMITS[name] for name in ("frames", "test_fraction", "image_size")}


def _check_values(path: Path, blob: dict[str, Any]) -> None:
    for name, limit in _LIMITS.items():
        if blob.get(name) is not None:
            limit.check(blob[name], f"{path}: invalid morph recipe: {name}", DataError)


def recipe_data(dataset: Dataset) -> tuple[str, str, str | None, float | None, int | None]:
    """``(data, split, data_dir, test_fraction, image_size)`` that
    :func:`~vae_explorer.core.data.load_dataset` reads ``dataset`` again from."""
    entry = builtin(dataset.name)
    idx_named = entry is not None and not entry.offline  # found in a folder: the recipe names it
    side = dataset.image_shape[1] if dataset.filenames is not None else None  # a folder's images, resized
    return dataset.name, dataset.split, dataset.source if idx_named else None, dataset.test_fraction, side


def explorer_recipe(
    keys: Sequence[MorphKey],
    frames: int,
    method: str,
    models: Sequence[LoadedModel],
    dataset: Dataset | None,
    gif: GifOptions | None = None,
) -> MorphRecipe:
    """The recipe of a morph on show: its keys and settings, the models' files (left to right) and the data."""
    if len(keys) < 2:
        raise DataError("no morph to save: choose A and B first")
    if not models or any(m.path is None for m in models):
        raise ExportError("no morph to save: the models are not loaded from files")
    data, split, data_dir, fraction, side = (
        recipe_data(dataset) if dataset is not None else (None, "test", None, None, None)
    )
    return MorphRecipe(
        checkpoints=[str(Path(m.path).resolve()) for m in models],  # type: ignore[arg-type]
        keys=[k.to_json() for k in keys],
        frames=frames,
        method=method,
        data=data,
        split=split,
        data_dir=data_dir,
        test_fraction=fraction,
        image_size=side,
        digests=[m.digest for m in models],
        gif=gif or GifOptions(),
        code_digests=[code_digest(m) for m in models],
    )


def code_digest(model: LoadedModel) -> str:
    """The digest trust was given to for a model file's code and modules; "" for a checkpoint."""
    return str(model.metadata.get(CODE_DIGEST, "")) if model.origin == "model file" else ""


def pinned(trust: TrustPolicy | None, recipe: MorphRecipe) -> TrustPolicy:
    """``trust`` with the code digests the recipe recorded pinned: other code is refused before it runs."""
    pins = {file_key(p): d for p, d in zip(recipe.checkpoints, recipe.code_digests, strict=False) if d}
    return replace(trust or TrustPolicy(), pinned=pins)


def render_recipe(
    recipe: MorphRecipe,
    device: torch.device | str = "cpu",
    dataset: Dataset | None = None,
    trust: TrustPolicy | None = None,
    notes: list[str] | None = None,
    exports: Collection[str] = (),
) -> RenderedMorph:
    """Load the recipe's models (and data, when a key is a sample) and decode its frames.

    A model file among them runs only as ``trust`` allows, and only with the code
    the recipe recorded (unless ``trust.allow_changed``). Keys naming samples are
    resolved to their indices in the recipe; ``notes`` collects what the data's
    reader wants the user to know. ``exports`` (``gif``, ``strip``) are the files to
    be written: one over its pixel budget is refused before anything is decoded.
    """
    notes = notes if notes is not None else []
    check_method(recipe.method)
    check_frames(recipe.frames, len(recipe.keys))
    loaded = [open_model(p, device, pinned(trust, recipe)) for p in recipe.checkpoints]
    for m in loaded[1:]:
        check_same_shape(m, loaded[0])
    shape = tuple(loaded[0].image_shape)
    check_budget(recipe.frames, recipe.gif.shown(len(loaded)), shape, recipe.gif, "gif" in exports, "strip" in exports)
    if dataset is None and needs_data(recipe.keys, recipe.data is not None):
        folder = named_folder(loaded) if recipe.reach is not None and recipe.data is None else None
        if folder is not None:  # the data a checkpoint's metadata names
            recipe.reach.data(str(folder[0]), named_by=f"{folder[1]}'s metadata")  # type: ignore[union-attr]
        dataset = load_named_data(
            loaded, recipe.data, recipe.split, recipe.data_dir, recipe.test_fraction, recipe.image_size
        )
        # saved with the recipe, so a replay does not depend on the metadata
        recipe.data = named_data(loaded, recipe.data)
        recipe.test_fraction = dataset.test_fraction
        notes.extend(dataset.notes)
    recipe.keys = resolve_keys(recipe.keys, dataset)
    keys = recipe.morph_keys()
    models = [MorphModel(m.short_name, m) for m in loaded]
    rendered = render_morph(models, keys, recipe.frames, recipe.method, dataset)
    rendered.changed = [str(m.path) for m, d in zip(loaded, recipe.digests, strict=False) if d and d != m.digest]
    recipe.digests = recipe.digests or [m.digest for m in loaded]
    recipe.code_digests = recipe.code_digests or [code_digest(m) for m in loaded]
    return rendered
