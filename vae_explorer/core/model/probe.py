"""Trying a model on a few images before it is shown: shapes, value ranges and finiteness.

A model that fits its file can still not fit its use: its weights may compute
NaN, a user's decoder may return logits while declaring probabilities, or fail
on a batch of one image (what a cursor decodes). Each is one line naming the
file, said before the model replaces anything on show.
"""

from __future__ import annotations

import hashlib

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, ModelFileError, VaeExplorerError
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.lazy import inference_mode, torch
from vae_explorer.core.model.checkpoint import check_image_shape
from vae_explorer.core.model.loaded import LoadedModel

PROBE_IMAGES = 64  # images a model encodes and decodes before it may be shown
TOLERANCE = 1e-3  # how far outside [0, 1] a probability may stray (rounding in a sigmoid)


def noise_images(image_shape: tuple[int, int, int], n: int = 8, seed: int = 0) -> np.ndarray:
    """``uint8 (n, C, H, W)`` random images, the same for a seed: a probe that needs no data."""
    return np.random.default_rng(seed).integers(0, 256, (n, *image_shape), dtype=np.uint8)


def _finite(model: LoadedModel, t: torch.Tensor | None, what: str, where: str) -> None:
    if t is not None and not bool(torch.isfinite(t).all()):
        raise CheckpointError(f"{model.path or model.name}: {what} holds NaN or infinite values on {where}")


@inference_mode
def probe_model(model: LoadedModel, images: np.ndarray, where: str) -> bytes:
    """Encode ``images: uint8 (n, C, H, W)`` and decode their codes, all at once and one alone; check the results.

    Returns a hash of the outputs (the same for the same model and images).
    Raises a one-line :class:`CheckpointError` (:class:`ModelFileError` for what a
    model file declares wrongly); ``where`` names the images in it.
    """
    try:
        x = to_float(torch.from_numpy(np.ascontiguousarray(images)).to(model.device))
        mu, logvar = model.encode(x)
        decoded = model.decode(mu)
        model.decode(model.encode(x[:1])[0])  # a cursor decodes one code at a time
    except VaeExplorerError:
        raise
    except Exception as exc:  # noqa: BLE001 - weights that fit the config but cannot run
        who = model.path or model.name
        raise CheckpointError(f"{who}: fails on {where} ({exc.__class__.__name__}: {exc})") from exc
    _finite(model, mu, "the codes it encodes (mu)", where)
    _finite(model, logvar, "the codes it encodes (logvar)", where)
    _finite(model, decoded, "what it decodes", where)
    if model.output == "probabilities":
        low, high = float(decoded.min()), float(decoded.max())
        if low < -TOLERANCE or high > 1 + TOLERANCE:
            raise ModelFileError(
                f"{model.path or model.name}: decode returns values from {low:.3g} to {high:.3g} on {where}, outside "
                "[0, 1], but the model declares output='probabilities'; declare output='logits' if they are logits"
            )
    h = hashlib.sha256()
    for t in (mu, logvar, decoded):
        if t is not None:
            h.update(t.detach().cpu().numpy().tobytes())
    return h.digest()


def check_on_data(model: LoadedModel, data: Dataset, data_name: str | None = None) -> None:
    """The model takes the data's images and works on the first of them; else one line naming the file."""
    name = data_name or data.name
    check_image_shape(model, data.image_shape, name)
    if len(data):
        probe_model(model, data.images[:PROBE_IMAGES], name)
