"""The data a pair of checkpoints names, read the same way by the explorer and the command line."""

import pytest
from trained import write_model

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.model.named_data import named_data


def test_the_right_model_names_the_data_unless_data_is_given(tmp_path):
    ae = load_checkpoint(write_model(tmp_path / "ae.pt", "ae", 2, data="mnist"))
    vae = load_checkpoint(write_model(tmp_path / "vae.pt", "vae", 2, data="fashion-mnist"))
    silent = load_checkpoint(write_model(tmp_path / "silent.pt", "vae", 2, data=""))
    assert named_data([ae, vae]) == "fashion-mnist"
    assert named_data([ae, silent]) == "mnist"  # the left one when the right one names none
    assert named_data([ae, vae], "digits") == "digits"
    with pytest.raises(CheckpointError, match=r"silent.pt: names no data set; choose one with Open data"):
        named_data([silent], hint="choose one with Open data")
