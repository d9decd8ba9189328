"""A user's model as the explorer calls it: codes and images of the promised shapes, or one line saying not.

Every call is checked for type and shape (cheap, and what keeps a wrong shape
from surfacing later as a puzzling error in a map or a GIF); an exception inside
the user's code becomes a :class:`ModelFileError` naming the line where it
happened. Values (ranges, NaN) are checked once, on opening (:mod:`.probe`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vae_explorer.core.errors import ModelFileError
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.user_errors import user_error
from vae_explorer.core.model.user_model import Declared

WRAP_HINT = "vae_explorer.wrap(model, image_shape=..., ...) adapts it"


def shape_text(shape: tuple[int, ...], n: int) -> str:
    """``(N, 1, 28, 28)``: a shape with its batch size written N."""
    dims = ["N" if i == 0 and s == n else str(s) for i, s in enumerate(shape)]
    return f"({', '.join(dims)}{',' if len(dims) == 1 else ''})"


def _what(value: Any) -> str:
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} values"
    return "None" if value is None else f"a {type(value).__name__}"


class UserNetwork:
    """The object a model file's ``vae_explorer_model()`` returned, as a :class:`~.loaded.Network`.

    ``is_vae`` and ``latent_dim`` are learnt from the first :meth:`encode` (a tuple
    ``(mu, logvar)`` makes a VAE) unless declared; later calls must agree with them.
    """

    channels_last = False  # a user's model may view its input as flat, which needs it contiguous

    def __init__(self, obj: Any, path: Path, declared: Declared, device: torch.device) -> None:
        self.obj, self.path, self.device = obj, path, device
        self.image_shape = declared.image_shape
        self.output, self.likelihood, self.sigma = declared.output, declared.likelihood, declared.sigma
        self.latent_dim: int = declared.latent_dim or 0  # 0: not known before the first encode
        self.is_vae: bool | None = None

    def _call(self, method: str, arg: torch.Tensor) -> Any:
        try:
            return getattr(self.obj, method)(arg)
        except Exception as exc:  # noqa: BLE001 - anything the user's code raises
            raise user_error(self.path, method, exc) from exc

    def _tensor(self, value: Any, what: str, where: torch.device) -> torch.Tensor:
        if not isinstance(value, torch.Tensor):
            raise ModelFileError(f"{self.path}: {what} is {_what(value)}, not a tensor")
        if value.is_complex() or value.dtype == torch.bool:
            raise ModelFileError(f"{self.path}: {what} holds {value.dtype} values, not real numbers")
        return value.to(device=where, dtype=torch.float32)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``x (N, C, H, W)`` -> ``mu (N, d)``, ``logvar (N, d)`` or ``None``."""
        out = self._call("encode", x)
        if isinstance(out, tuple | list) and len(out) == 1:
            out = out[0]
        if isinstance(out, tuple | list) and len(out) != 2:
            raise ModelFileError(
                f"{self.path}: encode returns {_what(out)}, not mu (an AE) or (mu, logvar) (a VAE); {WRAP_HINT}"
            )
        mu, logvar = out if isinstance(out, tuple | list) else (out, None)
        mu = self._tensor(mu, "encode's mu", x.device)
        logvar = None if logvar is None else self._tensor(logvar, "encode's logvar", x.device)
        if self.is_vae is None:
            self.is_vae = logvar is not None
        elif self.is_vae != (logvar is not None):
            was = "(mu, logvar)" if self.is_vae else "mu alone"
            raise ModelFileError(f"{self.path}: encode returned {was} before, and now does not")
        n, d = len(x), self.latent_dim
        want = f"(N, {d})" if d else "(N, d)"
        if mu.ndim != 2 or mu.shape[0] != n or (d and mu.shape[1] != d):
            raise ModelFileError(
                f"{self.path}: encode returns mu of shape {shape_text(tuple(mu.shape), n)} where {want} "
                f"was expected; {WRAP_HINT}"
            )
        if logvar is not None and logvar.shape != mu.shape:
            raise ModelFileError(
                f"{self.path}: encode returns logvar of shape {shape_text(tuple(logvar.shape), n)}, "
                f"but mu of shape {shape_text(tuple(mu.shape), n)}"
            )
        self.latent_dim = self.latent_dim or int(mu.shape[1])
        return mu, logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """``z (N, d)`` -> ``(N, C, H, W)`` of :attr:`output`."""
        out = self._tensor(self._call("decode", z), "what decode returns", z.device)
        want = (len(z), *self.image_shape)
        if tuple(out.shape) != want:
            raise ModelFileError(
                f"{self.path}: decode returns shape {shape_text(tuple(out.shape), len(z))} where "
                f"{shape_text(want, len(z))} was expected; {WRAP_HINT}"
            )
        return out
