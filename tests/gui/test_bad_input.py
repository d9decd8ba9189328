"""Bad input in the window: a clear message, and the explorer keeps what it had."""

import subprocess
import sys

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QFileDialog
from trained import write_model


def fashion_shaped(tmp_path):
    return write_model(tmp_path / "fashion-shaped.pt", "vae", 4, shape=(1, 28, 28), data="fashion-mnist")


def test_pair_of_different_image_shapes(make_window, digits_pair, tmp_path, qtbot):
    w = make_window(digits_pair)
    w.open_pair(str(digits_pair[0]), str(fashion_shaped(tmp_path)), "digits")
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "both models must take images of one shape" in w.messages.text()
    assert w.session.slots["right"].checkpoint.path == digits_pair[1]  # the old pair stays
    assert w.explorer.maps["right"]._points is not None


def test_data_that_does_not_fit_the_models(make_window, digits_pair, qtbot, fashion_dir):
    w = make_window(digits_pair)
    w.open_data("fashion-mnist")
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "takes images of shape 1x8x8, but fashion-mnist has 1x28x28" in w.messages.text()
    assert w.session.dataset.name == "digits"


def test_corrupt_file_chosen_in_the_dialog(make_window, digits_pair, tmp_path, qtbot, monkeypatch):
    w = make_window(digits_pair)
    bad = tmp_path / "broken.pt"
    bad.write_bytes(digits_pair[1].read_bytes()[:2000])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    w.open_model_dialog("right")
    assert "broken.pt: not a readable checkpoint (truncated or corrupt)" in w.messages.text()
    assert w.session.slots["right"].checkpoint.path == digits_pair[1]
    w.session.select(7)
    qtbot.waitUntil(w.is_settled, timeout=5000)  # still working


def test_data_folder_without_images(make_window, digits_pair, tmp_path, qtbot):
    w = make_window(digits_pair)
    (tmp_path / "empty").mkdir()
    w.open_data(str(tmp_path / "empty"))
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "no images found" in w.messages.text()


def test_missing_shipped_checkpoints_are_reported(make_window, tmp_path, qtbot):
    w = make_window(None, wait=False)
    w.open_pair(str(tmp_path / "nope-ae.pt"), str(tmp_path / "nope-vae.pt"), "digits")
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "nope-ae.pt: no such checkpoint file" in w.messages.text()


def test_screenshot_from_the_command_line(digits_pair, tmp_path):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "vae_explorer",
            "--ae",
            str(digits_pair[0]),
            "--vae",
            str(digits_pair[1]),
            "--data",
            "digits",
            "--select",
            "12",
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with Image.open(out) as im:
        assert im.size[0] >= 1000 and im.size[1] >= 600
        # the maps are drawn: many coloured pixels
        arr = np.asarray(im.convert("RGB")).astype(int)
        coloured = (np.abs(arr[..., 0] - arr[..., 1]) > 60) | (np.abs(arr[..., 1] - arr[..., 2]) > 60)
        assert coloured.sum() > 2000
