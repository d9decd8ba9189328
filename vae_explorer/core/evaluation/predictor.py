"""A small CNN that reads every factor of a generated face off its pixels: the ruler for vectors.

It is trained once on the built-in faces (their train split; blurred copies too,
so that the softer images a decoder draws read right) and shipped as a float16
file of a few hundred kilobytes. Continuous factors are read as a fraction of
their range, binary ones as a probability, categorical ones as a probability per
level.

Shapes: images ``(n, 3, H, W)`` (uint8, or float in [0, 1]); readings ``(n, k)``
with ``k = len(FACTORS)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from vae_explorer.core.data.faces import FACTORS, SIZE, Factor
from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.model.shipped import checkpoints_dir

from .weights_file import load_into, read_weights, save_weights

STEM = 16  # a first convolution at full resolution keeps the mouth's few pixels of curvature
WIDTHS = (32, 64, 64)  # then stride-2 stages: 32 -> 16 -> 8 -> 4
HIDDEN = 128


def _outputs(factor: Factor) -> int:
    return len(factor.levels) if factor.kind == "categorical" else 1


OUTPUTS = [_outputs(f) for f in FACTORS]
OFFSETS = np.concatenate([[0], np.cumsum(OUTPUTS)]).astype(int)


class FactorPredictor(nn.Module):
    """Images ``float (n, 3, 32, 32)`` in [0, 1] -> outputs ``(n, sum(OUTPUTS))``; ``features`` -> ``(n, HIDDEN)``."""

    def __init__(self) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(3, STEM, 3, padding=1), nn.ReLU(inplace=True)]
        cin, side = STEM, SIZE
        for cout in WIDTHS:
            layers += [nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.ReLU(inplace=True)]
            cin, side = cout, side // 2
        layers += [nn.Flatten(), nn.Linear(cin * side * side, HIDDEN), nn.ReLU(inplace=True)]
        layers.append(nn.Linear(HIDDEN, int(OFFSETS[-1])))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The hidden layer's ``(n, HIDDEN)`` activations: where the faces' realism is measured."""
        return self.net[:-1](x)


@dataclass
class FactorReading:
    """What the predictor reads off ``n`` images.

    ``scores: (n, k)``: continuous factors as a fraction of their range (0 at
    ``low``, 1 at ``high``), binary ones as the probability of 1, categorical ones
    as the most likely level. ``probs[name]: (n, levels)`` for each categorical factor.
    """

    scores: np.ndarray
    probs: dict[str, np.ndarray] = field(default_factory=dict)

    def values(self) -> np.ndarray:
        """``(n, k)`` in the factors' own units (binary: probability; categorical: most likely level)."""
        out = self.scores.copy()
        for j, f in enumerate(FACTORS):
            if f.kind == "continuous":
                out[:, j] = f.low + f.span * self.scores[:, j]
        return out


def reading_from_outputs(raw: torch.Tensor) -> FactorReading:
    """Turn raw outputs ``(n, sum(OUTPUTS))`` into a :class:`FactorReading`."""
    raw = raw.float()
    scores = torch.empty(len(raw), len(FACTORS))
    probs = {}
    for j, f in enumerate(FACTORS):
        out = raw[:, OFFSETS[j] : OFFSETS[j + 1]]
        if f.kind == "continuous":
            scores[:, j] = out[:, 0]
        elif f.kind == "binary":
            scores[:, j] = torch.sigmoid(out[:, 0])
        else:
            p = torch.softmax(out, dim=1)
            probs[f.name] = p.cpu().numpy()
            scores[:, j] = p.argmax(dim=1).float()
    return FactorReading(scores.cpu().numpy(), probs)


@torch.inference_mode()
def read_factors(predictor: FactorPredictor, images: np.ndarray, batch_size: int = 1000) -> FactorReading:
    """Read the factors of ``images: (n, 3, 32, 32)`` (uint8, or float in [0, 1])."""
    device = next(predictor.parameters()).device
    raws = []
    for start in range(0, len(images), batch_size):
        x = torch.as_tensor(np.asarray(images[start : start + batch_size])).to(device)
        x = x.float() / 255.0 if x.dtype == torch.uint8 else x.float()
        raws.append(predictor(x).cpu())
    raw = torch.cat(raws) if raws else torch.zeros(0, int(OFFSETS[-1]))
    return reading_from_outputs(raw)


def targets(factors: np.ndarray) -> np.ndarray:
    """True factors ``(n, k)`` as the predictor should read them: continuous ones as a fraction of their range."""
    out = np.asarray(factors, dtype=np.float32).copy()
    for j, f in enumerate(FACTORS):
        if f.kind == "continuous":
            out[:, j] = (out[:, j] - f.low) / f.span
    return out


def scores_of(reading: FactorReading, factors: np.ndarray) -> dict[str, tuple[str, float]]:
    """How well ``reading`` matches the true ``factors: (n, k)``: ``{name: (metric, value)}``.

    Binary and categorical factors: accuracy (a probability above 0.5, or the most
    likely level, counts as read). Continuous factors: R^2, the share of the
    factor's variance the reading explains.
    """
    truth = targets(factors)
    out: dict[str, tuple[str, float]] = {}
    for j, f in enumerate(FACTORS):
        if f.kind == "continuous":
            residual = float(np.mean((reading.scores[:, j] - truth[:, j]) ** 2))
            out[f.name] = ("R^2", 1.0 - residual / float(np.var(truth[:, j])))
        elif f.kind == "binary":
            out[f.name] = ("accuracy", float(np.mean((reading.scores[:, j] > 0.5) == (truth[:, j] > 0.5))))
        else:
            out[f.name] = ("accuracy", float(np.mean(reading.scores[:, j] == truth[:, j])))
    return out


# -- the shipped file ---------------------------------------------------------------------------------
FORMAT = "vae-explorer-factor-predictor"
FILE_NAME = "faces-factors.pt"
NOUN = "factor predictor"


def save_predictor(path: str | Path, predictor: FactorPredictor, metadata: dict[str, Any] | None = None) -> None:
    """Write the predictor atomically, its weights as float16 (a few hundred kilobytes)."""
    save_weights(path, FORMAT, {"factors": [f.name for f in FACTORS]}, predictor, metadata)


def load_predictor(path: str | Path | None = None) -> tuple[FactorPredictor, dict[str, Any]]:
    """The factor predictor (default: the shipped one) in eval mode on the CPU, and its metadata.

    Read as a checkpoint is (:func:`~.weights_file.read_weights`); any failure is one :class:`CheckpointError` line.
    """
    path = Path(path) if path else checkpoints_dir() / FILE_NAME
    blob = read_weights(path, FORMAT, NOUN)
    if blob.get("factors") != [f.name for f in FACTORS]:
        raise CheckpointError(f"{path}: reads other factors than the built-in faces have")
    predictor = load_into(path, FactorPredictor(), blob["state_dict"], NOUN)
    return predictor, dict(blob.get("metadata") or {})


def describe_predictor(path: str | Path) -> list[tuple[str, str]] | None:
    """``(label, text)`` rows saying what a factor predictor file is (what ``info`` prints), or ``None`` when
    ``path`` holds no factor predictor."""
    try:
        predictor, meta = load_predictor(path)
    except CheckpointError:
        return None
    held_out = meta.get("held_out") if isinstance(meta.get("held_out"), dict) else {}
    metric = {f.name: "R^2" if f.kind == "continuous" else "accuracy" for f in FACTORS}
    scores = ", ".join(f"{name} {metric.get(name, '')} {value:.3f}" for name, value in held_out.items())
    rows = [
        (
            "model",
            "the faces' factor predictor, not an autoencoder: a CNN that reads the "
            f"{len(FACTORS)} factors of a generated face off its image, for `vae-explorer evaluate`",
        ),
        ("factors", ", ".join(f.name for f in FACTORS)),
        ("weights", f"{sum(p.numel() for p in predictor.parameters()):,} parameters, stored as float16"),
    ]
    if meta.get("trained_on"):
        rows.append(
            ("training", f"{meta.get('epochs', '?')} epochs on the {meta['trained_on']}, seed {meta.get('seed')}")
        )
    if scores:
        rows.append(("held out", f"on the test faces: {scores}"))
    return rows
