"""The files the app ships beside its code: the icon, the desktop entry, the style sheet.

They live in the repository's top-level ``resources/`` folder; the package reaches
it as ``vae_explorer/resources`` (a link in a checkout, a copy in a wheel), so a
checkout, an editable install and a wheel all find them the same way.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

APP_ID = "vae-explorer"  # the icon's and the desktop entry's name
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resources_dir() -> Path:
    """The folder of the shipped resources."""
    return Path(str(files("vae_explorer") / "resources"))


def resource(name: str) -> Path:
    """One shipped resource by its path inside ``resources/`` (``style.qss``, ``icons/vae-explorer-16.png``)."""
    return resources_dir() / name


def icon_svg() -> Path:
    """The scalable app icon."""
    return resource(f"{APP_ID}.svg")


def icon_png(size: int) -> Path:
    """The app icon drawn at ``size`` x ``size`` pixels (one of :data:`ICON_SIZES`)."""
    return resource(f"icons/{APP_ID}-{size}.png")


def desktop_entry() -> Path:
    """The freedesktop.org desktop entry the app installs into the user's menu."""
    return resource(f"{APP_ID}.desktop")
