"""Opening any model the explorer shows: a checkpoint, or a user's model file when it is trusted.

Every command and the window open models here, and get a
:class:`~vae_explorer.core.model.loaded.LoadedModel` either way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.io.trust import TrustPolicy
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.checkpoint import check_image_shape, load_checkpoint
from vae_explorer.core.model.loaded import LoadedModel, from_checkpoint
from vae_explorer.core.model.probe import noise_images, probe_model
from vae_explorer.core.model.user_model import (
    is_model_file,
    parameter_count,
    place,
    read_declarations,
    read_model_file,
    run_model_file,
    weights_hash,
)
from vae_explorer.core.model.user_network import UserNetwork

CODE_DIGEST = "code_sha256"  # metadata of a model file: the digest trust was given to (the file and its modules)


def load_user_model(
    path: str | Path, device: torch.device | str = "cpu", trust: TrustPolicy | None = None
) -> LoadedModel:
    """Run a trusted model file, check its model on random images, and return it on ``device``.

    Raises a one-line :class:`~vae_explorer.core.errors.ModelFileError` when ``trust``
    does not allow the file's content (no ``trust``: nothing is allowed), or when the
    model is not what a model file promises. Its ``digest`` covers the file, the modules
    beside it and the model's weights, so caches and saved vectors notice new code and retrained weights.
    """
    source = read_model_file(path)
    (trust or TrustPolicy()).check(source.path, source.digest)
    obj = run_model_file(source)
    metadata: dict[str, object] = {"sha256": source.sha256, CODE_DIGEST: source.digest}
    return network_model(obj, source.path, device, source.path.name, source.path, metadata, source.digest)


def network_model(
    obj: Any,
    who: Path,
    device: torch.device | str,
    name: str,
    path: Path | None,
    metadata: dict[str, object],
    code_digest: str,
    images: np.ndarray | None = None,
) -> LoadedModel:
    """An object with ``image_shape``, ``encode`` and ``decode`` as the explorer's model, tried before it is shown.

    ``who`` names it in every message (the model file, or the argument it was given as);
    ``name`` is what the window calls it unless it declares a name. It is tried on random
    images, and on ``images`` (``uint8 (n, C, H, W)``) when given. Its ``digest`` joins
    ``code_digest`` and its weights.
    """
    declared = read_declarations(obj, who)
    obj, where = place(obj, torch.device(device), who)
    net = UserNetwork(obj, who, declared, where)
    noise = noise_images(declared.image_shape)
    with torch.inference_mode():
        net.encode(to_float(torch.from_numpy(noise[:2]).to(where)))  # learns whether it is a VAE, and d
    if declared.data:
        metadata["data"] = declared.data
    if (count := parameter_count(obj)) is not None:
        metadata["parameters"] = count
    model = LoadedModel(
        net=net,  # type: ignore[arg-type]
        name=declared.name or name,
        short_name=declared.name or Path(name).stem,
        path=path,
        digest="",
        kind="vae" if net.is_vae else "ae",
        metadata=metadata,
        origin="model file" if path is not None else "Python",
    )
    outputs = probe_model(model, noise, "random test images")
    if images is not None and len(images):
        check_image_shape(model, images.shape[1:], "the data")
        outputs += probe_model(model, images, "the images given")
    weights = weights_hash(obj, who) or outputs
    model.digest = hashlib.sha256(code_digest.encode() + weights).hexdigest()[:16]
    return model


def open_model(path: str | Path, device: torch.device | str = "cpu", trust: TrustPolicy | None = None) -> LoadedModel:
    """A checkpoint (weights only, never needs trust) or a model file (``.py``, only as ``trust`` allows)."""
    if is_model_file(path):
        return load_user_model(path, device, trust)
    return from_checkpoint(load_checkpoint(path, device), device)
