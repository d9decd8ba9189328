"""A first-launch window for the lessons, its encodings and measured rows cached for the whole module."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from vae_explorer.core.session import Session
from vae_explorer.gui.app import make_app
from vae_explorer.gui.main_window import MainWindow


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("lesson-cache")


@pytest.fixture
def window(qtbot, tmp_path, shared_cache, monkeypatch):
    """A first-launch window (1400 x 900) with nothing open; encodings and rows are cached for the whole module."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    make_app()
    w = MainWindow(Session("cpu"), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
