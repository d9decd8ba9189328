"""Bad input in the window: a clear message, and the explorer keeps what it had."""

import subprocess
import sys

import numpy as np
from helpers import write_idx
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
    assert w.session.slots["right"].model.path == digits_pair[1]  # the old pair stays
    assert w.explorer.maps["right"].shown_points is not None


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
    w.open_commands.open_model_dialog("right")
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "broken.pt: not a readable checkpoint (truncated or corrupt)" in w.messages.text()
    assert w.session.slots["right"].model.path == digits_pair[1]
    w.session.select(7)
    qtbot.waitUntil(w.is_settled, timeout=5000)  # still working


def test_data_folder_without_images(make_window, digits_pair, tmp_path, qtbot):
    w = make_window(digits_pair)
    (tmp_path / "empty").mkdir()
    w.open_data(str(tmp_path / "empty"))
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "no images found" in w.messages.text()


def test_data_set_of_no_images(make_window, digits_pair, tmp_path, qtbot):
    """An IDX data set of 0 images: a message, the data on show stays, nothing waits for codes that never come."""
    w = make_window(digits_pair)
    empty = tmp_path / "no-images"
    empty.mkdir()
    write_idx(empty / "t10k-images-idx3-ubyte.gz", np.zeros((0, 8, 8), np.uint8))
    write_idx(empty / "t10k-labels-idx1-ubyte.gz", np.zeros(0, np.uint8))
    w.open_data(str(empty))
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "no-images" in w.messages.text() and "no images" in w.messages.text()
    assert w.session.dataset.name == "digits" and w.is_settled()
    w.messages.hide()
    w.open_pair(str(digits_pair[0]), str(digits_pair[1]), str(empty))
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "no images" in w.messages.text() and w.session.dataset.name == "digits"


def test_missing_shipped_checkpoints_are_reported(make_window, tmp_path, qtbot):
    w = make_window(None, wait=False)
    w.open_pair(str(tmp_path / "nope-ae.pt"), str(tmp_path / "nope-vae.pt"), "digits")
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "nope-ae.pt: no such checkpoint file" in w.messages.text()


def screenshot(*args):
    command = [sys.executable, "-m", "vae_explorer", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_screenshot_from_the_command_line(digits_pair, tmp_path):
    out = tmp_path / "shot.png"
    result = screenshot(
        "--ae", digits_pair[0], "--vae", digits_pair[1], "--data", "digits", "--select", 12, "--screenshot", out
    )
    assert result.returncode == 0, result.stderr
    with Image.open(out) as im:
        assert im.size[0] >= 1000 and im.size[1] >= 600
        # the maps are drawn: many coloured pixels
        arr = np.asarray(im.convert("RGB")).astype(int)
        coloured = (np.abs(arr[..., 0] - arr[..., 1]) > 60) | (np.abs(arr[..., 1] - arr[..., 2]) > 60)
        assert coloured.sum() > 2000


def test_screenshot_of_a_window_that_failed_to_load(digits_pair, tmp_path):
    """Loading failed: no picture of an empty window, the message on stderr and a non-zero exit."""
    out = tmp_path / "shot.png"
    missing = tmp_path / "gone-ae.pt"
    result = screenshot("--ae", missing, "--vae", digits_pair[1], "--data", "digits", "--screenshot", out)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"vae-explorer: error: {missing}: no such checkpoint file"
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_latent_view_of_models_that_are_not_2d_falls_back_to_pca(make_window, digits_pair, qtbot):
    """``--view latent`` (the latent plane) with 4-D models: the PCA map, and a note saying why."""
    w = make_window(None, wait=False)
    w.session.set_view("latent")
    w.open_pair(str(digits_pair[0]), str(digits_pair[1]), "digits")
    qtbot.waitUntil(w.is_settled, timeout=30_000)
    assert w.session.view == "pca" and w.explorer.view_actions["pca"].isChecked()
    assert "PCA" in w.explorer.maps["left"].title.text()
    assert "the latent plane needs models with a 2-D latent" in w.status_text.text()
