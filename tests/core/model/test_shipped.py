"""The shipped faces models: where `--data faces` finds them, and what they are."""

import pytest

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.shipped import choose_startup


def test_data_faces_picks_the_shipped_faces_pair():
    choice = choose_startup(data="faces")
    assert (choice.left.name, choice.right.name, choice.data) == ("faces-ae.pt", "faces-vae.pt", "faces")
    assert "the shipped faces pair" in choice.reason
    with pytest.raises(VaeExplorerError, match="no shipped models for 'cifar'"):
        choose_startup(data="cifar")
