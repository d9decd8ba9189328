"""AE and VAE built from one small config dataclass.

Both models share the same convolutional encoder and decoder; they differ only in
what the encoder emits. ``encode(x) -> (mu, logvar)`` (``logvar`` is ``None`` for
an AE) and ``decode(z) -> logits``. Images are float tensors in [0, 1] of shape
``(N, C, H, W)``; logits have the same shape. ``beta`` lives in the loss, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

# the config and the kinds' names live in a torch-free module; importers of this one find them here too
from vae_explorer.core.model.config import KINDS, ModelConfig, default_config, kind_name  # noqa: F401


def stage_sizes(height: int, width: int, max_stages: int) -> list[tuple[int, int]]:
    """Spatial sizes after each stride-2 stage, halving (rounding up) while both sides stay >= 4."""
    sizes = []
    while len(sizes) < max_stages and min(height, width) >= 7:
        height, width = (height + 1) // 2, (width + 1) // 2
        sizes.append((height, width))
    return sizes


@dataclass
class _Plan:
    """The layer plan for one config: channels and input sizes of each stage."""

    channels: list[int] = field(default_factory=list)
    inputs: list[tuple[int, int]] = field(default_factory=list)
    feat_shape: tuple[int, int, int] = (1, 1, 1)

    @property
    def feat_size(self) -> int:
        c, h, w = self.feat_shape
        return c * h * w


def _plan(cfg: ModelConfig) -> _Plan:
    c, h, w = cfg.image_shape
    sizes = stage_sizes(h, w, len(cfg.widths))
    channels = list(cfg.widths[: len(sizes)])
    inputs = [(h, w), *sizes][: len(sizes)]
    fh, fw = sizes[-1] if sizes else (h, w)
    return _Plan(channels, inputs, (channels[-1] if channels else c, fh, fw))


def _kernel(size: tuple[int, int]) -> tuple[int, int]:
    # An even side halves exactly with a 4x4 kernel, an odd one with 3x3: (s + 1) / 2,
    # and the transposed convolution with the same kernel restores s exactly.
    return tuple(4 if s % 2 == 0 else 3 for s in size)  # type: ignore[return-value]


def _act() -> nn.Module:
    return nn.ReLU(inplace=True)


class Encoder(nn.Module):
    """Image ``(N, C, H, W)`` -> features ``(N, F)``."""

    def __init__(self, cfg: ModelConfig, plan: _Plan) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        cin = cfg.image_shape[0]
        for cout, size in zip(plan.channels, plan.inputs, strict=True):
            layers.append(nn.Conv2d(cin, cout, _kernel(size), stride=2, padding=1))
            if cfg.norm:
                layers.append(nn.BatchNorm2d(cout))
            layers.append(_act())
            cin = cout
        layers.append(nn.Flatten())
        if cfg.hidden:
            layers += [nn.Linear(plan.feat_size, cfg.hidden), _act()]
        self.net = nn.Sequential(*layers)
        self.out_features = cfg.hidden or plan.feat_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class Decoder(nn.Module):
    """Code ``(N, d)`` -> logits ``(N, C, H, W)``."""

    def __init__(self, cfg: ModelConfig, plan: _Plan) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        if cfg.hidden:
            layers += [nn.Linear(cfg.latent_dim, cfg.hidden), _act(), nn.Linear(cfg.hidden, plan.feat_size)]
        else:
            layers.append(nn.Linear(cfg.latent_dim, plan.feat_size))
        layers.append(nn.Unflatten(1, plan.feat_shape))
        chans = plan.channels[::-1]
        outs = chans[1:] + [cfg.image_shape[0]] if chans else []
        for cin, cout, size in zip(chans, outs, plan.inputs[::-1], strict=True):
            if cfg.norm:
                layers.append(nn.BatchNorm2d(cin))
            layers += [_act(), nn.ConvTranspose2d(cin, cout, _kernel(size), stride=2, padding=1)]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class Autoencoder(nn.Module):
    """A plain AE (``kind='ae'``) or a VAE (``kind='vae'``) from one config.

    ``output``, ``likelihood`` and ``sigma`` say what :meth:`decode` returns and how a
    reconstruction is scored, as a user's model declares them (:mod:`.loaded`).
    """

    output = "logits"
    likelihood = "bernoulli"
    sigma = 1.0

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.config = cfg
        plan = _plan(cfg)
        self.encoder = Encoder(cfg, plan)
        n_out = cfg.latent_dim * (2 if cfg.kind == "vae" else 1)
        self.to_code = nn.Linear(self.encoder.out_features, n_out)
        self.decoder = Decoder(cfg, plan)

    @property
    def is_vae(self) -> bool:
        return self.config.kind == "vae"

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return self.config.image_shape

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def channels_last(self) -> bool:
        """Whether to feed it channels-last images (faster convolutions, the same result)."""
        return prefers_channels_last(self, self.device)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``x: (N, C, H, W)`` in [0, 1] -> ``mu: (N, d)``, ``logvar: (N, d)`` or ``None``."""
        h = self.to_code(self.encoder(x))
        if self.is_vae:
            mu, logvar = h.chunk(2, dim=1)
            return mu, logvar
        return h, None

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """``z: (N, d)`` -> logits ``(N, C, H, W)``; ``sigmoid`` gives pixel means."""
        return self.decoder(z)

    def forward(
        self, x: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """Training pass: sample z with the reparameterization trick (VAE), decode.

        Returns ``(logits, mu, logvar)``.
        """
        mu, logvar = self.encode(x)
        z = mu
        if logvar is not None:
            eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
            z = mu + eps * torch.exp(0.5 * logvar)
        return self.decode(z), mu, logvar


def build_model(cfg: ModelConfig) -> Autoencoder:
    return Autoencoder(cfg)


def on_device(model: nn.Module, device: torch.device) -> nn.Module:
    """``model`` moved to ``device``; on CUDA with its weights channels-last, as tensor cores want them under autocast.

    On the CPU the weights stay as they are (the CPU path is unchanged).
    """
    model = model.to(device)
    return model.to(memory_format=torch.channels_last) if device.type == "cuda" else model


def prefers_channels_last(model: nn.Module, device: torch.device) -> bool:
    """Whether to run ``model`` channels-last: its convolutions are about a quarter faster so on the CPU."""
    return device.type == "cpu" and any(isinstance(m, nn.Conv2d) for m in model.modules())
