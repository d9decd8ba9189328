"""Names for trained models: what a run trains, in a free file name that never replaces one, and what a
given output may replace (only a checkpoint).

Shared by ``vae-explorer train`` (without ``--out``, a name in the current folder)
and the Train form (a name in the models folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from pathlib import Path

from vae_explorer.core.errors import CheckpointError, VaeExplorerError
from vae_explorer.core.io.lock import lock_holder
from vae_explorer.core.io.safe_write import resolve_output, same_file
from vae_explorer.core.model.checkpoint import load_checkpoint


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


def checkpoint_in_words(path: str | Path) -> str:
    """``a VAE (latent 16) trained 10 epochs on fashion-mnist``; any file but a checkpoint is refused in one
    line, as training replaces nothing else."""
    try:
        ckpt = load_checkpoint(resolve_output(path), allow_nonfinite=True)
    except CheckpointError:
        refusal = f"{path} exists and is not a checkpoint; training replaces only a checkpoint: choose another --out"
        raise VaeExplorerError(refusal) from None
    meta, config = ckpt.metadata, ckpt.config
    epochs = meta.get("epochs")
    trained = f" trained {epochs} epoch{'' if epochs == 1 else 's'}" if epochs else ""
    data = f" on {meta['data']}" if meta.get("data") else ""
    return f"a{'' if config.kind == 'vae' else 'n'} {config.kind.upper()} (latent {config.latent_dim}){trained}{data}"


def replaced_checkpoint(out: str | Path, resume: str | Path | None = None) -> str | None:
    """The line saying which checkpoint writing the run to ``out`` replaces, or ``None`` when it replaces
    nothing (a new file, or the checkpoint the run resumes); any other file is refused in one line."""
    path = resolve_output(out)
    if not path.is_file() or (resume is not None and same_file(path, resume)):
        return None
    return f"{out}: replacing {checkpoint_in_words(out)}"
