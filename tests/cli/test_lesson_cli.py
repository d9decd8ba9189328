"""``vae-explorer --lesson N --screenshot FILE``: a picture of lesson N, or one line saying why not."""

import subprocess
import sys

import numpy as np
from helpers import assert_one_line_error, run_cli
from PIL import Image


def test_a_lesson_out_of_range_exits_2(capsys, tmp_path):
    rc, out, err = run_cli(capsys, "--lesson", 8, "--screenshot", tmp_path / "x.png")
    assert rc == 2
    assert_one_line_error(rc, err, r"argument --lesson: must be 1 to 7 .*, not 8$")
    assert not (tmp_path / "x.png").exists()


def test_a_lesson_whose_models_are_missing_exits_1(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VAE_EXPLORER_CHECKPOINTS", str(tmp_path))
    rc, out, err = run_cli(capsys, "--lesson", 6, "--screenshot", tmp_path / "x.png")
    assert rc == 1
    assert_one_line_error(rc, err, r"^vae-explorer: error: lesson 6 needs the shipped faces-ae.pt and faces-vae.pt")
    assert not (tmp_path / "x.png").exists()


def test_lesson_screenshot(tmp_path, fashion_dir):
    out = tmp_path / "lesson-1.png"
    command = [sys.executable, "-m", "vae_explorer", "--lesson", "1", "--screenshot", str(out), "--theme", "light"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with Image.open(out) as im:
        arr = np.asarray(im.convert("L")).astype(int)
    assert im.size[0] >= 1000 and im.size[1] >= 600
    # the maps are tiled with decoded images: many dark tile backgrounds in the upper half
    assert (arr[: im.size[1] // 2] < 40).mean() > 0.05
