"""A run's history for replay (``train --history``): per epoch the test metrics and the codes of fixed test images.

For a model with a 2-D latent, each epoch's record in ``metadata["history"]``
gains ``"mu"``: the codes (mu) of the same :data:`HISTORY_IMAGES` test images, as
float16 (little-endian) in base64, about 2.7 kB per epoch. ``metadata["history_codes"]``
says which images: their rows in the test split and their labels. The explorer
replays these epoch by epoch to show the KL term pulling the clouds together.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.lazy import inference_mode, torch
from vae_explorer.core.training.preview import fixed_subset

HISTORY_IMAGES = 500
SUBSET_SEED = 15

if TYPE_CHECKING:
    from vae_explorer.core.model.autoencoder import Autoencoder


def pack_codes(mu: np.ndarray) -> str:
    """``(n, d)`` codes -> base64 text of their float16 values, little-endian, row by row."""
    return base64.b64encode(np.asarray(mu, dtype="<f2").tobytes()).decode("ascii")


def unpack_codes(text: str, n: int, dims: int = 2) -> np.ndarray:
    """:func:`pack_codes`'s text -> ``(n, dims) float32``; ``ValueError`` if it holds another number of values."""
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) != n * dims * 2:
        raise ValueError(f"{len(raw) // 2} values stored, {n * dims} expected")
    return np.frombuffer(raw, dtype="<f2").astype(np.float32).reshape(n, dims)


def history_images(test: Dataset, latent_dim: int) -> dict[str, Any]:
    """``metadata["history_codes"]``: which test images the epochs' codes are of (none unless 2-D)."""
    idx = fixed_subset(len(test), HISTORY_IMAGES, SUBSET_SEED)
    return {
        "split": "test",
        "indices": idx.tolist(),
        "labels": None if test.labels is None else test.labels[idx].tolist(),
        "dtype": "float16",
        "dims": 2 if latent_dim == 2 else 0,
    }


@inference_mode
def epoch_codes(model: Autoencoder, x_test: torch.Tensor, record: dict[str, Any]) -> str | None:
    """The packed codes of ``record``'s images (``x_test``: the test split on the model's device), or ``None``."""
    if not record["dims"]:
        return None
    was_training = model.training
    model.eval()
    idx = torch.as_tensor(record["indices"], dtype=torch.long, device=x_test.device)
    mu, _ = model.encode(to_float(x_test[idx]))
    model.train(was_training)
    return pack_codes(mu.float().cpu().numpy())


@dataclass
class LatentHistory:
    """A run's replay: ``codes (E, n, 2) float32`` of test images ``indices (n,)`` at ``epochs (E,)``.

    ``labels`` is ``(n,) int64`` or ``None``; ``metrics[e]`` the test metrics after epoch ``epochs[e]``.
    """

    indices: np.ndarray
    labels: np.ndarray | None
    epochs: np.ndarray
    codes: np.ndarray
    metrics: list[dict[str, Any]] = field(default_factory=list)


def read_history(metadata: dict[str, Any]) -> LatentHistory | None:
    """The replay stored by ``train --history`` for a 2-D model, or ``None`` (none stored, or unreadable)."""
    record = metadata.get("history_codes")
    history = metadata.get("history")
    if not isinstance(record, dict) or record.get("dims") != 2 or not isinstance(history, list):
        return None
    try:
        indices = np.asarray(record["indices"], dtype=np.int64)
        labels = None if record.get("labels") is None else np.asarray(record["labels"], dtype=np.int64)
        rows = [h for h in history if isinstance(h, dict) and isinstance(h.get("mu"), str)]
        codes = (
            np.stack([unpack_codes(h["mu"], len(indices)) for h in rows]) if rows else np.zeros((0, len(indices), 2))
        )
        epochs = np.asarray([int(h["epoch"]) for h in rows], dtype=np.int64)
        metrics = [dict(h.get("test") or {}) for h in rows]
    except (KeyError, TypeError, ValueError):
        return None
    return LatentHistory(indices, labels, epochs, codes.astype(np.float32), metrics)
