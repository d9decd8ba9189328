"""A user's own models in the explorer: asked about once, then maps, drag, morph GIF, vectors and samples as
with any checkpoint; asked again when the file changes; a broken one reported while what is on show stays."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest
import user_models
from fashion import needs_fashion
from helpers import write_idx
from images import qimage_to_array
from mouse import drag, view_to_widget
from PIL import Image
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from user_models import BROKEN_DECODE, write_model_file

from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.model.user_model import read_model_file
from vae_explorer.core.morph.pipeline import GifOptions
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.shell.main_window import MainWindow
from vae_explorer.gui.shell.trust import TrustDialog

N = 500  # test images: enough for maps and groups, few enough to encode at once
pytestmark = needs_fashion  # the models are trained on Fashion-MNIST


@pytest.fixture(scope="module")
def fashion_subset(tmp_path_factory):
    """The first Fashion-MNIST test images as a folder of IDX files."""
    test = user_models.fashion_test()
    folder = tmp_path_factory.mktemp("fashion-subset")
    write_idx(folder / "t10k-images-idx3-ubyte.gz", test.images[:N, 0])
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", test.labels[:N])
    return str(folder)


@pytest.fixture(scope="module")
def own_models(tmp_path_factory):
    """The README's VAE and the conv AE, each in a folder of its own (with its weights), copied per module."""
    folder = tmp_path_factory.mktemp("own")
    copies = []
    for made in (user_models.conv_ae(tmp_path_factory), user_models.examples_vae(tmp_path_factory)):
        copy = shutil.copytree(made.parent, folder / made.parent.name)
        copies.append(copy / made.name)
    return copies


def trust_dialog(window):
    return next((d for d in window.findChildren(TrustDialog) if d.isVisible()), None)


def answer(qtbot, window, yes: bool) -> str:
    """Wait for the question, answer it (Trust and open, or Cancel) -> the text it showed."""
    qtbot.waitUntil(lambda: trust_dialog(window) is not None, timeout=10_000)
    dialog = trust_dialog(window)
    shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    button = (
        dialog.trust_button
        if yes
        else dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    )
    button.click()
    return shown


def open_window(qtbot, tmp_path, **kwargs) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session("cpu"), settings, **kwargs)
    qtbot.addWidget(window)
    window.show()
    return window


def wait_settled(qtbot, window):
    """Both maps drawn and everything decoded; then painted once, so the maps' pixels are final."""
    qtbot.waitUntil(
        lambda: window.is_settled() and all(p.shown_points is not None for p in window.explorer.maps.values()),
        timeout=60_000,
    )
    window.grab()


def test_a_users_vae_beside_a_shipped_ae(qtbot, tmp_path, own_models, fashion_subset, checkpoints_dir):
    vae_file = own_models[1]
    w = open_window(qtbot, tmp_path)
    w.open_pair(str(checkpoints_dir / "fashion-ae.pt"), str(vae_file), fashion_subset)
    shown = answer(qtbot, w, yes=True)
    assert str(vae_file.resolve()) in shown and read_model_file(vae_file).sha256 in shown
    assert "fashion-ae.pt" not in shown  # a checkpoint never needs trust
    wait_settled(qtbot, w)
    s = w.session
    assert w.windowTitle().startswith("fashion-ae.pt and PyTorch examples VAE — vae-explorer")
    assert "VAE · PyTorch examples VAE" in w.explorer.maps["right"].title.text()
    assert "AE · fashion-ae.pt" in w.explorer.maps["left"].title.text()
    # drag the VAE's cursor: the image shown is the user's decode of the map's inverse there
    s.select(3)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    panel, slot = w.explorer.maps["right"], s.slots["right"]
    start = view_to_widget(panel, *slot.cursor_point)
    drag(panel, start, start + QPoint(40, -30))
    qtbot.waitUntil(lambda: slot.decoded is not None and np.array_equal(slot.decoded.z, slot.cursor_z), timeout=10_000)
    expected = to_uint8(decode_codes(slot.model, slot.cursor_z[None])[0])
    qtbot.waitUntil(
        lambda: np.array_equal(qimage_to_array(w.explorer.decoders["right"].decoded.image()), expected), timeout=5000
    )
    # a morph from sample 0 to 1, exported as a GIF labelled with the models' names
    w.explorer.morph.key_a.index.setValue(0)
    w.explorer.morph.key_b.index.setValue(1)
    qtbot.waitUntil(lambda: set(s.morph.results) == set(SLOTS) and w.is_settled(), timeout=20_000)
    gif = tmp_path / "morph.gif"
    w.explorer.morph.writer.export_gif(gif, GifOptions(scale=2, labels=True))
    qtbot.waitUntil(lambda: gif.exists() and not w.runner.busy(), timeout=10_000)
    with Image.open(gif) as im:
        assert im.n_frames == s.morph.frames
    assert s.morph.rendered.titles == ["AE", "PyTorch examples VAE"]
    # an attribute vector in both spaces: trousers against the rest
    form = w.explorer.attributes.define_form
    form.kind.setCurrentIndex(1)
    form.one_class.setCurrentText(s.dataset.label_names[1])
    form.define_button.click()
    qtbot.waitUntil(lambda: len(s.attributes.vectors) == 1, timeout=20_000)
    name = next(iter(s.attributes.vectors))
    for side in SLOTS:
        entry = s.attributes.entry(name, side)
        assert entry.latent_dim == s.slots[side].latent_dim and entry.auc > 0.8
    # samples of the VAE's posterior of the selected image (the AE has none)
    samples = w.explorer.samples
    samples.posterior_button.click()
    qtbot.waitUntil(lambda: samples.rows["right"].image() is not None and not w.runner.busy(), timeout=10_000)
    assert "PyTorch examples VAE" in samples.row_labels["right"].text()
    # the pair is in Open recent, and reopens without asking: the yes was kept for this content
    recent = w.open_commands.recent_pairs()[0]
    assert recent["right"] == str(vae_file.resolve())
    again = open_window(qtbot, tmp_path / "again")
    again.open_pair(recent["left"], recent["right"], recent["data"])
    wait_settled(qtbot, again)
    assert trust_dialog(again) is None and again.session.slots["right"].model.name == "PyTorch examples VAE"


def test_two_own_models_and_a_changed_file_asked_about_again(qtbot, tmp_path, own_models, fashion_subset):
    ae_file, vae_file = own_models
    w = open_window(qtbot, tmp_path)
    w.open_pair(str(ae_file), str(vae_file), fashion_subset)
    shown = answer(qtbot, w, yes=True)  # one question for both files
    assert str(ae_file.resolve()) in shown and str(vae_file.resolve()) in shown
    wait_settled(qtbot, w)
    s = w.session
    assert [s.slots[side].model.title for side in SLOTS] == ["AE · conv AE", "VAE · PyTorch examples VAE"]
    # the same prior codes, decoded by both (both have 20 dimensions)
    samples = w.explorer.samples
    samples.prior_button.click()
    qtbot.waitUntil(lambda: samples.rows["left"].image() is not None and not w.runner.busy(), timeout=10_000)
    assert samples.rows["right"].image() is not None
    # drag the conv AE's cursor: the image shown is its decode of the map's inverse there
    s.select(3)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    panel, slot = w.explorer.maps["left"], s.slots["left"]
    start = view_to_widget(panel, *slot.cursor_point)
    drag(panel, start, start + QPoint(-30, 40))
    qtbot.waitUntil(lambda: slot.decoded is not None and np.array_equal(slot.decoded.z, slot.cursor_z), timeout=10_000)
    expected = to_uint8(decode_codes(slot.model, slot.cursor_z[None])[0])
    qtbot.waitUntil(
        lambda: np.array_equal(qimage_to_array(w.explorer.decoders["left"].decoded.image()), expected), timeout=5000
    )
    # the file changes: opening it asks again, and Cancel keeps what is on show
    before = s.slots["right"].model
    vae_file.write_text(vae_file.read_text() + "# edited\n")
    w.open_model("right", str(vae_file))
    shown = answer(qtbot, w, yes=False)
    assert str(vae_file.resolve()) in shown and str(ae_file.resolve()) not in shown
    assert "not opened" in w.status_text.text() and s.slots["right"].model is before
    w.open_model("right", str(vae_file))
    answer(qtbot, w, yes=True)
    qtbot.waitUntil(lambda: s.slots["right"].model is not before, timeout=30_000)
    assert s.slots["right"].model.digest != before.digest  # new code: its codes are not taken from the cache
    qtbot.waitUntil(w.is_settled, timeout=30_000)


def test_a_broken_model_is_reported_and_what_is_on_show_stays(qtbot, tmp_path, own_models, fashion_subset):
    w = open_window(qtbot, tmp_path, trust_all=True)  # --trust: nothing is asked
    w.open_pair(str(own_models[0]), str(own_models[1]), fashion_subset)
    wait_settled(qtbot, w)
    assert trust_dialog(w) is None
    before = w.session.slots["right"].model
    broken = write_model_file(tmp_path, BROKEN_DECODE, "broken.py")
    w.open_model("right", str(broken))
    qtbot.waitUntil(lambda: w.messages.text() != "", timeout=30_000)
    assert w.messages.text().startswith(f"{broken}: decode returns shape (N, 784) where (N, 1, 28, 28) was expected")
    assert w.session.slots["right"].model is before


def test_without_anyone_to_ask_an_untrusted_file_is_refused(qtbot, tmp_path, own_models, fashion_subset):
    w = open_window(qtbot, tmp_path, ask_trust=False)  # as for --screenshot
    w.open_pair(str(own_models[0]), str(own_models[1]), fashion_subset)
    qtbot.waitUntil(lambda: w.messages.text() != "", timeout=10_000)
    assert "a model file runs the Python code in it; open it from the window to be asked" in w.messages.text()
    assert trust_dialog(w) is None and not any(s.loaded for s in w.session.slots.values())


def test_the_readmes_command_opens_the_model_file_only_with_trust(
    tmp_path, own_models, fashion_subset, checkpoints_dir
):
    """`vae-explorer --ae checkpoints/fashion-ae.pt --vae vae_model.py`, rendered once loaded (--screenshot)."""
    out = tmp_path / "shot.png"
    command = [sys.executable, "-m", "vae_explorer", "--ae", str(checkpoints_dir / "fashion-ae.pt")]
    command += ["--vae", str(own_models[1]), "--data", fashion_subset, "--screenshot", str(out)]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and not out.exists()
    assert refused.stderr.strip().splitlines()[-1] == (
        f"vae-explorer: error: {own_models[1]}: a model file runs the Python code in it; "
        "open it from the window to be asked, or launch vae-explorer with --trust"
    )
    trusted = subprocess.run([*command, "--trust"], capture_output=True, text=True, timeout=300)
    assert trusted.returncode == 0, trusted.stderr
    with Image.open(out) as im:
        assert im.size[0] >= 1000
