"""Where vae-explorer keeps the user's files: the XDG base directories."""

from __future__ import annotations

import os
from pathlib import Path


def user_dir(variable: str, default: str) -> Path:
    """``$variable/vae-explorer``, or ``~/default/vae-explorer`` when the variable is unset or empty."""
    base = os.environ.get(variable) or str(Path.home() / default)
    return Path(base) / "vae-explorer"


def cache_dir() -> Path:
    """The user cache: ``$XDG_CACHE_HOME/vae-explorer`` or ``~/.cache/vae-explorer``."""
    return user_dir("XDG_CACHE_HOME", ".cache")
