"""``vae-explorer traverse``: a grid PNG of the right size, saved vectors reused, bad input in one line."""

import numpy as np
import pytest
from helpers import assert_one_line_error, run_cli
from PIL import Image
from trained import write_model

from vae_explorer.core.attributes.files import load_vector
from vae_explorer.core.data import load_digits
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.latent.codes import decode_codes, encode_images
from vae_explorer.core.model.checkpoint import load_model


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("traverse")
    return write_model(folder / "ae.pt", "ae", 3, 0), write_model(folder / "vae.pt", "vae", 4, 1)


def test_traverse_writes_a_grid_of_the_right_size(capsys, models, tmp_path):
    out = tmp_path / "grid.png"
    rc, stdout, err = run_cli(
        capsys, "traverse", "--vae", models[1], "--data", "digits", "--attribute", "class:7-9",
        "--samples", "0,1,2", "--alphas", "-2:2:9", "--out", out, "--no-labels",
    )  # fmt: skip
    assert rc == 0, err
    # 3 rows by 9 columns of 8x8 images with 1-pixel gaps
    assert Image.open(out).size == (9 * 9 + 1, 3 * 9 + 1)
    assert "3 samples x 9 alphas from -2 to 2" in stdout and "AUC" in stdout
    # the middle column (alpha 0) is each sample's reconstruction
    model, _ = load_model(models[1])
    data = load_digits("test")
    recon = to_uint8(decode_codes(model, encode_images(model, data.images[[0, 1, 2]]).mu))
    grid = np.asarray(Image.open(out))
    for row in range(3):
        y, x = 1 + row * 9, 1 + 4 * 9
        assert np.array_equal(grid[y : y + 8, x : x + 8], recon[row, 0])


def test_both_models_side_by_side_scaled_and_the_vector_reused(capsys, models, tmp_path):
    out, saved = tmp_path / "both.png", tmp_path / "ink.json"
    rc, stdout, err = run_cli(
        capsys, "traverse", "--ae", models[0], "--vae", models[1], "--data", "digits", "--attribute", "pixel:ink",
        "--samples", "4,5", "--alphas", "-1,0,1", "--scale", "2", "--out", out, "--save-vector", saved, "--no-labels",
    )  # fmt: skip
    assert rc == 0, err
    one = (3 * 9 + 1, 2 * 9 + 1)
    assert Image.open(out).size == (2 * (2 * one[0] + 6), 2 * one[1])
    vector = load_vector(saved)
    assert vector.name == "more ink" and sorted(vector.entries) == ["left", "right"]
    assert vector.entries["left"].latent_dim == 3 and vector.entries["right"].latent_dim == 4
    again = tmp_path / "again.png"
    rc, stdout, err = run_cli(
        capsys, "traverse", "--vae", models[1], "--data", "digits", "--vector", saved, "--samples", "4,5",
        "--alphas", "-1,0,1", "--out", again, "--no-labels",
    )  # fmt: skip
    assert rc == 0, err
    right_half = np.asarray(Image.open(out))[::2, ::2][:, one[0] + 6 :]
    assert np.array_equal(np.asarray(Image.open(again)), right_half)


def test_a_column_of_an_attribute_table(capsys, models, tmp_path):
    rows = load_digits("test").source_rows()  # row numbers of the whole digits
    table = tmp_path / "attrs.csv"
    table.write_text("index,odd,score\n" + "".join(f"{i},{i % 2},{i * 0.5}\n" for i in rows))
    out = tmp_path / "odd.png"
    base = ["traverse", "--vae", models[1], "--data", "digits", "--attributes", table, "--out", out]
    rc, stdout, err = run_cli(capsys, *base, "--attribute", "column:odd")
    assert rc == 0, err
    assert out.exists()
    rc, _, err = run_cli(capsys, *base, "--attribute", "column:score")
    assert_one_line_error(rc, err, r"attrs.csv: column 'score' is not binary")


@pytest.mark.parametrize(
    "args, pattern",
    [
        (["--attribute", "class:7-7"], r"7 vs 7: both groups are the same samples"),
        (["--attribute", "class:7-12"], r"no class '12' in digits"),
        (["--attribute", "indices:3-rest"], r"the positive group holds one sample"),
        (["--attribute", "column:Smiling"], r"digits has no attribute table"),
        (["--attribute", "shape:round"], r"unknown kind 'shape'"),
        (["--attribute", "class:1-2", "--samples", "0,9999"], r"sample 9999 is out of range"),
        (["--attribute", "class:1-2", "--alphas", "1:2"], r"--alphas: '1:2' is not A:B:N"),
        (["--vector", "missing.json"], r"missing.json: no such attribute vector file"),
        ([], r"one of the arguments --attribute --vector is required"),
    ],
)
def test_bad_input_is_one_line(capsys, models, tmp_path, monkeypatch, args, pattern):
    monkeypatch.chdir(tmp_path)
    rc, _, err = run_cli(capsys, "traverse", "--vae", models[1], "--data", "digits", "--out", "g.png", *args)
    assert_one_line_error(rc, err, pattern)
    assert not (tmp_path / "g.png").exists()


def test_a_table_whose_rows_do_not_match(capsys, models, tmp_path):
    table = tmp_path / "short.csv"
    table.write_text("index,odd\n0,1\n1,0\n")
    rc, _, err = run_cli(
        capsys, "traverse", "--vae", models[1], "--data", "digits", "--attributes", table,
        "--attribute", "column:odd", "--out", tmp_path / "g.png",
    )  # fmt: skip
    assert_one_line_error(rc, err, r"short.csv: no row for \d+ of the 359 images \(first: row \d+\)")
