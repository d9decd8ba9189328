"""A model handed over from Python (a module still training, a loaded checkpoint) as the explorer's model.

What ``vae_explorer.view(ae=..., vae=...)`` takes besides a file. An object passed in is
the caller's own code, so it runs without being asked about. It is copied first: the
explorer's workers then never read weights that a training loop is changing, and the
caller's module keeps its own device and training mode. Every message names the argument.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import torch

from vae_explorer.core.errors import CheckpointError, ModelFileError
from vae_explorer.core.model.checkpoint import Checkpoint
from vae_explorer.core.model.loaded import LoadedModel, from_checkpoint
from vae_explorer.core.model.opening import network_model
from vae_explorer.core.model.probe import probe_model
from vae_explorer.core.model.wrap import wrap

PROTOCOL_HINT = "give a module with encode() and decode(), a checkpoint or model file, or a loaded checkpoint"


def is_live_model(value: Any) -> bool:
    """Whether ``value`` is a model object rather than the path of a checkpoint or model file."""
    return not isinstance(value, str | Path)


def class_name(obj: Any) -> str:
    """The class of the module inside: ``Tiny`` for a ``Tiny`` module, and for ``vae_explorer.wrap(Tiny())``."""
    return type(getattr(obj, "module", obj)).__name__


def live_model(
    obj: Any,
    argument: str,
    device: torch.device | str = "cpu",
    image_shape: tuple[int, int, int] | None = None,
    images: np.ndarray | None = None,
) -> LoadedModel:
    """``obj`` as a model to show, tried on random images and on ``images`` (``uint8 (n, C, H, W)``) when given.

    ``obj``: a :class:`LoadedModel` (as it is), a :class:`Checkpoint` (built on ``device``),
    or any object with ``encode`` and ``decode`` (a snapshot of it). One without
    ``image_shape`` takes ``image_shape``, the data's. Raises a one-line
    :class:`CheckpointError` naming ``argument`` (``ae``, ``vae``), also for images of another shape.
    """
    if isinstance(obj, LoadedModel | Checkpoint):
        model = obj if isinstance(obj, LoadedModel) else from_checkpoint(obj, device)
        if images is not None and model.image_shape == images.shape[1:]:
            probe_model(model, images, "the images given")
        return model
    for method in ("encode", "decode"):
        if not callable(getattr(obj, method, None)):
            raise ModelFileError(f"{argument}: a {type(obj).__name__} has no {method}() method; {PROTOCOL_HINT}")
    try:
        snapshot = copy.deepcopy(obj)
    except Exception as exc:  # noqa: BLE001 - whatever the caller's object holds that cannot be copied
        raise CheckpointError(f"{argument}: cannot be copied ({exc.__class__.__name__}: {exc})") from exc
    if getattr(snapshot, "image_shape", None) is None and image_shape is not None:
        snapshot = wrap(snapshot, image_shape)  # codes of (N, d, 1, 1), images decoded flat: reshaped
    who = f"{argument} ({class_name(obj)})"
    digest = hashlib.sha256(f"python:{class_name(obj)}".encode()).hexdigest()
    return network_model(snapshot, Path(who), device, who, None, {}, digest, images)
