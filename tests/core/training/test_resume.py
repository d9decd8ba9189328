"""Resume restores the run: a folder-trained model continues from anywhere, and contradicting flags are refused."""

import json
import os
import shlex
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch
from helpers import assert_one_line_error, run_cli
from PIL import Image

from vae_explorer.core.data import load_dataset, load_digits
from vae_explorer.core.model.checkpoint import load_checkpoint


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder of 8x8 grey images in three class folders, 20 each."""
    root = tmp_path_factory.mktemp("glyphs") / "glyphs"
    digits = load_digits("all")
    for label in (0, 1, 7):
        (root / f"c{label}").mkdir(parents=True)
        for k, i in enumerate(np.flatnonzero(digits.labels == label)[:20]):
            Image.fromarray(digits.images[i, 0]).save(root / f"c{label}" / f"{k}.png")
    return root


def _train(capsys, *argv):
    rc, out, err = run_cli(capsys, "train", *argv, "--progress", "none")
    assert rc == 0, err
    return err


def _weights(path):
    return load_checkpoint(path).state_dict


def test_a_folder_run_resumes_from_elsewhere_exactly_and_keeps_its_split(capsys, tmp_path, folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    common = ("--data", "glyphs", "--latent-dim", "2", "--batch-size", "8", "--test-fraction", "0.25", "--seed", "5")
    _train(capsys, *common, "--epochs", "1", "--lr", "0.002", "--out", tmp_path / "m.pt")
    meta = load_checkpoint(tmp_path / "m.pt").metadata
    assert meta["data"] == str(folder) and meta["batch_size"] == 8 and meta["lr"] == 0.002
    assert meta["split"] == {"kind": "seeded", "test_fraction": 0.25, "seed": 0, "train": 45, "test": 15}
    test = load_dataset(meta["data"], "test", test_fraction=meta["split"]["test_fraction"])
    assert len(test) == 15  # a later command finds the same images from what the checkpoint says

    monkeypatch.chdir(tmp_path)  # elsewhere, and without any Fashion-MNIST to find
    monkeypatch.delenv("VAE_EXPLORER_DATA", raising=False)
    _train(capsys, "--resume", "m.pt", "--epochs", "2")
    resumed = load_checkpoint(tmp_path / "m.pt")
    assert resumed.train_state["epoch"] == 2 and resumed.metadata["lr"] == 0.002
    assert resumed.metadata["split"] == meta["split"] and resumed.metadata["seed"] == 5


def test_resume_without_data_continues_on_the_checkpoints_data_not_the_default(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VAE_EXPLORER_DATA", str(tmp_path / "no-fashion-here"))  # the default data is missing
    out = tmp_path / "digits.pt"
    _train(capsys, "--data", "digits", "--latent-dim", "3", "--beta", "4", "--epochs", "1", "--out", out)
    _train(capsys, "--resume", out, "--epochs", "2")
    meta = load_checkpoint(out).metadata
    assert meta["data"] == "digits" and meta["beta"] == 4 and meta["epochs"] == 2
    assert load_checkpoint(out).config.latent_dim == 3
    rc, _, err = run_cli(capsys, "train", "--resume", out, "--epochs", "3", "--beta", "1")
    assert_one_line_error(rc, err, r"--beta 1 contradicts .*digits.pt, trained with --beta 4")
    assert load_checkpoint(out).metadata["epochs"] == 2


def test_resume_continues_a_folder_run_exactly(capsys, tmp_path, folder):
    common = ("--data", folder, "--latent-dim", "2", "--batch-size", "8", "--seed", "5")
    _train(capsys, *common, "--epochs", "2", "--out", tmp_path / "straight.pt")
    _train(capsys, *common, "--epochs", "1", "--out", tmp_path / "split.pt")
    _train(capsys, "--resume", tmp_path / "split.pt", "--epochs", "2")
    a, b = _weights(tmp_path / "straight.pt"), _weights(tmp_path / "split.pt")
    assert all(torch.allclose(a[k], b[k], atol=1e-6) for k in a)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--kind", "ae"), r"--kind ae contradicts .*m.pt, trained with --kind vae; leave --kind out"),
        (("--latent-dim", "3"), r"--latent-dim 3 contradicts .*m.pt, trained with --latent-dim 2"),
        (("--data", "digits"), r"--data digits contradicts .*m.pt, trained with --data .*glyphs"),
        (("--batch-size", "16"), r"--batch-size 16 contradicts .*m.pt, trained with --batch-size 8"),
        (("--lr", "0.01"), r"--lr 0.01 contradicts .*m.pt, trained with --lr 0.001"),
        (("--seed", "1"), r"--seed 1 contradicts .*m.pt, trained with --seed 0"),
        (("--test-fraction", "0.3"), r"--test-fraction 0.3 contradicts .*m.pt, trained with --test-fraction 0.1"),
        (("--lr-schedule", "cosine"), r"--lr-schedule cosine contradicts .*trained with --lr-schedule constant"),
        (("--history",), r"--history contradicts .*m.pt, trained with no --history"),
        (("--beta", "2"), r"--beta 2 contradicts .*m.pt, trained with --beta 1"),
    ],
)
def test_a_flag_that_contradicts_the_checkpoint_is_refused(capsys, tmp_path, folder, flags, message):
    out = tmp_path / "m.pt"
    _train(capsys, "--data", folder, "--latent-dim", "2", "--batch-size", "8", "--epochs", "1", "--out", out)
    before = out.read_bytes()
    rc, _, err = run_cli(capsys, "train", "--resume", out, "--epochs", "2", *flags)
    assert_one_line_error(rc, err, message)
    assert out.read_bytes() == before


def test_flags_that_agree_with_the_checkpoint_or_only_say_where_are_accepted(capsys, tmp_path, folder, monkeypatch):
    out = tmp_path / "m.pt"
    _train(capsys, "--data", folder, "--latent-dim", "2", "--batch-size", "8", "--epochs", "1", "--out", out)
    monkeypatch.chdir(folder.parent)
    _train(capsys, "--resume", out, "--epochs", "2", "--data", "glyphs", "--latent-dim", "2", "--device", "cpu")
    _train(capsys, "--resume", out, "--out", tmp_path / "copy.pt", "--epochs", "3", "--half")
    assert load_checkpoint(out).metadata["epochs"] == 2
    copy = load_checkpoint(tmp_path / "copy.pt")
    assert copy.metadata["epochs"] == 3 and copy.metadata["weights"] == "float16"


@pytest.mark.slow
def test_the_ctrl_c_hint_continues_a_folder_run_as_printed(tmp_path, folder):
    out = tmp_path / "m.pt"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("VAE_EXPLORER_DATA", None)
    argv = ["train", "--data", str(folder), "--batch-size", "4", "--epochs", "4", "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "vae_explorer", *argv, "--progress", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    for line in proc.stdout:
        if json.loads(line)["event"] == "epoch":
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err
    hint = err.split("continue with: ", 1)[1].strip()
    assert hint == f"vae-explorer train --resume {shlex.quote(str(out))} --epochs 4"
    done = load_checkpoint(out).train_state["epoch"]
    assert 1 <= done < 4
    again = subprocess.run(
        [sys.executable, "-m", "vae_explorer", *shlex.split(hint)[1:], "--progress", "none"],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder.parent.parent,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert load_checkpoint(out).train_state["epoch"] == 4
