"""What a checkpoint file may declare, checked before anything is built from it.

A checkpoint is untrusted input: its archive may declare more bytes than the file
holds (a compressed bomb), its config may ask for a model of many gigabytes, its
weights may not fit that config or may hold NaN, and its metadata may hold values
of any type. Each check here reads only what was loaded and raises a one-line
:class:`CheckpointError` naming the file and the value; the model the config
describes is planned on PyTorch's ``meta`` device, which allocates nothing.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.config import KINDS, ModelConfig

MiB = 1 << 20
MAX_FILE_BYTES = 1024 * MiB  # the largest config the limits below allow stores far less
MAX_PICKLE_BYTES = 32 * MiB  # the non-tensor part: config, metadata, history (a few KB in practice)
MAX_ENTRIES = 10_000
MAX_LATENT_DIM = 65_536
MAX_HIDDEN = 65_536
MAX_WIDTH = 4_096
MAX_STAGES = 8


def check_archive(path: Path, data: bytes, what: str = "checkpoint") -> None:
    """The zip archive of a weight file (``what``: a checkpoint): sizes that fit the file, and checksums that match.

    vae-explorer (and ``torch.save``) stores tensors uncompressed, so contents that
    unpack to more bytes than the file holds are refused before anything is
    unpacked. ``torch.load`` does not verify checksums; a flipped byte in the
    weights would otherwise load.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            declared = sum(i.file_size for i in infos)
            pickles = sum(i.file_size for i in infos if i.filename.endswith(".pkl"))
            if len(infos) > MAX_ENTRIES or declared > len(data) or pickles > MAX_PICKLE_BYTES:
                raise CheckpointError(
                    f"{path}: declares {declared / MiB:,.1f} MiB in {len(infos):,} parts in a file of "
                    f"{len(data) / MiB:,.1f} MiB; not a {what} vae-explorer reads (its weight files are not compressed)"
                )
            damaged = archive.testzip()
    except CheckpointError:
        raise
    except Exception:  # BadZipFile, EOFError, ValueError; a damaged header can make the reader fail other ways
        raise CheckpointError(f"{path}: not a readable {what} (truncated or corrupt)") from None
    if damaged is not None:
        raise CheckpointError(f"{path}: not a readable {what} (corrupt: checksum mismatch in {damaged})")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _shown(v: Any) -> str:
    text = repr(v)
    return f"{text[:40]}..." if len(text) > 40 else text


def _whole(path: Path, name: str, v: Any, low: int, high: int) -> int:
    if not _is_int(v):
        raise CheckpointError(f"{path}: invalid model config: {name} is {_shown(v)}, not a whole number")
    if not low <= v <= high:
        raise CheckpointError(f"{path}: invalid model config: {name} {v:,} is out of range ({low:,} to {high:,})")
    return v


def parse_config(path: Path, raw: Any) -> ModelConfig:
    """The model config of a checkpoint, every value type- and range-checked."""
    if not isinstance(raw, dict):
        raise CheckpointError(f"{path}: invalid model config (not a table of settings)")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise CheckpointError(f"{path}: invalid model config: kind is {_shown(kind)}, not one of {', '.join(KINDS)}")
    shape = raw.get("image_shape")
    if not isinstance(shape, list | tuple) or len(shape) != 3:
        raise CheckpointError(f"{path}: invalid model config: image_shape is {_shown(shape)}, not [C, H, W]")
    c = _whole(path, "image channels", shape[0], 1, 3)
    if c == 2:
        raise CheckpointError(f"{path}: invalid model config: images have 1 (grey) or 3 (colour) channels, not 2")
    h, w = (_whole(path, "image side", s, 4, 256) for s in shape[1:])
    widths = raw.get("widths", [32, 64])
    if not isinstance(widths, list | tuple) or not 1 <= len(widths) <= MAX_STAGES:
        raise CheckpointError(
            f"{path}: invalid model config: widths is {_shown(widths)}, not a list of 1 to {MAX_STAGES} widths"
        )
    norm = raw.get("norm", False)
    if not isinstance(norm, bool):
        raise CheckpointError(f"{path}: invalid model config: norm is {_shown(norm)}, not true or false")
    return ModelConfig(
        kind=kind,
        image_shape=(c, h, w),
        latent_dim=_whole(path, "latent_dim", raw.get("latent_dim"), 1, MAX_LATENT_DIM),
        widths=tuple(_whole(path, "a conv width", v, 1, MAX_WIDTH) for v in widths),
        hidden=_whole(path, "hidden", raw.get("hidden", 0), 0, MAX_HIDDEN),
        norm=norm,
    )


def planned_weights(config: ModelConfig) -> dict[str, tuple[tuple[int, ...], torch.dtype]]:
    """Name -> (shape, dtype) of every tensor the model of ``config`` has, without allocating it."""
    from vae_explorer.core.model.autoencoder import Autoencoder  # the network: needs torch

    with torch.device("meta"):
        model = Autoencoder(config)
    return {name: (tuple(t.shape), t.dtype) for name, t in model.state_dict().items()}


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) or "a scalar"


def check_weights(path: Path, state: Any, config: ModelConfig) -> dict[str, torch.Tensor]:
    """The weights, which must be exactly the tensors ``config``'s model has: same names, shapes, kinds."""
    if not isinstance(state, dict):
        raise CheckpointError(f"{path}: holds no weights (state_dict is not a table of tensors)")
    plan = planned_weights(config)
    extra = [k for k in state if k not in plan]
    if extra:
        raise CheckpointError(
            f"{path}: weights do not fit its model config "
            f"({len(extra)} tensors it has no place for, first {extra[0]!r})"
        )
    missing = [k for k in plan if k not in state]
    if missing:
        raise CheckpointError(
            f"{path}: weights do not fit its model config ({len(missing)} tensors missing, first {missing[0]!r})"
        )
    for name, (shape, dtype) in plan.items():
        t = state[name]
        if not isinstance(t, torch.Tensor) or t.layout != torch.strided:
            raise CheckpointError(f"{path}: weights do not fit its model config ({name} is not a dense tensor)")
        if tuple(t.shape) != shape:
            raise CheckpointError(
                f"{path}: weights do not fit its model config ({name} is {_shape(tuple(t.shape))}, "
                f"the config needs {_shape(shape)})"
            )
        if t.is_floating_point() != dtype.is_floating_point or t.is_complex():
            raise CheckpointError(f"{path}: weights do not fit its model config ({name} holds {t.dtype} values)")
    return dict(state)


def check_finite(path: Path, state: dict[str, torch.Tensor]) -> None:
    """Refuse weights holding NaN or infinity: such a model decodes every code to a blank image."""
    for name, t in state.items():
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            raise CheckpointError(
                f"{path}: its weights hold NaN or infinite values (first in {name}); "
                "it was saved from a run that diverged and cannot decode images"
            )


def _is_text(v: Any) -> bool:
    return isinstance(v, str)


def _is_count(v: Any) -> bool:
    return _is_int(v) and v >= 0


def _is_beta(v: Any) -> bool:
    return _is_number(v) and math.isfinite(v) and v >= 0


def _is_numbers(v: Any) -> bool:
    return isinstance(v, list) and all(_is_number(x) for x in v)


def _is_metrics(v: Any) -> bool:
    """``{"recon": 12.3, "kl_per_dim": [0.1, ...]}``: names to numbers or lists of numbers."""
    return isinstance(v, dict) and all(isinstance(k, str) and (_is_number(x) or _is_numbers(x)) for k, x in v.items())


def _is_history(v: Any) -> bool:
    return isinstance(v, list) and all(
        isinstance(h, dict)
        and _is_count(h.get("epoch", 0))
        and all(_is_metrics(h.get(k, {})) for k in ("train", "test"))
        for h in v
    )


# The metadata keys vae-explorer reads, with what each must be; other keys are kept as they are.
METADATA = {
    "data": (_is_text, "text"),
    "data_source": (_is_text, "text"),
    "label_names": (lambda v: isinstance(v, list) and all(map(_is_text, v)), "a list of names"),
    "n_train": (_is_count, "a count"),
    "n_test": (_is_count, "a count"),
    "beta": (_is_beta, "a finite number of 0 or more"),
    "beta_warmup": (lambda v: _is_number(v) and math.isfinite(v) and v >= 0, "a number of epochs"),
    "epochs": (_is_count, "a count"),
    "epochs_planned": (_is_count, "a count"),
    "batch_size": (_is_count, "a count"),
    "lr": (_is_number, "a number"),
    "lr_schedule": (_is_text, "text"),
    "seed": (_is_int, "a whole number"),
    "device": (_is_text, "text"),
    "train": (_is_metrics, "a table of metrics"),
    "test": (_is_metrics, "a table of metrics"),
    "history": (_is_history, "a list of epochs' metrics"),
    "train_seconds": (lambda v: _is_number(v) and v >= 0, "a number of seconds"),
    "created": (_is_text, "text"),
    "weights": (_is_text, "text"),
    "version": (_is_text, "text"),
}


def check_metadata(path: Path, raw: Any) -> dict[str, Any]:
    """The metadata table, with every key vae-explorer reads of the type it reads it as."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise CheckpointError(f"{path}: invalid metadata (not a table of named values)")
    for key, (ok, noun) in METADATA.items():
        if key in raw and not ok(raw[key]):
            raise CheckpointError(f"{path}: invalid metadata: {key} is {_shown(raw[key])}, not {noun}")
    return dict(raw)
