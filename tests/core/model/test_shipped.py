"""The shipped models: the faces pair `--data faces` opens, the beta-4 VAEs beside the VAEs."""

import pytest
from helpers import run_cli

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.model.shipped import choose_startup


def test_data_faces_picks_the_shipped_faces_pair():
    choice = choose_startup(data="faces")
    assert (choice.left.name, choice.right.name, choice.data) == ("faces-ae.pt", "faces-vae.pt", "faces")
    assert "the shipped faces pair" in choice.reason
    with pytest.raises(VaeExplorerError, match="no shipped models for 'cifar'"):
        choose_startup(data="cifar")


def test_the_fashion_beta4_vae_sits_beside_the_fashion_vae(checkpoints_dir):
    beta1, beta4 = (load_checkpoint(checkpoints_dir / f) for f in ("fashion-vae.pt", "fashion-vae-beta4.pt"))
    assert (beta4.path.stat().st_size <= 3_000_000) and beta4.metadata["weights"] == "float16"
    assert (beta4.beta, beta1.beta) == (4.0, 1.0) and beta4.config == beta1.config
    assert beta4.metadata["test"]["kl"] < beta1.metadata["test"]["kl"]  # beta 4 pays for less information


@pytest.mark.parametrize("name", ("faces-ae.pt", "faces-vae.pt", "faces-vae-beta4.pt"))
def test_shipped_faces_models_are_small_float16_files_trained_on_faces(checkpoints_dir, name):
    path = checkpoints_dir / name
    assert path.stat().st_size <= 3_000_000
    ckpt = load_checkpoint(path)
    assert ckpt.config.image_shape == (3, 32, 32) and ckpt.config.latent_dim == 10
    assert ckpt.metadata["data"] == "faces" and ckpt.metadata["weights"] == "float16"
    assert ckpt.metadata["epochs"] == 25 and ckpt.config.kind == ("ae" if "-ae" in name else "vae")
    assert ckpt.beta == (4.0 if "beta4" in name else 1.0)


def test_every_shipped_checkpoint_records_its_split_and_info_shows_it(checkpoints_dir, capsys):
    splits = {"fashion": (60_000, 10_000), "faces": (50_000, 10_000)}
    for path in sorted(checkpoints_dir.glob("*.pt")):
        if path.name == "faces-factors.pt" or path.name.endswith("-classifier.pt"):  # measures, not autoencoders
            continue
        ckpt = load_checkpoint(path)
        assert path.stat().st_size <= 3_000_000
        split = ckpt.metadata["split"]
        if ckpt.metadata["data"] == "digits":
            assert split == {"kind": "seeded", "test_fraction": 0.2, "seed": 0, "train": 1438, "test": 359}
            shown = "seeded: a share of 0.2 held out for testing, seed 0"
        else:
            train, test = splits[path.name.split("-")[0]]
            assert split == {"kind": "files", "train": train, "test": test}, path.name
            shown = "the data's own train and test files"
        rc, out, _ = run_cli(capsys, "info", path)
        assert rc == 0 and f"  split      {shown}\n" in out
