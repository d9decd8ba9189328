"""What the explorer opens when launched: the shipped pair that fits the data it can find."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vae_explorer.core.data import find_idx_folder
from vae_explorer.core.errors import VaeExplorerError

SHIPPED = {
    "fashion-mnist": ("fashion-ae.pt", "fashion-vae.pt"),
    "digits": ("digits-ae.pt", "digits-vae.pt"),
    "faces": ("faces-ae.pt", "faces-vae.pt"),
}


def checkpoints_dir() -> Path:
    """The shipped checkpoints: ``$VAE_EXPLORER_CHECKPOINTS`` or ``checkpoints/`` beside the package."""
    env = os.environ.get("VAE_EXPLORER_CHECKPOINTS")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "checkpoints"


@dataclass
class StartupChoice:
    left: Path
    right: Path
    data: str
    reason: str


def shipped_pair(data: str) -> tuple[Path, Path]:
    left, right = SHIPPED[data]
    return checkpoints_dir() / left, checkpoints_dir() / right


def choose_startup(
    left: str | None = None, right: str | None = None, data: str | None = None, data_dir: str | None = None
) -> StartupChoice:
    """The pair and data to open, and a sentence saying which and why.

    With no arguments: the Fashion-MNIST pair on its test split when the data can be
    found, else the digits pair (always offline). ``--data`` alone picks the shipped
    pair for it; ``--ae/--vae`` alone pick their own data from their metadata.
    """
    if left or right:
        if not (left and right):
            raise VaeExplorerError("give both --ae FILE and --vae FILE (one for each side)")
        return StartupChoice(Path(left), Path(right), data or "", "the pair you asked for")
    if data:
        key = data.strip().lower()
        if key not in SHIPPED:
            raise VaeExplorerError(f"no shipped models for {data!r}: give --ae FILE and --vae FILE as well")
        return StartupChoice(*shipped_pair(key), key, f"the shipped {key} pair")
    folder = find_idx_folder("fashion-mnist", data_dir)
    if folder is not None:
        return StartupChoice(*shipped_pair("fashion-mnist"), "fashion-mnist", f"Fashion-MNIST found in {folder}")
    return StartupChoice(
        *shipped_pair("digits"),
        "digits",
        "Fashion-MNIST not found (set VAE_EXPLORER_DATA, install dataset-fashion-mnist, or run "
        "`vae-explorer download fashion-mnist`): showing the offline digits",
    )
