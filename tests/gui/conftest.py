"""Real windows over small real models: digits checkpoints trained once per test run."""

from __future__ import annotations

import pytest
import trained
from PySide6.QtCore import QSettings
from windows import settle_layout, settled_with_maps

from vae_explorer.core.session import Session
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.main_window import MainWindow


@pytest.fixture(scope="session")
def digits_pair(tmp_path_factory):
    """An AE and a VAE (latent 4) on the digits, a few epochs each."""
    return trained.digits_pair(tmp_path_factory, latent_dim=4, epochs=6)


@pytest.fixture(scope="session")
def digits_pair_2d(tmp_path_factory):
    """An AE and a VAE with a 2-D latent, for the latent-plane view."""
    return trained.digits_pair(tmp_path_factory, latent_dim=2, epochs=3)


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Open a window on a pair and wait until both maps are drawn."""
    make_app()
    windows = []

    def open_window(pair, data="digits", wait=True):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Session("cpu"), settings)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        if pair is not None:
            window.open_pair(str(pair[0]), str(pair[1]), data)
        if wait:
            qtbot.waitUntil(lambda: settled_with_maps(window), timeout=30_000)
            settle_layout(window)
        return window

    yield open_window
    for w in windows:
        w.close()
