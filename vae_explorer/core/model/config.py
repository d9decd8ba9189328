"""The architecture of an AE or a VAE as a small config dataclass, and the names of the kinds.

Torch-free, so that what names a model (its kind, its image shape, its latent size) can be
read without importing torch; the networks built from it are in :mod:`.autoencoder`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("ae", "vae")


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild a model's architecture.

    ``widths`` are the channel counts of the stride-2 convolution stages; how many
    stages an image size allows is decided by :func:`stage_sizes`, and the widths
    beyond that are ignored. ``hidden`` adds a fully connected layer between the
    convolutions and the latent code (0: none); ``norm`` adds batch normalization.
    """

    kind: str = "vae"
    image_shape: tuple[int, int, int] = (1, 28, 28)
    latent_dim: int = 16
    widths: tuple[int, ...] = (32, 64)
    hidden: int = 0
    norm: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"model kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.latent_dim < 1:
            raise ValueError(f"latent size must be at least 1, not {self.latent_dim}")
        c, h, w = self.image_shape
        if c not in (1, 3) or not (4 <= h <= 256 and 4 <= w <= 256):
            raise ValueError(f"unsupported image shape {tuple(self.image_shape)}")
        object.__setattr__(self, "image_shape", tuple(int(v) for v in self.image_shape))
        object.__setattr__(self, "widths", tuple(int(v) for v in self.widths))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["image_shape"] = list(self.image_shape)
        d["widths"] = list(self.widths)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelConfig:
        return cls(
            kind=str(d["kind"]),
            image_shape=tuple(d["image_shape"]),
            latent_dim=int(d["latent_dim"]),
            widths=tuple(d.get("widths", (32, 64))),
            hidden=int(d.get("hidden", 0)),
            norm=bool(d.get("norm", False)),
        )


def default_config(kind: str, image_shape: tuple[int, int, int], latent_dim: int) -> ModelConfig:
    """The architecture the CLI and the training tab use for a given image size."""
    c, h, w = image_shape
    if max(h, w) <= 12:  # 8x8 digits: one stage and a hidden layer
        return ModelConfig(kind, image_shape, latent_dim, widths=(32,), hidden=128)
    if max(h, w) <= 32:  # 28x28 -> 14 -> 7 -> 4
        return ModelConfig(kind, image_shape, latent_dim, widths=(32, 64, 128), hidden=256)
    return ModelConfig(kind, image_shape, latent_dim, widths=(32, 64, 128, 256), hidden=256)


def kind_name(kind: str, beta: float = 1.0, parens: bool = True) -> str:
    """``AE``, ``VAE``, or ``beta-VAE (4)`` (``beta-VAE 4`` without ``parens``)."""
    if kind == "ae":
        return "AE"
    if beta == 1.0:
        return "VAE"
    return f"beta-VAE ({beta:g})" if parens else f"beta-VAE {beta:g}"
