"""One ``.pt`` file per model: format version, config, weights, metadata.

Loaded with ``torch.load(weights_only=True)``, so opening a file can never run
code, and checked before anything is built from it (sizes, config, weights,
metadata: :mod:`~vae_explorer.core.model.checkpoint_checks`); written through
:mod:`~vae_explorer.core.io.safe_write`, so a crash mid-save never destroys the
previous file.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.io.safe_read import read_input
from vae_explorer.core.io.safe_write import atomic_write
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.checkpoint_checks import (
    MAX_FILE_BYTES,
    check_archive,
    check_finite,
    check_metadata,
    check_weights,
    parse_config,
)
from vae_explorer.core.model.config import ModelConfig

FORMAT = "vae-explorer-checkpoint"
FORMAT_VERSION = 1

if TYPE_CHECKING:
    from vae_explorer.core.model.autoencoder import Autoencoder


@dataclass
class Checkpoint:
    """The contents of one checkpoint file.

    ``train_state`` (optimizer, epoch, random state) is present in files written
    by training and lets ``--resume`` continue; the explorer does not need it.
    """

    config: ModelConfig
    state_dict: dict[str, torch.Tensor]
    metadata: dict[str, Any] = field(default_factory=dict)
    train_state: dict[str, Any] | None = None
    path: Path | None = None
    digest: str = ""

    @property
    def name(self) -> str:
        return self.path.name if self.path else "(unsaved model)"

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return self.config.image_shape

    @property
    def beta(self) -> float:
        """The KL weight it was trained with (1 for a plain VAE; an AE's is not used)."""
        return float(self.metadata.get("beta", 1.0))

    def build_model(self, device: torch.device | str = "cpu") -> Autoencoder:
        """The model in eval mode on ``device``, with these weights."""
        from vae_explorer.core.model.autoencoder import build_model, on_device  # the network: needs torch

        model = build_model(self.config)
        state = {k: v.float() if v.is_floating_point() else v for k, v in self.state_dict.items()}
        try:
            model.load_state_dict(state)
        except RuntimeError as exc:
            first = str(exc).strip().splitlines()[0]
            raise CheckpointError(f"{self.path}: weights do not fit its model config ({first})") from None
        return on_device(model, torch.device(device)).eval()


def save_checkpoint(
    path: str | Path,
    model: Autoencoder,
    metadata: dict[str, Any] | None = None,
    train_state: dict[str, Any] | None = None,
    half: bool = False,
) -> None:
    """Write ``model`` atomically. ``half`` stores float weights as float16 (half the size)."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    if half:
        state = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    blob = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "config": model.config.to_dict(),
        "state_dict": state,
        "metadata": dict(metadata or {}),
    }
    if train_state is not None:
        blob["train_state"] = train_state
    write_torch_file(path, blob, "checkpoint ")


def write_torch_file(path: str | Path, blob: dict[str, Any], noun: str = "") -> None:
    """``torch.save`` of ``blob`` through the one safe write; a failure is one :class:`CheckpointError` line.

    Serialized in memory first: torch's writer reports a full disk as a RuntimeError, a write as OSError.
    ``noun`` (with its trailing space) names the kind of file in the message: ``cannot write checkpoint PATH``.
    """
    buffer = io.BytesIO()
    torch.save(blob, buffer)
    try:
        atomic_write(path, lambda fh: fh.write(buffer.getbuffer()))
    except OSError as exc:
        raise CheckpointError(f"cannot write {noun}{path}: {exc.strerror or exc}") from None


def read_weight_file(
    path: str | Path, what: str = "checkpoint", map_location: Any = "cpu", max_bytes: int = MAX_FILE_BYTES
) -> tuple[Any, bytes]:
    """The one reader of every weight file -> ``(what torch.load gives, the file's bytes)``.

    A regular file of at most ``max_bytes`` (1 GiB for a checkpoint), read once; a zip archive whose parts fit the
    file, with matching checksums; unpickled with ``weights_only=True``. Any
    failure is one :class:`CheckpointError` line naming the file and ``what`` it is.
    """
    path = Path(path)
    data = read_input(path, what, max_bytes, CheckpointError)
    if not data:
        raise CheckpointError(f"{path}: empty file, not a {what}")
    check_archive(path, data, what)
    load = torch.load  # imported here, outside the guard: torch failing to import is no fault of the file
    try:
        return load(io.BytesIO(data), map_location=map_location, weights_only=True), data
    except pickle.UnpicklingError as exc:
        if "unsupported global" in str(exc).lower():
            raise CheckpointError(f"{path}: not a vae-explorer {what} (it holds objects other than weights)") from None
        raise CheckpointError(f"{path}: not a readable {what} (truncated or corrupt)") from None
    except Exception:  # arbitrary bytes make the unpickler fail in arbitrary ways
        raise CheckpointError(f"{path}: not a readable {what} (truncated or corrupt)") from None


def load_checkpoint(path: str | Path, map_location: Any = "cpu", allow_nonfinite: bool = False) -> Checkpoint:
    """Read and validate one checkpoint; every failure is a one-line :class:`CheckpointError`.

    Nothing is built from a file before its sizes, config, weights and metadata are
    checked (:mod:`~vae_explorer.core.model.checkpoint_checks`). Weights holding NaN
    or infinity are refused unless ``allow_nonfinite`` (to inspect such a file).
    """
    path = Path(path)
    blob, data = read_weight_file(path, "checkpoint", map_location)  # read once: checked, loaded, hashed
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a vae-explorer checkpoint")
    version = blob.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: checkpoint format {version} is newer than this vae-explorer reads ({FORMAT_VERSION})"
        )
    config = parse_config(path, blob.get("config"))
    state = check_weights(path, blob.get("state_dict"), config)
    metadata = check_metadata(path, blob.get("metadata"))
    train_state = blob.get("train_state")
    if train_state is not None and not isinstance(train_state, dict):
        raise CheckpointError(f"{path}: invalid training state (not a table)")
    if not allow_nonfinite:
        check_finite(path, state)
    digest = hashlib.sha1(data).hexdigest()[:16]
    return Checkpoint(config, state, metadata, train_state, path, digest)


def load_model(path: str | Path, device: torch.device | str = "cpu") -> tuple[Autoencoder, Checkpoint]:
    """Load a checkpoint and build its model on ``device`` in eval mode."""
    ckpt = load_checkpoint(path)
    return ckpt.build_model(device), ckpt


def _shape_text(shape) -> str:
    return "x".join(map(str, shape))


class Shaped(Protocol):
    """A checkpoint or a loaded model: what the shape checks read."""

    path: Path | None
    name: str
    image_shape: tuple[int, int, int]


def check_image_shape(model: Shaped, image_shape: tuple[int, int, int], data_name: str) -> None:
    """Raise if the model was built for images of another shape than the data's."""
    want = tuple(model.image_shape)
    if want != tuple(image_shape):
        raise CheckpointError(
            f"{model.path or model.name}: model takes images of shape {_shape_text(want)}, "
            f"but {data_name} has {_shape_text(image_shape)}"
        )


def check_same_shape(model: Shaped, other: Shaped, beside: bool = False) -> None:
    """Raise if two models to be compared take images of different shapes (``beside``: ``other`` is on show)."""
    if tuple(model.image_shape) != tuple(other.image_shape):
        where = " beside it" if beside else ""
        raise CheckpointError(
            f"{model.path or model.name}: takes {_shape_text(model.image_shape)} images, but {other.name}{where} takes "
            f"{_shape_text(other.image_shape)}; both models must take images of one shape"
        )
