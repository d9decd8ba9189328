"""Bad input from Python: one line naming the argument, raised at once; an open window keeps what it had."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication
from tiny_models import Shrunk, Tiny, digits

import vae_explorer
from vae_explorer import VaeExplorerError
from vae_explorer.gui.shell.main_window import MainWindow

IMAGES, LABELS = digits(100)
BAD = [
    ({"data": np.zeros((5, 64), np.float32)}, "data: images of shape (5, 64) where (N, H, W) or (N, C, H, W)"),
    ({"data": np.full((5, 8, 8), np.nan, np.float32)}, "data: 320 of 320 values are NaN or infinite"),
    ({"data": IMAGES * 16}, "data: float values from 0 to 16, outside [0, 1]"),
    ({"data": IMAGES.astype(np.int32)}, "data: int32 images where uint8"),
    ({"data": IMAGES[:, None].repeat(5, axis=1)}, "data: 5 channels"),
    ({"data": IMAGES, "labels": LABELS[:7]}, "labels: 7 labels for 100 images"),
    ({"data": IMAGES, "labels": LABELS, "names": ["zero"]}, "names: 1 names for 10 classes"),
    ({"vae": Shrunk()}, "vae (Shrunk): decode returns shape (N, 1, 4, 4) where (N, 1, 8, 8) was expected"),
    ({"vae": object()}, "vae: a object has no encode() method"),
    ({"vae": np.zeros((28, 28))[None]}, "vae: a ndarray has no encode() method"),
    ({"ae": "no-such.pt"}, "ae: no checkpoint or model file at no-such.pt"),
]


def _windows() -> int:
    return sum(isinstance(w, MainWindow) for w in QApplication.topLevelWidgets())


@pytest.mark.parametrize(("arguments", "message"), BAD, ids=[m.split(":")[0] + str(i) for i, (_, m) in enumerate(BAD)])
def test_bad_input_is_one_line_and_changes_nothing(open_view, arguments, message):
    viewer = open_view(Tiny(vae=False), Tiny(vae=True), IMAGES, labels=LABELS).select(3).wait()
    session = viewer.session
    before = (session.dataset, session.slots["left"].model, session.slots["right"].model, session.selection)
    cursor = session.slots["right"].cursor_z.copy()
    with pytest.raises(VaeExplorerError) as raised:
        viewer.update(**arguments)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)
    viewer.wait()
    assert (session.dataset, session.slots["left"].model, session.slots["right"].model, session.selection) == before
    assert np.array_equal(session.slots["right"].cursor_z, cursor)
    assert not viewer.window.messages.isVisible()  # nothing was shown as an error in the window either
    windows = _windows()
    call = {"ae": Tiny(vae=False), "vae": Tiny(vae=True), "data": IMAGES, "labels": LABELS} | arguments
    with pytest.raises(VaeExplorerError) as raised:
        vae_explorer.view(**call)
    assert str(raised.value).startswith(message)
    assert _windows() == windows  # no window opened for bad input


def test_handle_methods_refuse_bad_arguments_in_one_line(open_view):
    viewer = open_view(Tiny(vae=False), Tiny(vae=True), IMAGES, labels=LABELS).wait()
    for call, message in [
        (lambda: viewer.select(500), "sample 500 is out of range"),
        (lambda: viewer.cursor("middle", (0, 0)), "slot: 'middle' is no side"),
        (lambda: viewer.cursor("vae", code=[1, 2, 3]), "cursor code: 2 latent values were expected"),
        (lambda: viewer.morph(0, 1, frames=1), "a morph's frame count must be 2 to 240"),
        (lambda: viewer.vector(toward="0", pixels="ink"), "vector: give one kind of groups"),
        (lambda: viewer.vector(toward="eleven"), "no class 'eleven'"),
        (lambda: viewer.screenshot("x.png", part="docks"), "part: 'docks'"),
        (lambda: viewer.set_view("isomap"), "view: 'isomap'"),
    ]:
        with pytest.raises(VaeExplorerError) as raised:
            call()
        assert str(raised.value).startswith(message), str(raised.value)


def test_a_file_that_fails_on_the_worker_is_shown_in_the_window_and_raised_by_wait(open_view, tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a checkpoint")
    viewer = open_view(str(junk), Tiny(vae=True), IMAGES, labels=LABELS)
    with pytest.raises(VaeExplorerError, match=f"^{junk}: "):
        viewer.wait()
    assert viewer.window.messages.text().startswith(str(junk))  # the window says it too, and opened nothing
    assert viewer.session.slots["right"].model is None
