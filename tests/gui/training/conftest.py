"""The Train tab on its own, over a session of its own; its child runs are stopped when the test ends."""

import pytest

from vae_explorer.core.session import Session
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.training import TrainTab


@pytest.fixture
def make_tab(qtbot):
    make_app()
    tabs = []

    def make(session=None):
        tab = TrainTab(session or Session("cpu"), devices=["cpu"])
        qtbot.addWidget(tab)
        tab.resize(1300, 850)
        tab.show()
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.shutdown(wait_ms=20_000)
