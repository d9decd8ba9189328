"""``vae-explorer morph``: the GIF, the strip and the recipe it writes, and every bad input in one line."""

import json
import os

import numpy as np
import pytest
from helpers import assert_one_line_error, gif_frames, run_cli, save_sample
from PIL import Image
from trained import digits_pair, file_size_limit

from vae_explorer.core.data import load_dataset


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return digits_pair(tmp_path_factory)


def morph(capsys, pair, *argv):
    return run_cli(capsys, "morph", "--ae", pair[0], "--vae", pair[1], "--data", "digits", *argv)


def test_morph_writes_gif_strip_and_recipe_that_replays(capsys, pair, tmp_path):
    rc, out, err = morph(
        capsys, pair, "--from", 4, "--to", 17, "--frames", 10, "--fps", 20, "--scale", 2, "--method", "slerp",
        "--out", tmp_path / "m.gif", "--strip", tmp_path / "s.png", "--save-recipe", tmp_path / "r.json",
    )  # fmt: skip
    assert rc == 0, err
    assert "wrote" in out and "10 frames of 2 models, slerp" in out
    frames, durations, loop = gif_frames(tmp_path / "m.gif")
    assert len(frames) == 10 and frames[0].shape == (16, 2 * 16 + 4)
    assert durations == [50] * 10 and loop == 0
    with Image.open(tmp_path / "s.png") as strip:
        assert strip.size == (2 * (10 * 9 + 1), 2 * (2 * 9 + 1))
    recipe = json.loads((tmp_path / "r.json").read_text())
    assert recipe["keys"] == [4, 17] and recipe["frames"] == 10 and recipe["method"] == "slerp"
    assert recipe["checkpoints"] == [str(pair[0].resolve()), str(pair[1].resolve())] and recipe["data"] == "digits"
    again = ["morph", "--recipe", tmp_path / "r.json", "--out", tmp_path / "again.gif"]
    rc, _, err = run_cli(capsys, *again)
    assert_one_line_error(rc, err, r"r.json: checkpoint .*digits4-ae.pt' lies outside the recipe's folder")
    rc, _, err = run_cli(capsys, *again, "--allow-outside")  # the models lie in another folder
    assert rc == 0, err
    assert (tmp_path / "again.gif").read_bytes() == (tmp_path / "m.gif").read_bytes()


def test_morph_through_an_image_file_one_model_ping_pong(capsys, pair, tmp_path):
    data = load_dataset("digits", "test")
    save_sample(tmp_path / "key.png", data, 30)
    rc, _, err = run_cli(
        capsys, "morph", "--vae", pair[1], "--from", 4, "--via", tmp_path / "key.png", "--to", 17, "--frames", 7,
        "--pingpong", "--once", "--labels", "--out", tmp_path / "m.gif",
    )  # fmt: skip
    assert rc == 0, err
    frames, _, loop = gif_frames(tmp_path / "m.gif")
    assert len(frames) == 12 and frames[0].shape == (8 * 4 + 14, 8 * 4)  # 7 forward, 5 back; a label band
    assert loop is None
    assert np.array_equal(frames[1], frames[-1]) and np.array_equal(frames[5], frames[7])


@pytest.mark.parametrize(
    ("argv", "pattern"),
    [
        (["--from", 5, "--to", 5], r"A and B are the same image \(sample 5\): a morph needs two different images"),
        (
            ["--from", 5, "--to", 6, "--frames", 1],
            r"argument --frames: must be 2 to 240 \(all frames are decoded at once.*\), not 1",
        ),
        (["--from", 5, "--to", 6, "--frames", 241], r"argument --frames: must be 2 to 240 \(.*\), not 241"),
        (["--from", 5, "--to", 6, "--frames", "ten"], r"argument --frames: 'ten' is not a whole number"),
        (["--from", 5, "--to", 359], r"sample 359 is out of range \(0 to 358 in digits \(test, 359 images 8x8\)\)"),
        (["--from", 5, "--to", 6, "--via", 6, "--to", 7, "--frames", 2], r"2 frames cannot show 3 key images"),
        (["--from", 5, "--to", 6, "--fps", 0], r"argument --fps: must be 0.01 to 50 \(a GIF stores .*\), not 0"),
        (["--from", 5, "--to", 6, "--fps", 60], r"argument --fps: must be 0.01 to 50 \(a GIF stores .*\), not 60"),
        (["--from", 5, "--to", 6, "--fps", 0.001], r"argument --fps: must be 0.01 to 50 .*, not 0.001"),
        (["--from", 5, "--to", 6, "--fps", "nan"], r"argument --fps: must be 0.01 to 50 .*, not nan"),
        (
            ["--from", 5, "--to", 6, "--scale", 0],
            r"argument --scale: must be 1 to 16 \(each pixel drawn S x S\), not 0",
        ),
        (["--from", 5], r"morph needs key images: --from INDEX\|IMAGE and --to INDEX\|IMAGE"),
    ],
)
def test_bad_morph_options(capsys, pair, tmp_path, argv, pattern):
    rc, _, err = morph(capsys, pair, *argv, "--out", tmp_path / "m.gif")
    assert_one_line_error(rc, err, pattern)
    assert not (tmp_path / "m.gif").exists()


def test_image_of_the_wrong_size_or_colour(capsys, pair, tmp_path):
    Image.new("L", (28, 28)).save(tmp_path / "big.png")
    rc, _, err = morph(capsys, pair, "--from", 3, "--to", tmp_path / "big.png", "--out", tmp_path / "m.gif")
    assert_one_line_error(rc, err, r"big.png: image is 1x28x28, but the models take 1x8x8 \(grey, 8-bit\) images")
    Image.new("RGB", (8, 8), (255, 0, 0)).save(tmp_path / "red.png")
    rc, _, err = morph(capsys, pair, "--from", tmp_path / "red.png", "--to", 3, "--out", tmp_path / "m.gif")
    assert_one_line_error(rc, err, r"red.png: image is 3x8x8 \(colour\), but the models take 1x8x8")
    assert not (tmp_path / "m.gif").exists()


def test_output_folder_that_does_not_exist(capsys, pair, tmp_path):
    rc, _, err = morph(capsys, pair, "--from", 3, "--to", 4, "--out", tmp_path / "nowhere" / "m.gif")
    assert_one_line_error(rc, err, r"cannot write .*m.gif: folder .*nowhere does not exist")
    rc, _, err = morph(capsys, pair, "--from", 3, "--to", 4, "--strip", tmp_path / "gone" / "s.png")
    assert_one_line_error(rc, err, r"folder .*gone does not exist")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_output_folder_that_cannot_be_written(capsys, pair, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    rc, _, err = morph(capsys, pair, "--from", 3, "--to", 4, "--out", locked / "m.gif")
    assert_one_line_error(rc, err, r"cannot write .*m.gif: folder .*locked is not writable")


def test_disk_full_during_export_keeps_the_older_gif(capsys, pair, tmp_path):
    out = tmp_path / "m.gif"
    out.write_bytes(b"GIF89a an older morph")
    with file_size_limit(4096):
        rc, _, err = morph(capsys, pair, "--from", 3, "--to", 4, "--frames", 60, "--scale", 8, "--out", out)
    assert_one_line_error(rc, err, r"cannot write .*m.gif: File too large")
    assert out.read_bytes() == b"GIF89a an older morph"
    assert [p.name for p in tmp_path.iterdir()] == ["m.gif"]


def test_recipe_replays_only_what_it_holds(capsys, pair, tmp_path):
    rc, _, _ = morph(capsys, pair, "--from", 3, "--to", 4, "--save-recipe", tmp_path / "r.json")
    assert rc == 0
    rc, _, err = run_cli(
        capsys, "morph", "--recipe", tmp_path / "r.json", "--from", 9, "--frames", 5, "--out", tmp_path / "m.gif"
    )
    assert_one_line_error(rc, err, r"--recipe replays a saved morph: leave out --from, --frames")
    rc, _, err = run_cli(capsys, "morph", "--recipe", tmp_path / "r.json")
    assert_one_line_error(rc, err, r"morph needs somewhere to write")
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    rc, _, err = run_cli(capsys, "morph", "--recipe", tmp_path / "bad.json", "--out", tmp_path / "m.gif")
    assert_one_line_error(rc, err, r"bad.json: not a vae-explorer morph recipe")


def test_replaying_with_a_changed_checkpoint_warns(capsys, pair, tmp_path):
    model = tmp_path / "model.pt"
    model.write_bytes(pair[1].read_bytes())
    rc, _, _ = run_cli(capsys, "morph", "--vae", model, "--from", 3, "--to", 4, "--save-recipe", tmp_path / "r.json")
    assert rc == 0
    model.write_bytes(pair[0].read_bytes())  # retrained, or replaced by another model
    rc, _, err = run_cli(capsys, "morph", "--recipe", tmp_path / "r.json", "--out", tmp_path / "m.gif")
    assert rc == 0
    assert err.strip() == f"vae-explorer: warning: {model.resolve()} has changed since the recipe was saved"
