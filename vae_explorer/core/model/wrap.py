"""``vae_explorer.wrap``: a user's PyTorch module as the explorer's model, whatever shapes its methods use.

A model file's ``vae_explorer_model()`` returns an object with ``image_shape``,
``encode(x)`` on images ``(N, C, H, W)`` in [0, 1] returning ``mu`` or
``(mu, logvar)``, and ``decode(z)`` returning ``(N, C, H, W)``. Most models are
close to that but not quite: they take flattened images, return ``(N, 784)``, or
codes of shape ``(N, d, 1, 1)``. :func:`wrap` bridges the difference.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from vae_explorer.core.model.losses import LIKELIHOODS, OUTPUTS


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return value


def _image_shape(value: Any) -> tuple[int, int, int]:
    try:
        shape = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"image_shape must be (channels, height, width), not {value!r}") from None
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(f"image_shape must be (channels, height, width), not {value!r}")
    return shape  # type: ignore[return-value]


def _method(module: Any, name: str) -> Callable[[torch.Tensor], Any]:
    method = getattr(module, name, None)
    if not callable(method):
        raise ValueError(f"{type(module).__name__} has no {name}() method: give {name}=... to wrap()")
    return method


class WrappedModel:
    """A module seen through :func:`wrap`: images in as the module takes them, out as the explorer does."""

    def __init__(
        self,
        module: Any,
        image_shape: tuple[int, int, int],
        encode: Callable[[torch.Tensor], Any],
        decode: Callable[[torch.Tensor], Any],
        flatten: bool,
        **declared: Any,
    ) -> None:
        self.module, self.image_shape = module, image_shape
        self._encode, self._decode, self.flatten = encode, decode, flatten
        for key, value in declared.items():
            if value is not None:
                setattr(self, key, value)

    def encode(self, x: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """``x (N, C, H, W)`` (``(N, C*H*W)`` with ``flatten``) -> ``mu`` or ``(mu, logvar)``, each ``(N, d)``."""
        out = self._encode(x.flatten(1) if self.flatten else x)
        if isinstance(out, tuple | list):
            return tuple(t.flatten(1) if isinstance(t, torch.Tensor) and t.ndim > 2 else t for t in out)  # type: ignore[return-value]
        return out.flatten(1) if isinstance(out, torch.Tensor) and out.ndim > 2 else out

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """``z (N, d)`` -> the module's output, reshaped to ``(N, C, H, W)`` when it holds that many values."""
        out = self._decode(z)
        if isinstance(out, torch.Tensor) and out.numel() == len(z) * math.prod(self.image_shape):
            return out.reshape(len(z), *self.image_shape)
        return out

    def to(self, device: torch.device | str) -> WrappedModel:
        if hasattr(self.module, "to"):
            self.module.to(device)
        return self

    def eval(self) -> WrappedModel:
        if hasattr(self.module, "eval"):
            self.module.eval()
        return self

    def parameters(self):
        return self.module.parameters() if hasattr(self.module, "parameters") else iter(())

    def state_dict(self) -> dict[str, Any]:
        return self.module.state_dict() if hasattr(self.module, "state_dict") else {}


def wrap(
    module: Any,
    image_shape: tuple[int, int, int],
    encode: Callable[[torch.Tensor], Any] | None = None,
    decode: Callable[[torch.Tensor], Any] | None = None,
    output: str = "probabilities",
    *,
    flatten: bool = False,
    latent_dim: int | None = None,
    likelihood: str = "bernoulli",
    sigma: float = 1.0,
    name: str | None = None,
    data: str | None = None,
) -> WrappedModel:
    """``module`` as a model the explorer opens, for a model file's ``vae_explorer_model()`` to return.

    ``image_shape``: ``(C, H, W)`` of the images it was trained on. ``encode`` and
    ``decode``: what to call (default: ``module.encode`` and ``module.decode``);
    ``flatten``: give ``encode`` images flattened to ``(N, C*H*W)``. Codes of shape
    ``(N, d, 1, 1)`` are flattened to ``(N, d)`` and a decoded ``(N, C*H*W)`` is
    reshaped to ``(N, C, H, W)``. ``output``: what ``decode`` returns,
    ``"probabilities"`` (pixel values in [0, 1], after a sigmoid) or ``"logits"``.
    ``likelihood`` (``"bernoulli"``, ``"gaussian"`` with a fixed ``sigma``, or
    ``"mse"``) decides how ``vae-explorer info`` scores reconstructions. ``name``
    is what the window calls it, ``data`` the data set it was trained on
    (``fashion-mnist``, ``mnist``, ``digits`` or a folder). ``latent_dim`` is read
    from the codes when not given.
    """
    shape = _image_shape(image_shape)
    declared = {
        "output": _choice("output", output, OUTPUTS),
        "likelihood": _choice("likelihood", likelihood, LIKELIHOODS),
    }
    if not float(sigma) > 0:
        raise ValueError(f"sigma must be above 0, not {sigma!r}")
    return WrappedModel(
        module,
        shape,
        encode if encode is not None else _method(module, "encode"),
        decode if decode is not None else _method(module, "decode"),
        bool(flatten),
        **declared,
        sigma=float(sigma),
        latent_dim=None if latent_dim is None else int(latent_dim),
        name=name,
        data=data,
    )
