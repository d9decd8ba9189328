"""A small CNN classifier per data set, shipped as the ruler of realism: its penultimate layer is the feature space.

How realistic decoded images are is measured as FID is (Heusel et al. 2017): the
Frechet distance between Gaussians fitted to the features of the decoded images
and of held-out data (:mod:`.frechet`). The features are the classifier's hidden
layer after its ReLU, never its confidence: a classifier is confident on blobs.

Stride-2 convolutions take the image down to at most 4x4 (28 -> 14 -> 7 -> 4,
8 -> 4), then one hidden layer. Shapes: images ``(n, C, H, W)`` (uint8, or float
in [0, 1]); features ``(n, hidden)``; logits ``(n, classes)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.model.shipped import checkpoints_dir

from .weights_file import load_into, read_weights, save_weights

FORMAT = "vae-explorer-realism-classifier"
NOUN = "realism classifier"
WIDTHS = (16, 32, 64)
FINAL_SIDE = 4
# The shipped ruler of each built-in data set; the faces use their factor predictor (see ``realism``).
SHIPPED = {"fashion-mnist": "fashion-classifier.pt", "digits": "digits-classifier.pt"}


@dataclass(frozen=True)
class ClassifierConfig:
    """What builds a classifier: ``image_shape (C, H, W)``, the class names, the conv widths and the hidden size."""

    image_shape: tuple[int, int, int]
    classes: tuple[str, ...]
    widths: tuple[int, ...] = WIDTHS
    hidden: int = 64

    @property
    def stages(self) -> int:
        """How many stride-2 convolutions bring the larger side to at most :data:`FINAL_SIDE`."""
        side, n = max(self.image_shape[1:]), 0
        while side > FINAL_SIDE:
            side, n = (side + 1) // 2, n + 1
        return n


class ImageClassifier(nn.Module):
    """Images ``float (n, C, H, W)`` in [0, 1] -> logits ``(n, classes)``; :meth:`features` -> ``(n, hidden)``."""

    def __init__(self, config: ClassifierConfig) -> None:
        super().__init__()
        self.config = config
        c, h, w = config.image_shape
        layers: list[nn.Module] = []
        cin = c
        for k in range(config.stages):
            cout = config.widths[min(k, len(config.widths) - 1)]
            layers += [nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.ReLU(inplace=True)]
            cin, h, w = cout, (h + 1) // 2, (w + 1) // 2
        layers += [nn.Flatten(), nn.Linear(cin * h * w, config.hidden), nn.ReLU(inplace=True)]
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(config.hidden, len(config.classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def as_float(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    """uint8 images -> float in [0, 1]; float images as they are (a decoder's pixel means)."""
    x = torch.as_tensor(np.asarray(images)) if not torch.is_tensor(images) else images
    return x.float() / 255.0 if x.dtype == torch.uint8 else x.float()


@torch.inference_mode()
def classify(model: ImageClassifier, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """The most likely class of each of ``images (n, C, H, W)`` -> ``(n,) int64``."""
    out = [model(as_float(images[s : s + batch_size])).argmax(dim=1) for s in range(0, len(images), batch_size)]
    return torch.cat(out).numpy() if out else np.zeros(0, np.int64)


def accuracy(model: ImageClassifier, images: np.ndarray, labels: np.ndarray) -> float:
    """The share of ``images`` whose most likely class is their label."""
    return float(np.mean(classify(model, images) == np.asarray(labels)))


# -- the shipped files --------------------------------------------------------------------------------
def save_classifier(path: str | Path, model: ImageClassifier, metadata: dict[str, Any] | None = None) -> None:
    """Write the classifier atomically, its weights as float16."""
    cfg = model.config
    header = {
        "image_shape": list(cfg.image_shape),
        "classes": list(cfg.classes),
        "widths": list(cfg.widths),
        "hidden": cfg.hidden,
    }
    save_weights(path, FORMAT, header, model, metadata)


def _is_whole(v: Any, low: int, high: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _config(path: Path, blob: dict[str, Any]) -> ClassifierConfig:
    """The config a file declares, every value range-checked before a layer is built from it."""
    shape, classes, widths, hidden = (blob.get(k) for k in ("image_shape", "classes", "widths", "hidden"))
    ok = (
        isinstance(shape, list)
        and len(shape) == 3
        and _is_whole(shape[0], 1, 3)
        and all(_is_whole(s, 4, 256) for s in shape[1:])
        and isinstance(classes, list)
        and 2 <= len(classes) <= 1000
        and all(isinstance(c, str) for c in classes)
        and isinstance(widths, list)
        and 1 <= len(widths) <= 8
        and all(_is_whole(v, 1, 512) for v in widths)
        and _is_whole(hidden, 1, 4096)
    )
    if not ok:
        raise CheckpointError(f"{path}: invalid {NOUN} config (image shape, classes, widths or hidden size)")
    return ClassifierConfig(tuple(shape), tuple(classes), tuple(widths), hidden)  # type: ignore[arg-type]


def load_classifier(path: str | Path) -> tuple[ImageClassifier, dict[str, Any]]:
    """A realism classifier in eval mode on the CPU, and its metadata; any failure is one line."""
    path = Path(path)
    blob = read_weights(path, FORMAT, NOUN)
    model = load_into(path, ImageClassifier(_config(path, blob)), blob["state_dict"], NOUN)
    return model, dict(blob.get("metadata") or {})  # type: ignore[return-value]


def shipped_classifier_path(data_name: str) -> Path | None:
    """The shipped classifier file of a built-in data set (``fashion-mnist``, ``digits``), or ``None``."""
    name = SHIPPED.get(data_name.strip().lower())
    return checkpoints_dir() / name if name else None
