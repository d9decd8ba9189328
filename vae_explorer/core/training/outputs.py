"""Names for trained models: what a run trains, in a free file name that never replaces one.

Shared by ``vae-explorer train`` without ``--out`` (a name in the current folder)
and the Train form (a name in the models folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from pathlib import Path

from vae_explorer.core.io.lock import lock_holder


def model_tag(kind: str, beta: float) -> str:
    """``ae``, ``vae`` or ``bvae4`` (a beta-VAE with beta 4), for file names."""
    if kind == "ae":
        return "ae"
    return "vae" if beta == 1.0 else f"bvae{beta:g}"


def run_stem(data: str, kind: str, beta: float, latent_dim: int | str | None) -> str:
    """``digits-vae-2d``: the data set (a folder's name), the kind and the latent size, safe for a file name."""
    name = Path(data.strip() or "images").expanduser().name or "images"
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "data"
    latent = str(latent_dim).strip() if latent_dim is not None else ""
    return f"{name}-{model_tag(kind, beta)}" + (f"-{latent}d" if latent.isdigit() else "")


def free_output(folder: Path, stem: str, taken: Collection[str] = ()) -> Path:
    """``folder/stem.pt``, else ``stem-2.pt``, ...: the first name no file has, no run in ``taken`` writes,
    and no live training run holds the lock of."""
    for k in range(1, 10_000):
        path = folder / (f"{stem}.pt" if k == 1 else f"{stem}-{k}.pt")
        if not path.exists() and not path.is_symlink() and str(path) not in taken and lock_holder(path) is None:
            return path
    return folder / f"{stem}-{os.getpid()}.pt"
