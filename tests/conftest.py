"""Shared fixtures: the Fashion-MNIST files beside the clone, a private cache, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED_FASHION = ROOT.parent / "shared" / "data" / "fashion-mnist"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's cache or settings, and data is found beside the clone."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    if SHARED_FASHION.is_dir():
        monkeypatch.setenv("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    else:
        monkeypatch.delenv("VAE_EXPLORER_DATA", raising=False)


@pytest.fixture
def fashion_dir() -> Path:
    if not SHARED_FASHION.is_dir():
        pytest.skip(f"Fashion-MNIST not found at {SHARED_FASHION}")
    return SHARED_FASHION


@pytest.fixture(scope="session")
def checkpoints_dir() -> Path:
    return ROOT / "checkpoints"
