"""A user's own folder through the command line: names, splits, a table kept elsewhere, labelled grids, notes."""

import json

import numpy as np
import pytest
from helpers import FONTS, LETTERS, assert_one_line_error, gif_frames, run_cli, write_letters
from PIL import Image
from trained import write_model

from vae_explorer.core.data import load_dataset
from vae_explorer.core.model.checkpoint import load_checkpoint, save_checkpoint


@pytest.fixture
def letters(tmp_path):
    """The folder, its table kept outside it, and a model trained (untrained here) on it with a stored split."""
    folder, table = write_letters(tmp_path)
    plain = write_model(tmp_path / "plain.pt", "vae", 3, seed=0, shape=(1, 12, 12), data=str(folder))
    split = {"kind": "seeded", "test_fraction": 0.5, "seed": 0, "train": 9, "test": 9}
    model = load_checkpoint(plain).build_model("cpu")
    save_checkpoint(tmp_path / "model.pt", model, {"data": str(folder.resolve()), "split": split})
    return folder, table, tmp_path / "model.pt"


def test_embed_writes_names_and_attributes_of_the_split_the_model_was_trained_with(capsys, letters, tmp_path):
    folder, table, model = letters
    rc, out, err = run_cli(
        capsys, "embed", model, "--attributes", table, "--out", tmp_path / "c.npz", "--tsv", tmp_path / "proj"
    )
    assert rc == 0, err
    test = load_dataset(str(folder), "test", test_fraction=0.5)  # the split stored in the checkpoint
    codes = np.load(tmp_path / "c.npz")
    assert codes["names"].tolist() == test.filenames and codes["attribute_names"].tolist() == ["bold", "weight"]
    weight = [0.5 * FONTS.index(n.split("/")[1]) for n in test.filenames]
    assert codes["attributes"][:, 1].tolist() == weight
    rows = [line.split("\t") for line in (tmp_path / "proj" / "metadata.tsv").read_text().splitlines()]
    assert rows[0] == ["index", "label", "file", "bold", "weight"]
    assert [r[2] for r in rows[1:]] == test.filenames and [r[1] for r in rows[1:]] == [n[0] for n in test.filenames]
    assert f"note: {table}: 18 rows, 9 of them for the 9 images of the test split" in err
    assert "tensorboard --logdir" in out and (tmp_path / "proj" / "projector_config.json").exists()


@pytest.mark.parametrize(("args", "n"), [([], 9), (["--split", "all"], 18), (["--test-fraction", "0.25"], 4)])
def test_split_and_test_fraction_choose_the_images(capsys, letters, tmp_path, args, n):
    rc, _, err = run_cli(capsys, "embed", letters[2], "--out", tmp_path / "c.npz", *args)
    assert rc == 0, err
    assert len(np.load(tmp_path / "c.npz")["names"]) == n


def test_mixed_sizes_are_reported_on_stderr(capsys, tmp_path):
    folder, _ = write_letters(tmp_path, sizes=[12, 12, 12, 12, 16, 16])
    model = write_model(tmp_path / "m.pt", "vae", 2, seed=0, shape=(1, 12, 12), data=str(folder))
    rc, _, err = run_cli(capsys, "embed", model, "--out", tmp_path / "c.npz")
    assert rc == 0
    assert "vae-explorer: note: " in err and "images of 2 sizes (12 of 12x12, 6 of 16x16): all resized to 12x12" in err
    rc, _, err = run_cli(capsys, "embed", model, "--out", tmp_path / "c.npz", "--image-size", "16")
    assert_one_line_error(rc, err.replace(err.splitlines()[0] + "\n", ""), r"takes images of shape 1x12x12")


def test_traverse_takes_sample_names_and_labels_its_grid(capsys, letters, tmp_path):
    folder, table, model = letters
    names = ["A/times.png", "C/serif.png"]
    test = load_dataset(str(folder), "all")
    base = ["traverse", "--vae", model, "--split", "all", "--attributes", table, "--alphas", "-1,0,1"]
    rc, out, err = run_cli(
        capsys, *base, "--attribute", "column:weight>median", "--samples", ",".join(names), "--out", tmp_path / "l.png"
    )
    assert rc == 0, err
    assert "(weight: upper vs lower half, balanced within classes)" in out
    assert "AUC" in out and "on held-out samples" in out and "also moves: bold" in out
    rc, _, err = run_cli(
        capsys, *base, "--attribute", "column:weight>median", "--samples", "A/times.png,16",
        "--out", tmp_path / "bare.png", "--no-labels",
    )  # fmt: skip
    assert rc == 0, err
    bare, labelled = np.asarray(Image.open(tmp_path / "bare.png")), np.asarray(Image.open(tmp_path / "l.png"))
    assert bare.shape == (2 * 13 + 1, 3 * 13 + 1)
    assert labelled.shape[0] > bare.shape[0] + 20 and labelled.shape[1] > bare.shape[1] + 40  # room for the labels
    assert (labelled[:, :30] < 128).any()  # the row names, in dark ink left of the images
    assert test.filenames[16] == "C/serif.png"


def test_an_ambiguous_or_missing_name_is_one_line(capsys, letters, tmp_path):
    model = letters[2]
    base = ["traverse", "--vae", model, "--split", "all", "--attribute", "class:A-B", "--out", tmp_path / "g.png"]
    rc, _, err = run_cli(capsys, *base, "--samples", "times.png")
    assert_one_line_error(rc, err, r"'times.png' is the file name of 3 images \(A/times.png, B/times.png, C/")
    rc, _, err = run_cli(capsys, *base, "--samples", "A/x")
    assert_one_line_error(rc, err, r"no image is named 'A/x'")


def test_morph_keys_by_name_replay_from_their_recipe(capsys, letters, tmp_path):
    folder, _, model = letters
    rc, _, err = run_cli(
        capsys, "morph", "--vae", model, "--from", "A/times.png", "--to", "C/times.png", "--split", "all",
        "--frames", "4", "--out", tmp_path / "m.gif", "--save-recipe", tmp_path / "r.json",
    )  # fmt: skip
    assert rc == 0, err
    recipe = json.loads((tmp_path / "r.json").read_text())
    whole = load_dataset(str(folder), "all")
    assert [whole.filenames[k] for k in recipe["keys"]] == ["A/times.png", "C/times.png"]
    assert recipe["split"] == "all" and recipe["test_fraction"] == 0.5
    rc, _, err = run_cli(capsys, "morph", "--recipe", tmp_path / "r.json", "--out", tmp_path / "again.gif")
    assert rc == 0, err
    first, again = gif_frames(tmp_path / "m.gif")[0], gif_frames(tmp_path / "again.gif")[0]
    assert len(first) == 4 and all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    train = load_dataset(str(folder), "train", test_fraction=0.5).filenames  # not in the (default) test split
    rc, _, err = run_cli(
        capsys, "morph", "--vae", model, "--from", train[0], "--to", train[1], "--out", tmp_path / "n.gif"
    )
    assert_one_line_error(rc, err, rf"{train[0]} is not in the test split of .* --split train, test or all")


def test_all_letters_are_in_the_table(letters):
    assert len(LETTERS) * len(FONTS) == len(letters[1].read_text().splitlines()) - 1
