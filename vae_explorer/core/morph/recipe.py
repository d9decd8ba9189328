"""A morph recipe: the JSON file that says how a morph GIF was made, and makes it again.

It names the checkpoints (left to right), the data, the key images (sample
indices or image files), the frame count, the interpolation and the GIF's
settings. :func:`render_recipe` decodes the same frames from it that the explorer
or the command line showed when it was saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from PIL import Image

from vae_explorer.core.data import Dataset, load_dataset
from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.documents import read_document, write_document
from vae_explorer.core.io.images import check_scaling, gif_frame_ms, save_gif
from vae_explorer.core.model.autoencoder import kind_name
from vae_explorer.core.model.checkpoint import Checkpoint, check_same_shape, load_checkpoint
from vae_explorer.core.morph.frames import MorphFrames, morph_frames
from vae_explorer.core.morph.keys import MorphKey, check_frames, check_method, key_images
from vae_explorer.core.morph.render import morph_frame_images

if TYPE_CHECKING:
    from vae_explorer.core.session import Session

FORMAT = "vae-explorer-morph"
FORMAT_VERSION = 1
SHOW = ("both", "left", "right")


@dataclass
class GifOptions:
    """How a morph becomes a GIF: speed, size, looping, which models, frame labels."""

    fps: float = 20.0
    scale: int = 4
    resample: str = "nearest"
    loop: bool = True
    pingpong: bool = False
    show: str = "both"  # both side by side, or only the left / right model
    labels: bool = False

    def check(self) -> GifOptions:
        gif_frame_ms(self.fps)
        check_scaling(self.scale, self.resample)
        if self.show not in SHOW:
            raise ExportError(f"unknown choice of models {self.show!r}: use {', '.join(SHOW)}")
        return self


@dataclass
class MorphRecipe:
    """Everything that decides a morph's frames, and the GIF made of them.

    ``checkpoints`` left to right (one or two); ``keys`` sample indices (int) or
    image files (str), A first and B last; ``digests`` the checkpoints' content
    hashes when saved, to notice a file that changed since.
    """

    checkpoints: list[str]
    keys: list[int | str]
    frames: int
    method: str
    data: str | None = None
    split: str = "test"
    data_dir: str | None = None
    digests: list[str] = field(default_factory=list)
    gif: GifOptions = field(default_factory=GifOptions)

    def to_json(self) -> dict[str, Any]:
        blob = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        return blob

    def save(self, path: str | Path) -> Path:
        return write_document(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path, allow_outside_keys: bool = False) -> MorphRecipe:
        """Read a recipe; relative paths in it are relative to the recipe's folder.

        A shared recipe must not pull any image on the machine into a GIF: key
        image files must lie in the recipe's folder (or below it, links followed)
        unless ``allow_outside_keys``.
        """
        path = Path(path)
        blob = read_document(path, FORMAT, FORMAT_VERSION, "morph recipe")
        base = path.resolve().parent

        def local(p: str) -> str:
            return str(p if Path(p).is_absolute() else base / p)

        def key(k: Any) -> int | str:
            if isinstance(k, int) and not isinstance(k, bool):
                return k
            file = local(str(k))
            if not allow_outside_keys and not Path(file).resolve().is_relative_to(base):
                raise DataError(
                    f"{path}: key image {str(k)[:80]!r} lies outside the recipe's folder; "
                    "replay it with --allow-outside-keys only if you trust the recipe"
                )
            return file

        _check_types(path, blob)
        try:
            keys = blob["keys"]
            recipe = cls(
                checkpoints=[local(str(p)) for p in blob["checkpoints"]],
                keys=[key(k) for k in keys],
                frames=int(blob["frames"]),
                method=str(blob["method"]),
                data=blob.get("data"),
                split=str(blob.get("split", "test")),
                data_dir=blob.get("data_dir"),
                digests=[str(d) for d in blob.get("digests", [])],
                gif=GifOptions(**blob.get("gif", {})),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise DataError(f"{path}: incomplete morph recipe ({exc.__class__.__name__}: {exc})") from None
        if not 1 <= len(recipe.checkpoints) <= 2:
            raise DataError(f"{path}: a recipe names one or two checkpoints, not {len(recipe.checkpoints)}")
        return recipe

    def morph_keys(self) -> list[MorphKey]:
        return [MorphKey.from_json(k) for k in self.keys]


_NUMBER, _WHOLE, _TEXT, _LIST = (int, float), (int,), (str,), (list,)
# What each value of a recipe file must be, when present (JSON true/false are never numbers here).
_TYPES = {"checkpoints": _LIST, "keys": _LIST, "frames": _WHOLE, "method": _TEXT, "data": _TEXT, "split": _TEXT}
_TYPES |= {"data_dir": _TEXT, "digests": _LIST, "gif": (dict,)}
_GIF_TYPES = {"fps": _NUMBER, "scale": _WHOLE, "resample": _TEXT, "show": _TEXT}
_GIF_TYPES |= {"loop": (bool,), "pingpong": (bool,), "labels": (bool,)}


def _check_types(path: Path, blob: dict[str, Any]) -> None:
    gif = blob.get("gif")
    found = [(k, v, _TYPES[k]) for k, v in blob.items() if k in _TYPES]
    found += (
        [(f"gif.{k}", v, _GIF_TYPES[k]) for k, v in gif.items() if k in _GIF_TYPES] if isinstance(gif, dict) else []
    )
    for name, value, types in found:
        if value is None and name in ("data", "data_dir"):
            continue
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise DataError(f"{path}: invalid morph recipe: {name} is {str(value)[:40]!r}, not {types[0].__name__}")


@dataclass
class RenderedMorph:
    """A recipe's frames: one :class:`MorphFrames` per model, left to right, and the models' titles."""

    titles: list[str]
    results: list[MorphFrames]
    changed: list[str]  # checkpoints whose content differs from the recipe's digests

    def rows(self, show: str = "both") -> list[np.ndarray]:
        rows = [r.images for r in self.results]
        if show == "left" or (show == "right" and len(rows) == 1):
            return rows[:1]
        return rows[1:] if show == "right" else rows

    def row_titles(self, show: str = "both") -> list[str]:
        return self.titles[:1] if show == "left" else (self.titles[-1:] if show == "right" else self.titles)


def data_spec(dataset: Dataset) -> tuple[str, str, str | None]:
    """``(data, split, data_dir)`` that :func:`~vae_explorer.core.data.load_dataset` reads ``dataset`` again from."""
    idx_named = dataset.name in ("fashion-mnist", "mnist")
    return dataset.name, dataset.split, dataset.source if idx_named else None


def session_recipe(session: Session, gif: GifOptions | None = None) -> MorphRecipe:
    """The recipe of the explorer's morph: its loaded checkpoints, data, keys and settings."""
    state = session.morph
    if not state.ready:
        raise DataError("no morph to save: choose A and B first")
    ckpts = [s.checkpoint for s in session.slots.values() if s.checkpoint is not None]
    if not ckpts or any(c.path is None for c in ckpts):
        raise ExportError("no morph to save: the models are not loaded from files")
    data, split, data_dir = data_spec(session.dataset) if session.dataset is not None else (None, "test", None)
    return MorphRecipe(
        checkpoints=[str(Path(c.path).resolve()) for c in ckpts],  # type: ignore[arg-type]
        keys=[k.to_json() for k in state.chain()],
        frames=state.frames,
        method=state.method,
        data=data,
        split=split,
        data_dir=data_dir,
        digests=[c.digest for c in ckpts],
        gif=gif or GifOptions(),
    )


def model_title(ck: Checkpoint) -> str:
    """A model's name in frame labels: ``AE``, ``VAE``, ``beta-VAE 4``."""
    return kind_name(ck.config.kind, ck.beta, parens=False)


def render_recipe(
    recipe: MorphRecipe, device: torch.device | str = "cpu", dataset: Dataset | None = None
) -> RenderedMorph:
    """Load the recipe's models (and data, when a key is a sample) and decode its frames."""
    check_method(recipe.method)
    check_frames(recipe.frames, len(recipe.keys))
    recipe.gif.check()
    ckpts = [load_checkpoint(p, device) for p in recipe.checkpoints]
    for ck in ckpts[1:]:
        check_same_shape(ck, ckpts[0])
    keys = recipe.morph_keys()
    if dataset is None and any(k.index is not None for k in keys):
        spec = recipe.data or str(ckpts[-1].metadata.get("data") or "")
        if not spec:
            raise DataError(f"{ckpts[-1].path}: its metadata names no data set; give --data")
        dataset = load_dataset(spec, recipe.split, recipe.data_dir)
        recipe.data = spec  # saved with the recipe, so a replay does not depend on the metadata
    images = key_images(keys, dataset, tuple(ckpts[0].config.image_shape))  # type: ignore[arg-type]
    results, titles = [], []
    for ck in ckpts:
        model = ck.build_model(device)
        results.append(morph_frames(model, images, recipe.frames, recipe.method))
        titles.append(model_title(ck))
    changed = [str(ck.path) for ck, d in zip(ckpts, recipe.digests, strict=False) if d and d != ck.digest]
    recipe.digests = recipe.digests or [ck.digest for ck in ckpts]
    return RenderedMorph(titles, results, changed)


def write_gif(path: str | Path, rendered: RenderedMorph, options: GifOptions) -> Path:
    """The morph as an animated GIF with ``options``."""
    options.check()
    frames: list[Image.Image] = morph_frame_images(
        rendered.rows(options.show),
        options.scale,
        options.resample,
        rendered.row_titles(options.show),
        options.labels,
    )
    return save_gif(path, frames, options.fps, options.loop, options.pingpong)
