"""A model ready to explore, whatever it was opened from: a checkpoint, or a user's model file.

Everything after opening (the session's slots, encoding and decoding, morphs,
attribute vectors, the command line's commands) sees this one interface, so
nothing downstream asks where a model came from. A :class:`LoadedModel` is a
:class:`Network` itself, with what names it around the network it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from vae_explorer.core.lazy import torch
from vae_explorer.core.model.checkpoint import Checkpoint
from vae_explorer.core.model.config import kind_name


class Network(Protocol):
    """What the explorer calls on a network: :class:`~.autoencoder.Autoencoder` and a user's model alike.

    ``encode(x)``: ``x (N, C, H, W)`` float in [0, 1] on ``device`` -> ``mu (N, d)`` and
    ``logvar (N, d)`` (a VAE) or ``None`` (an AE). ``decode(z)``: ``z (N, d)`` ->
    ``(N, C, H, W)`` of ``output`` (``"logits"`` or ``"probabilities"``). ``likelihood``
    (``"bernoulli"``, ``"gaussian"`` with ``sigma``, or ``"mse"``) says how a
    reconstruction is scored; ``channels_last`` whether images are fed channels-last.
    """

    is_vae: bool
    latent_dim: int
    image_shape: tuple[int, int, int]
    device: torch.device
    output: str
    likelihood: str
    sigma: float
    channels_last: bool

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]: ...

    def decode(self, z: torch.Tensor) -> torch.Tensor: ...


@dataclass(eq=False)
class LoadedModel:
    """A network and what names it: what a slot shows, what caches and saved vectors are keyed by.

    ``name``: what labels call it (a checkpoint's file name, or the name a model file
    gives); ``short_name``: what a morph's rows call it (``AE``, ``VAE``, ``beta-VAE 4``,
    or a model file's name); ``digest``: a hash of everything that decides its outputs
    (the file, and a model file's weights); ``kind``: ``"ae"`` or ``"vae"``;
    ``metadata``: a checkpoint's metadata, or what a model file declares (``data``);
    ``origin``: ``"checkpoint"`` or ``"model file"``; ``checkpoint``: the file's contents
    when it is one (for ``info`` and ``--resume``).
    """

    net: Network
    name: str
    short_name: str
    path: Path | None
    digest: str
    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: str = "checkpoint"
    checkpoint: Checkpoint | None = None

    # -- the network ------------------------------------------------------------------------------
    @property
    def is_vae(self) -> bool:
        return self.kind == "vae"

    @property
    def latent_dim(self) -> int:
        return self.net.latent_dim

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(self.net.image_shape)  # type: ignore[return-value]

    @property
    def device(self) -> torch.device:
        return self.net.device

    @property
    def device_type(self) -> str:
        """``cpu``, ``cuda`` or ``mps``: where it runs, or where it will while its network loads (cache keys)."""
        expected = getattr(self.net, "device_type", None)
        return expected if isinstance(expected, str) else self.net.device.type

    @property
    def output(self) -> str:
        return self.net.output

    @property
    def likelihood(self) -> str:
        return self.net.likelihood

    @property
    def sigma(self) -> float:
        return self.net.sigma

    @property
    def channels_last(self) -> bool:
        return self.net.channels_last

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        return self.net.encode(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.net.decode(z)

    # -- what names it --------------------------------------------------------------------------------
    @property
    def beta(self) -> float:
        """The KL weight it was trained with, when its metadata says (1 otherwise)."""
        beta = self.metadata.get("beta", 1.0)
        return float(beta) if isinstance(beta, int | float) else 1.0

    @property
    def label(self) -> str:
        """``AE``, ``VAE`` or ``beta-VAE (4)``."""
        return kind_name(self.kind, self.beta)

    @property
    def title(self) -> str:
        """What a slot's heading shows: ``VAE · fashion-vae.pt``, ``VAE · PyTorch examples VAE``."""
        return f"{self.label} · {self.name}"


def from_checkpoint(ckpt: Checkpoint, device: torch.device | str = "cpu") -> LoadedModel:
    """The model of a checkpoint, built on ``device`` in eval mode."""
    return LoadedModel(
        net=ckpt.build_model(device),
        name=ckpt.name,
        short_name=kind_name(ckpt.config.kind, ckpt.beta, parens=False),
        path=ckpt.path,
        digest=ckpt.digest,
        kind=ckpt.config.kind,
        metadata=ckpt.metadata,
        origin="checkpoint",
        checkpoint=ckpt,
    )
