"""Shared fixtures: the Fashion-MNIST files where the app or the clone has them, a private cache, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fashion import FASHION, NO_FASHION

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's cache or settings, and Fashion-MNIST is found where it was found."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    if FASHION is not None:
        monkeypatch.setenv("VAE_EXPLORER_DATA", str(FASHION))
    else:
        monkeypatch.delenv("VAE_EXPLORER_DATA", raising=False)


@pytest.fixture
def fashion_dir() -> Path:
    if FASHION is None:
        pytest.skip(NO_FASHION)
    return FASHION


@pytest.fixture(scope="session")
def checkpoints_dir() -> Path:
    return ROOT / "checkpoints"
