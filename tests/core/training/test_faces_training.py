"""The faces train and resume like every built-in set: their own test split, recorded in the checkpoint."""

import pytest
from helpers import assert_one_line_error, run_cli

from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.training.loop import train
from vae_explorer.core.training.settings import TrainConfig


@pytest.mark.slow
def test_a_faces_run_trains_an_epoch_and_resumes(capsys, tmp_path):
    out = tmp_path / "faces.pt"
    # a small network (one stage of 8 channels): the 50,000 faces of an epoch take seconds
    result = train(TrainConfig(data="faces", epochs=1, latent_dim=2, widths=(8,), batch_size=500, out=str(out)))
    assert result.status == "finished"
    meta = load_checkpoint(out).metadata
    assert meta["data"] == "faces" and meta["split"] == {"kind": "files", "train": 50_000, "test": 10_000}
    rc, _, err = run_cli(capsys, "train", "--data", "faces", "--resume", out, "--epochs", "2", "--progress", "none")
    assert rc == 0, err
    resumed = load_checkpoint(out)
    assert resumed.train_state["epoch"] == 2 and resumed.metadata["split"] == meta["split"]


def test_a_test_fraction_for_the_faces_is_refused_in_one_line(capsys, tmp_path):
    rc, _, err = run_cli(capsys, "train", "--data", "faces", "--test-fraction", "0.2", "--out", tmp_path / "f.pt")
    assert_one_line_error(rc, err, r"faces: ships its own test split; a test fraction applies to image folders")
    assert list(tmp_path.iterdir()) == []
