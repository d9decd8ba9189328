"""What the benchmarks share: the Fashion-MNIST pair to time, and summary statistics."""

from __future__ import annotations

import importlib.util
import re
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from vae_explorer.core.data import Dataset, load_dataset
from vae_explorer.core.model.autoencoder import build_model, default_config
from vae_explorer.core.model.checkpoint import save_checkpoint
from vae_explorer.core.model.shipped import checkpoints_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED_FASHION = ROOT.parent / "shared" / "data" / "fashion-mnist"


def fashion_pair(latent_dim: int = 16) -> tuple[Path, Path, str]:
    """The shipped Fashion-MNIST pair, or (for timing only) untrained models of the same architecture."""
    shipped = [checkpoints_dir() / "fashion-ae.pt", checkpoints_dir() / "fashion-vae.pt"]
    if latent_dim == 16 and all(p.exists() for p in shipped):
        return shipped[0], shipped[1], "shipped checkpoints"
    folder = Path(tempfile.mkdtemp(prefix="vae-explorer-bench-"))
    paths = []
    for kind in ("ae", "vae"):
        path = folder / f"{kind}.pt"
        save_checkpoint(path, build_model(default_config(kind, (1, 28, 28), latent_dim)), {"data": "fashion-mnist"})
        paths.append(path)
    return paths[0], paths[1], "untrained models of the shipped architecture"


# Each copy of Fashion-MNIST beyond the first is shifted by a pixel and/or mirrored: (dy, dx, mirrored).
VARIANTS = [(dy, dx, m) for m in (False, True) for dy in (0, 1, -1) for dx in (0, 1, -1)]


def scaled_fashion(n: int) -> Dataset:
    """``n`` images: Fashion-MNIST's 70,000 (train, then test), then copies shifted and mirrored.

    No two copies are alike (up to 18), so every image has a code of its own, as in a
    real data set of that size. The images are made in place in one array of ``n``
    rows, so building them costs no more memory than holding them.
    """
    train, test = load_dataset("fashion-mnist", "train"), load_dataset("fashion-mnist", "test")
    m = len(train) + len(test)
    if n > m * len(VARIANTS):
        raise ValueError(f"at most {m * len(VARIANTS):,} images, not {n:,}")
    images = np.zeros((max(n, m), *test.images.shape[1:]), np.uint8)
    images[: len(train)], images[len(train) : m] = train.images, test.images
    labels = np.resize(np.concatenate([train.labels, test.labels]), n)
    del train
    base = images[:m]
    for k, start in enumerate(range(m, n, m), start=1):
        dy, dx, mirrored = VARIANTS[k]
        count = min(m, n - start)
        source = base[:count, :, :, ::-1] if mirrored else base[:count]
        h, w = base.shape[2:]
        rows_to, rows_from = slice(max(dy, 0), h + min(dy, 0)), slice(max(-dy, 0), h - max(dy, 0))
        cols_to, cols_from = slice(max(dx, 0), w + min(dx, 0)), slice(max(-dx, 0), w - max(dx, 0))
        images[start : start + count, :, rows_to, cols_to] = source[:, :, rows_from, cols_from]
    return replace(test, split=f"{n} scaled", images=images[:n], labels=labels, _fingerprint=None)


def examples_vae_file(folder: str | Path) -> Path:
    """The README's model file of the PyTorch examples VAE in ``folder``, untrained weights beside it (timing only)."""
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme[readme.index("## Your own model") :], re.S).group(1)
    path = Path(folder) / "vae_model.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("examples_vae", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(0)
    torch.save(module.VAE().state_dict(), path.with_name("vae.pth"))
    return path


def summary(ms: list[float]) -> str:
    """Median and 95th percentile of a list of milliseconds."""
    arr = np.asarray(ms)
    return f"median {statistics.median(ms):6.2f} ms, p95 {np.percentile(arr, 95):6.2f} ms (n = {len(ms)})"
