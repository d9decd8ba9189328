"""Where vae-explorer keeps the user's files: the XDG base directories."""

from __future__ import annotations

import os
from pathlib import Path


def xdg_home(variable: str, default: str) -> Path:
    """``$variable``, or ``~/default`` when the variable is unset or empty (``XDG_DATA_HOME``, ``.local/share``)."""
    return Path(os.environ.get(variable) or str(Path.home() / default))


def user_dir(variable: str, default: str) -> Path:
    """``$variable/vae-explorer``, or ``~/default/vae-explorer`` when the variable is unset or empty."""
    return xdg_home(variable, default) / "vae-explorer"


def cache_dir() -> Path:
    """The user cache: ``$XDG_CACHE_HOME/vae-explorer`` or ``~/.cache/vae-explorer``."""
    return user_dir("XDG_CACHE_HOME", ".cache")


def config_dir() -> Path:
    """Settings and the run log: ``$XDG_CONFIG_HOME/vae-explorer`` or ``~/.config/vae-explorer``."""
    return user_dir("XDG_CONFIG_HOME", ".config")


def data_home() -> Path:
    """The user's data folder, holding every app's menu entries and icons: ``$XDG_DATA_HOME`` or ``~/.local/share``."""
    return xdg_home("XDG_DATA_HOME", ".local/share")


def models_dir() -> Path:
    """Where trained models go by default: ``$XDG_DATA_HOME/vae-explorer/models``."""
    return data_home() / "vae-explorer" / "models"
