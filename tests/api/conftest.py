"""Viewers opened from Python, closed after each test."""

from __future__ import annotations

import pytest

import vae_explorer


@pytest.fixture
def open_view(qtbot):
    """``open_view(...)`` is ``vae_explorer.view(...)``, its window closed when the test ends."""
    viewers = []

    def opened(*args, **kwargs):
        viewer = vae_explorer.view(*args, **kwargs)
        qtbot.addWidget(viewer.window)
        viewers.append(viewer)
        return viewer

    yield opened
    for viewer in viewers:
        viewer.close()
