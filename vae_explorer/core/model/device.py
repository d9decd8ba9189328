"""Pick the compute device: cuda > mps > cpu, or what the user names."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from vae_explorer.core.errors import DeviceError
from vae_explorer.core.lazy import torch

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


def check_device_name(name: str | None = "auto") -> str:
    """``name`` in lower case if it names a device (``auto``, ``cpu``, ``cuda``, ``cuda:1``, ``mps``), without torch.

    Raises :class:`DeviceError` for a name that is none; whether the device exists here is
    :func:`resolve_device`'s to say.
    """
    name = (name or "auto").strip().lower()
    if name == "auto":
        return name
    base, _, index = name.partition(":")
    if base not in CHOICES[1:] or (index and not index.isdigit()):
        raise DeviceError(f"unknown device {name!r}: use one of {', '.join(CHOICES)}")
    if index and base != "cuda":  # torch takes "cpu:0", but a checkpoint cannot be mapped to it
        raise DeviceError(f"device {name!r}: only CUDA devices are numbered; use {base}")
    return name


def likely_devices() -> list[str]:
    """:func:`available_devices` as they look without importing torch: a loaded NVIDIA driver, Apple silicon, the CPU.

    For lists shown before torch is needed (the Train tab's); a device listed but not usable
    is refused, in one line, by the run that asks for it.
    """
    names = []
    if Path("/proc/driver/nvidia/version").exists():
        names.append("cuda")
    if sys.platform == "darwin" and platform.machine() == "arm64":
        names.append("mps")
    return [*names, "cpu"]


def resolve_device(name: str | None = "auto") -> torch.device:
    """``auto``/None -> the best available device; ``cuda``, ``cuda:1``, ``mps``, ``cpu`` as named.

    Raises :class:`DeviceError` when the named device does not exist here.
    """
    name = check_device_name(name)
    if name == "auto":
        return torch.device(available_devices()[0])
    base, _, index = name.partition(":")
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
