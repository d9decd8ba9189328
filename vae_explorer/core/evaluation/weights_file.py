"""The small networks the measures ship (the faces' factor predictor, the realism classifiers): one file each.

A file is a plain dict, its weights stored as float16 (a few hundred kilobytes),
written atomically and read as a checkpoint is: a regular file within a size
budget, its zip archive checked before ``torch.load(weights_only=True)``, its
weights refused when they hold NaN. Every failure is one :class:`CheckpointError`
line naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.checkpoint import read_weight_file, write_torch_file
from vae_explorer.core.model.checkpoint_checks import check_finite

MAX_BYTES = 16 << 20  # the shipped ones hold well under 1 MB

if TYPE_CHECKING:
    from torch import nn


def save_weights(
    path: str | Path, fmt: str, header: dict[str, Any], module: nn.Module, metadata: dict[str, Any] | None = None
) -> None:
    """Write ``module``'s weights as float16 with ``header`` (what rebuilds it) and ``metadata``, atomically."""
    blob = {
        "format": fmt,
        "format_version": 1,
        **header,
        "state_dict": {k: v.detach().cpu().half() for k, v in module.state_dict().items()},
        "metadata": dict(metadata or {}),
    }
    write_torch_file(path, blob)


def read_weights(path: str | Path, fmt: str, noun: str) -> dict[str, Any]:
    """The dict stored at ``path`` in format ``fmt``; ``noun`` names the kind of file in messages.

    Read by the one reader of weight files (:func:`~vae_explorer.core.model.checkpoint.read_weight_file`),
    within this kind of file's smaller size budget.
    """
    path = Path(path)
    blob, _ = read_weight_file(path, noun, max_bytes=MAX_BYTES)
    if not isinstance(blob, dict) or blob.get("format") != fmt:
        raise CheckpointError(f"{path}: not a vae-explorer {noun}")
    state = blob.get("state_dict")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{path}: holds no weights (state_dict is not a table of tensors)")
    check_finite(path, state)
    if not isinstance(blob.get("metadata", {}), dict):
        raise CheckpointError(f"{path}: invalid metadata (not a table of named values)")
    return blob


def load_into(path: Path, module: nn.Module, state: dict[str, torch.Tensor], noun: str) -> nn.Module:
    """``module`` with ``state`` loaded (float32), in eval mode; weights that do not fit are one line."""
    try:
        module.load_state_dict({k: v.float() for k, v in state.items()})
    except (RuntimeError, KeyError, AttributeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(f"{path}: weights do not fit the {noun} ({first})") from None
    return module.eval()
