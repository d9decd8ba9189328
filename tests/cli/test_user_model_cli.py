"""A user's model files through the command line: refused without --trust, then opened by every command."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import torch
import user_models
from fashion import NO_FASHION, needs_fashion
from helpers import assert_one_line_error, gif_frames, run_cli
from PIL import Image
from user_models import BROKEN_DECODE, TRUST_ALL, write_model_file

from vae_explorer.core.data import load_dataset
from vae_explorer.core.model.metrics import evaluate
from vae_explorer.core.model.opening import open_model


def _needs_fashion() -> None:
    if user_models.FASHION is None:
        pytest.skip(f"these models are trained on Fashion-MNIST: {NO_FASHION}")


@pytest.fixture(scope="module")
def vae_file(tmp_path_factory):
    _needs_fashion()
    return user_models.examples_vae(tmp_path_factory)


@pytest.fixture(scope="module")
def ae_file(tmp_path_factory):
    _needs_fashion()
    return user_models.conv_ae(tmp_path_factory)


def test_without_trust_every_command_refuses_in_one_line(capsys, tmp_path, vae_file, checkpoints_dir):
    refusal = rf"{re.escape(str(vae_file))}: a model file runs the Python code in it; add --trust to open it"
    for argv in (
        ["info", vae_file],
        ["embed", vae_file, "--data", "fashion-mnist", "--out", tmp_path / "codes.npz"],
        ["morph", "--vae", vae_file, "--from", "0", "--to", "1", "--out", tmp_path / "m.gif"],
        [
            "traverse",
            "--vae",
            vae_file,
            "--data",
            "fashion-mnist",
            "--attribute",
            "class:0-1",
            "--out",
            tmp_path / "t.png",
        ],
        [
            "morph",
            "--ae",
            checkpoints_dir / "fashion-ae.pt",
            "--vae",
            vae_file,
            "--from",
            "0",
            "--to",
            "1",
            "--out",
            tmp_path / "m.gif",
        ],
    ):
        rc, _, err = run_cli(capsys, *argv)
        assert_one_line_error(rc, err, refusal)
    assert not list(tmp_path.iterdir())  # nothing written


def test_info_measures_a_model_file_in_the_units_of_the_shipped_models(capsys, vae_file, ae_file):
    rc, out, _ = run_cli(capsys, "info", vae_file, "--trust")
    assert rc == 0
    assert "VAE from a model file, latent 20, images 1x28x28" in out and "PyTorch examples VAE" in out
    assert "probabilities; reconstructions scored as Bernoulli" in out and "652,824 parameters" in out
    test = load_dataset("fashion-mnist", "test")
    metrics = evaluate(open_model(vae_file, "cpu", TRUST_ALL), torch.from_numpy(test.images))
    expected = (
        f"reconstruction {metrics['recon']:.2f}, KL {metrics['kl']:.2f}, negative ELBO {metrics['neg_elbo']:.2f} "
        f"(nats per image, Bernoulli), measured on {test.description} (10,000 images)"
    )
    assert expected in out
    assert 0 < metrics["kl"] < metrics["recon"] < 400  # a trained model, not noise (544 nats is 784 coin flips)
    rc, out, _ = run_cli(capsys, "info", ae_file, "--trust", "--json")
    blob = json.loads(out)
    assert (
        blob["model"]["model"].startswith("AE from a model file, latent 20")
        and blob["metadata"]["data"] == "fashion-mnist"
    )
    assert blob["measured"]["kl"] == 0 and 0 < blob["measured"]["recon"] < 400


DIGITS_VAE = """\
import torch
from torch import nn

import vae_explorer


def vae_explorer_model():
    torch.manual_seed(0)
    net = nn.Linear(64, 4)
    return vae_explorer.wrap(
        net, (1, 8, 8), encode=lambda x: net(x).chunk(2, 1), decode=lambda z: torch.sigmoid(z @ net.weight[:2]),
        flatten=True, likelihood={likelihood!r}, sigma=0.5, name="digits VAE", data="digits",
    )
"""


@pytest.mark.parametrize(
    ("likelihood", "row"),
    [
        (
            "gaussian",
            r"reconstruction [\d.]+, KL [\d.]+, negative ELBO [\d.]+ \(nats per image, Gaussian\), measured on",
        ),
        ("mse", r"squared error [\d.]+ per image, KL [\d.]+ nats \(no ELBO: squared error is not a likelihood\)"),
    ],
)
def test_info_scores_reconstructions_as_the_model_declares(capsys, tmp_path, likelihood, row):
    path = write_model_file(tmp_path, DIGITS_VAE.format(likelihood=likelihood))
    rc, out, err = run_cli(capsys, "info", path, "--trust")
    assert rc == 0, err
    assert re.search(row, out) and "digits" in out
    if likelihood == "gaussian":
        assert "scored as Gaussian (sigma 0.5)" in out


@needs_fashion
def test_info_measures_a_shipped_checkpoint_as_it_was_measured_when_trained(capsys, checkpoints_dir):
    path = checkpoints_dir / "fashion-vae.pt"
    rc, out, _ = run_cli(capsys, "info", path, "--measure")
    assert rc == 0
    rows = [re.findall(r"reconstruction ([\d.]+), KL ([\d.]+)", line) for line in out.splitlines()]
    stored, measured = (row[0] for row in rows if row)
    assert np.allclose(np.asarray(stored, float), np.asarray(measured, float), atol=0.3)


def test_embed_writes_the_codes_of_a_model_file_on_the_data_it_names(capsys, tmp_path, vae_file):
    out = tmp_path / "codes.npz"
    rc, text, err = run_cli(capsys, "embed", vae_file, "--trust", "--limit", "50", "--out", out)
    assert rc == 0, err
    with np.load(out) as codes:
        assert codes["mu"].shape == codes["logvar"].shape == (50, 20)
        model = open_model(vae_file, "cpu", TRUST_ALL)
        images = load_dataset("fashion-mnist", "test").images[:50]
        mu, _ = model.encode(torch.from_numpy(images).float() / 255)
        assert np.allclose(codes["mu"], mu.detach().numpy(), atol=1e-5)


def test_a_morph_of_a_shipped_ae_and_a_users_vae_replays_from_its_recipe(capsys, tmp_path, vae_file, checkpoints_dir):
    gif, recipe = tmp_path / "morph.gif", tmp_path / "morph.json"
    ae = checkpoints_dir / "fashion-ae.pt"
    common = ["--from", "0", "--to", "1", "--frames", "8", "--labels"]
    rc, out, err = run_cli(
        capsys, "morph", "--ae", ae, "--vae", vae_file, "--trust", *common, "--out", gif, "--save-recipe", recipe
    )
    assert rc == 0, err
    frames, _, _ = gif_frames(gif)
    assert len(frames) == 8
    saved = json.loads(recipe.read_text())
    assert saved["checkpoints"] == [str(ae.resolve()), str(vae_file.resolve())]
    assert saved["digests"][1] == open_model(vae_file, "cpu", TRUST_ALL).digest
    again = tmp_path / "again.gif"
    replay = ["morph", "--recipe", recipe, "--allow-outside", "--out", again]  # the model file lies elsewhere
    rc, _, err = run_cli(capsys, *replay)
    assert_one_line_error(rc, err, "a model file runs the Python code in it; add --trust")
    rc, _, err = run_cli(capsys, *replay, "--trust")
    assert rc == 0 and err == ""
    assert all(np.array_equal(a, b) for a, b in zip(frames, gif_frames(again)[0], strict=True))


def test_a_morph_of_two_own_models_is_a_gif_that_moves(capsys, tmp_path, vae_file, ae_file):
    gif = tmp_path / "own.gif"
    args = ["--from", "0", "--to", "1", "--frames", "4", "--labels", "--out", gif]
    rc, _, err = run_cli(capsys, "morph", "--ae", ae_file, "--vae", vae_file, "--trust", *args)
    assert rc == 0, err
    frames, _, _ = gif_frames(gif)
    assert len(frames) == 4 and not np.array_equal(frames[0], frames[-1])


def test_traverse_moves_samples_along_a_vector_in_a_users_models(capsys, tmp_path, vae_file, ae_file):
    grid = tmp_path / "grid.png"
    args = ["--attribute", "class:Trouser-rest", "--samples", "0,1", "--alphas", "-1:1:3", "--out", grid, "--no-labels"]
    rc, out, err = run_cli(
        capsys, "traverse", "--ae", ae_file, "--vae", vae_file, "--trust", "--data", "fashion-mnist", *args
    )
    assert rc == 0, err
    assert "AE conv AE: groups of 1000 and 9000" in out and "VAE PyTorch examples VAE: groups of 1000 and 9000" in out
    with Image.open(grid) as im:
        assert im.size == (2 * (3 * 29 + 1) + 6, 2 * 29 + 1)


def test_a_broken_decode_is_one_line_naming_the_file_and_the_shape(capsys, tmp_path):
    path = write_model_file(tmp_path, BROKEN_DECODE, "broken.py")
    expected = rf"{re.escape(str(path))}: decode returns shape \(N, 784\) where \(N, 1, 28, 28\) was expected"
    for argv in (
        ["info", path, "--trust"],
        ["embed", path, "--trust", "--data", "fashion-mnist", "--out", tmp_path / "c.npz"],
    ):
        rc, _, err = run_cli(capsys, *argv)
        assert_one_line_error(rc, err, expected)
