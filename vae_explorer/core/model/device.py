"""Pick the compute device: cuda > mps > cpu, or what the user names."""

from __future__ import annotations

import torch

from vae_explorer.core.errors import DeviceError

CHOICES = ("auto", "cpu", "cuda", "mps")


def available_devices() -> list[str]:
    """Device names usable on this machine, best first, always ending with ``cpu``."""
    names = []
    if torch.cuda.is_available():
        names.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        names.append("mps")
    names.append("cpu")
    return names


def resolve_device(name: str | None = "auto") -> torch.device:
    """``auto``/None -> the best available device; ``cuda``, ``cuda:1``, ``mps``, ``cpu`` as named.

    Raises :class:`DeviceError` when the named device does not exist here.
    """
    name = (name or "auto").strip().lower()
    if name == "auto":
        return torch.device(available_devices()[0])
    base, _, index = name.partition(":")
    if base not in CHOICES[1:] or (index and not index.isdigit()):
        raise DeviceError(f"unknown device {name!r}: use one of {', '.join(CHOICES)}")
    if index and base != "cuda":  # torch takes "cpu:0", but a checkpoint cannot be mapped to it
        raise DeviceError(f"device {name!r}: only CUDA devices are numbered; use {base}")
    if base == "cuda":
        if not torch.cuda.is_available():
            raise DeviceError(f"device {name!r} was requested, but no CUDA device is available")
        if index and int(index) >= torch.cuda.device_count():
            raise DeviceError(
                f"device {name!r} was requested, but only {torch.cuda.device_count()} CUDA device(s) exist"
            )
    if base == "mps" and "mps" not in available_devices():
        raise DeviceError(f"device {name!r} was requested, but no MPS device is available")
    return torch.device(name)
