"""The CLI's commands, and every bad input ending in one line, a non-zero exit and no lost file."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch
from helpers import assert_one_line_error, run_cli, write_idx_set

from vae_explorer.cli import main
from vae_explorer.core.data import load_dataset
from vae_explorer.core.model.checkpoint import load_checkpoint


@pytest.fixture(scope="module")
def digits_vae(tmp_path_factory):
    path = tmp_path_factory.mktemp("ckpt") / "digits.pt"
    assert (
        main(
            [
                "train",
                "--data",
                "digits",
                "--epochs",
                "1",
                "--latent-dim",
                "3",
                "--out",
                str(path),
                "--progress",
                "none",
            ]
        )
        == 0
    )
    return path


def test_train_writes_checkpoint_and_info_prints_metrics(capsys, digits_vae):
    rc, out, _ = run_cli(capsys, "info", str(digits_vae))
    assert rc == 0
    assert "VAE, latent 3, images 1x8x8" in out
    test = load_checkpoint(digits_vae).metadata["test"]
    assert f"reconstruction {test['recon']:.2f}, KL {test['kl']:.2f}, negative ELBO {test['neg_elbo']:.2f}" in out
    rc, out, _ = run_cli(capsys, "info", "--json", str(digits_vae))
    assert json.loads(out)["config"]["latent_dim"] == 3


def test_train_json_progress(capsys, tmp_path):
    rc, out, _ = run_cli(
        capsys,
        "train",
        "--data",
        "digits",
        "--kind",
        "ae",
        "--epochs",
        "2",
        "--latent-dim",
        "2",
        "--out",
        str(tmp_path / "ae.pt"),
        "--progress",
        "json",
    )
    assert rc == 0
    events = [json.loads(line) for line in out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end"
    assert kinds.count("epoch") == 2 and "step" in kinds
    assert events[-1]["status"] == "finished"
    epoch = next(e for e in events if e["event"] == "epoch")
    assert set(epoch["test"]) >= {"recon", "kl", "neg_elbo"} and epoch["checkpoint"].endswith("ae.pt")


def test_embed_writes_codes_and_projector_files(capsys, digits_vae, tmp_path):
    rc, out, _ = run_cli(
        capsys,
        "embed",
        str(digits_vae),
        "--data",
        "digits",
        "--out",
        str(tmp_path / "c.npz"),
        "--tsv",
        str(tmp_path / "tsv"),
    )
    assert rc == 0
    n = len(load_dataset("digits", "test"))
    codes = np.load(tmp_path / "c.npz")
    assert codes["mu"].shape == (n, 3) and codes["logvar"].shape == (n, 3)
    assert codes["labels"].shape == (n,)
    rows = (tmp_path / "tsv" / "vectors.tsv").read_text().splitlines()
    assert len(rows) == n and len(rows[0].split("\t")) == 3
    meta = (tmp_path / "tsv" / "metadata.tsv").read_text().splitlines()
    assert meta[0] == "index\tlabel" and len(meta) == n + 1
    assert (tmp_path / "tsv" / "sprite.png").exists()


def test_missing_checkpoint(capsys, tmp_path):
    rc, _, err = run_cli(capsys, "info", str(tmp_path / "gone.pt"))
    assert_one_line_error(rc, err, r"gone.pt: no such checkpoint file")


def test_truncated_checkpoint(capsys, digits_vae, tmp_path):
    bad = tmp_path / "cut.pt"
    bad.write_bytes(digits_vae.read_bytes()[:3000])
    rc, _, err = run_cli(capsys, "info", str(bad))
    assert_one_line_error(rc, err, r"cut.pt: not a readable checkpoint \(truncated or corrupt\)")


def test_file_that_is_not_a_checkpoint(capsys, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    rc, _, err = run_cli(capsys, "info", str(bad))
    assert_one_line_error(rc, err, r"notes.txt: not a readable checkpoint")
    other = tmp_path / "tensor.pt"
    torch.save(torch.zeros(3), other)
    rc, _, err = run_cli(capsys, "info", str(other))
    assert_one_line_error(rc, err, r"tensor.pt: not a vae-explorer checkpoint")


def test_info_on_the_shipped_factor_predictor_says_what_it_is(capsys, checkpoints_dir):
    rc, out, err = run_cli(capsys, "info", checkpoints_dir / "faces-factors.pt")
    assert rc == 0, err
    rows = {line[2:12].strip(): line[13:] for line in out.splitlines()[1:]}
    assert rows["model"].startswith("the faces' factor predictor, not an autoencoder: a CNN that reads the 10 factors")
    assert rows["weights"] == "193,647 parameters, stored as float16"
    assert rows["held out"].startswith("on the test faces: smile R^2 0.976, Eyeglasses accuracy 1.000")
    rc, _, err = run_cli(capsys, "info", checkpoints_dir / "faces-factors.pt", "--measure")
    assert_one_line_error(rc, err, r"faces-factors.pt: the faces' factor predictor; --measure measures autoencoders")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display is an X11 or Wayland matter on Linux")
def test_without_a_display_the_window_says_how_to_run_off_screen(capsys, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    rc, _, err = run_cli(capsys, "--data", "digits")
    assert_one_line_error(rc, err, r"no display to open the window on .*: set QT_QPA_PLATFORM=offscreen .*--screenshot")


def test_checkpoint_that_does_not_fit_the_data(capsys, digits_vae, tmp_path, fashion_dir):
    rc, _, err = run_cli(capsys, "embed", str(digits_vae), "--data", "fashion-mnist", "--out", str(tmp_path / "c.npz"))
    assert_one_line_error(rc, err, r"digits.pt: model takes images of shape 1x8x8, but fashion-mnist has 1x28x28")
    rc, _, err = run_cli(
        capsys,
        "train",
        "--data",
        "fashion-mnist",
        "--resume",
        str(digits_vae),
        "--epochs",
        "3",
        "--out",
        str(tmp_path / "x.pt"),
    )
    assert_one_line_error(rc, err, r"--data fashion-mnist contradicts .*digits.pt, trained with --data digits")
    assert not (tmp_path / "c.npz").exists() and not (tmp_path / "x.pt").exists()


def test_data_folder_without_images(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    rc, _, err = run_cli(capsys, "train", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "m.pt"))
    assert_one_line_error(rc, err, r"empty: no images found")


def test_truncated_idx_file(capsys, tmp_path, digits_vae):
    write_idx_set(tmp_path / "idx", n=20)
    write_idx_set(tmp_path / "idx", n=5, split="test")
    path = tmp_path / "idx" / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-30])
    keep = tmp_path / "m.pt"
    keep.write_bytes(digits_vae.read_bytes())
    rc, _, err = run_cli(capsys, "train", "--data", str(tmp_path / "idx"), "--out", str(keep))
    assert_one_line_error(rc, err, r"train-images-idx3-ubyte.gz: truncated")
    assert keep.read_bytes() == digits_vae.read_bytes()  # the older file is untouched


def test_unknown_data(capsys, tmp_path):
    rc, _, err = run_cli(capsys, "train", "--data", "imagenet", "--out", str(tmp_path / "m.pt"))
    assert_one_line_error(rc, err, r"unknown data 'imagenet'")


@pytest.mark.parametrize(
    ("option", "value", "pattern"),
    [
        ("--epochs", "0", r"argument --epochs: must be at least 1, not 0"),
        ("--epochs", "-3", r"argument --epochs: must be at least 1, not -3"),
        ("--latent-dim", "0", r"argument --latent-dim: must be at least 1, not 0"),
        ("--latent-dim", "two", r"argument --latent-dim: 'two' is not a whole number"),
    ],
)
def test_bad_numbers(capsys, tmp_path, option, value, pattern):
    rc, _, err = run_cli(capsys, "train", "--data", "digits", option, value, "--out", str(tmp_path / "m.pt"))
    assert rc == 2
    assert_one_line_error(rc, err, pattern)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA device")
def test_cuda_requested_where_none_exists(capsys, tmp_path):
    rc, _, err = run_cli(capsys, "train", "--data", "digits", "--device", "cuda", "--out", str(tmp_path / "m.pt"))
    assert_one_line_error(rc, err, r"device 'cuda' was requested, but no CUDA device is available")


def _cli(*argv, **kw):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "vae_explorer", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,
    )


@pytest.mark.slow
def test_ctrl_c_keeps_the_last_epoch_and_resume_continues(tmp_path):
    out = tmp_path / "m.pt"
    proc = _cli(
        "train", "--data", "digits", "--epochs", "500", "--latent-dim", "2", "--out", str(out), "--progress", "json"
    )
    for line in proc.stdout:
        if json.loads(line)["event"] == "epoch":
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert "continue with: vae-explorer train --resume" in err
    done = load_checkpoint(out).train_state["epoch"]
    assert 1 <= done < 500
    resumed = _cli("train", "--resume", str(out), "--data", "digits", "--epochs", str(done + 1), "--progress", "none")
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert load_checkpoint(out).train_state["epoch"] == done + 1
