"""Where the tests find Fashion-MNIST: where the app looks for it, then beside the clone (``../shared``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vae_explorer.core.data import candidate_folders
from vae_explorer.core.data.idx_sets import first_idx_folder

ROOT = Path(__file__).resolve().parents[1]
BESIDE_CLONE = ROOT.parent / "shared" / "data"
# $VAE_EXPLORER_DATA, Debian's /usr/share/datasets, the user cache, then ../shared/data beside the clone;
# found once, before the tests point the cache elsewhere
FASHION: Path | None = first_idx_folder(
    [*candidate_folders("fashion-mnist"), *candidate_folders("fashion-mnist", BESIDE_CLONE)[:3]]
)
NO_FASHION = (
    "Fashion-MNIST not found (VAE_EXPLORER_DATA, /usr/share/datasets/fashion-mnist, "
    f"the user cache or {BESIDE_CLONE / 'fashion-mnist'})"
)
needs_fashion = pytest.mark.skipif(FASHION is None, reason=NO_FASHION)
