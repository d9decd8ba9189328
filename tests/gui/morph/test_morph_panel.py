"""The Morph dock driven like a user would: pick A and B, play, scrub, export; and bad input."""

import mouse
import numpy as np
from helpers import gif_frames
from images import qimage_to_array
from mouse import isolated_index, view_to_widget
from PIL import Image
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from vae_explorer.cli import main
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.morph.render import morph_frame_images


def frames_shown(w):
    m = w.session.morph
    return bool(m.results) and set(m.results) == {"left", "right"} and w.is_settled()


def morph_between(w, qtbot, a, b, frames=None):
    panel = w.explorer.morph
    if frames is not None:
        panel.frames.setValue(frames)
    panel.key_a.index.setValue(a)
    panel.key_b.index.setValue(b)
    qtbot.waitUntil(lambda: frames_shown(w), timeout=10_000)
    return panel


def shown(view):
    return qimage_to_array(view.image())


def right_click(panel, index):
    mouse.right_click(panel, view_to_widget(panel, *panel.shown_points[index]))


def test_context_menu_sets_a_and_b_and_the_path_is_drawn(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    left, right = w.explorer.maps["left"], w.explorer.maps["right"]
    a = isolated_index(left)
    right_click(left, a)
    qtbot.waitUntil(lambda: left.last_menu is not None and bool(left.last_menu.actions()), timeout=3000)
    texts = [action.text() for action in left.last_menu.actions()]
    name = w.session.dataset.describe_sample(a)  # "#12 · 7": the sample's index and label
    assert texts == [
        f"Morph from here ({name})",
        f"Morph to here ({name})",
        "",
        "Export this map (SVG, PDF, PNG)…",
        "",
        "View all\tHome",
    ]
    left.last_menu.actions()[0].trigger()
    left.last_menu.close()
    b = isolated_index(right)
    if b == a:
        b = int(np.argsort(-np.linalg.norm(right.shown_points - right.shown_points[a], axis=1))[0])
    right_click(right, b)
    qtbot.waitUntil(lambda: right.last_menu is not None and bool(right.last_menu.actions()), timeout=3000)
    right.last_menu.actions()[1].trigger()
    right.last_menu.close()
    morph = w.session.morph
    assert morph.start == MorphKey(a) and morph.end == MorphKey(b)
    panel = w.explorer.morph
    assert panel.key_a.text.text().startswith(f"#{a}") and panel.key_b.text.text().startswith(f"#{b}")
    qtbot.waitUntil(lambda: frames_shown(w), timeout=10_000)
    for overlay in w.explorer.morph_overlays:
        slot = overlay.slot
        r = morph.results[slot]
        expected = w.session.projection(slot).forward(r.codes)
        assert overlay.path.isVisible()
        assert np.allclose(np.c_[overlay.path.xData, overlay.path.yData], expected)
        # the path starts and ends on the points of A and B
        points = w.explorer.maps[slot].shown_points
        assert np.allclose(expected[[0, -1]], points[[a, b]], atol=1e-3)
    # a right-click beside the points offers nothing to morph
    assert w.explorer.morph_overlays[0].context_actions(left, None, np.zeros(2)) == []


def test_sample_zero_can_be_chosen_by_index(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    panel = w.explorer.morph
    box = panel.key_a.index
    assert w.session.morph.start is None and box.text() == "index"
    box.setValue(0)
    assert w.session.morph.start == MorphKey(0) and box.text() == "#0"
    assert panel.key_a.text.text().startswith("#0")


def test_timeline_plays_and_scrubs(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    panel = morph_between(w, qtbot, 4, 17, frames=12)
    morph = w.session.morph
    assert morph.frame == 0 and panel.frame_label.text() == "1 / 12"
    for slot in ("left", "right"):
        r = morph.results[slot]
        assert r.images.shape == (12, 1, 8, 8)
        assert np.array_equal(shown(panel.current[slot]), to_uint8(r.images[0]))
        assert panel.strips[slot].n_frames == 12
        assert panel.plot.values(slot) is not None and len(panel.plot.values(slot)) == 12
    # play: the frames advance on their own
    panel.speed.setValue(60)
    seen = []
    morph.frame_changed.connect(seen.append)
    panel.play_button.click()
    assert panel.playing and "Pause" in panel.play_button.text()
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=5000)
    assert seen[:4] == [1, 2, 3, 4]
    panel.play_button.click()
    assert not panel.playing
    stopped = morph.frame
    qtbot.wait(100)
    assert morph.frame == stopped
    # scrub with the slider: the frame shown, the strips, the plot and the maps' markers follow
    panel.scrubber.setValue(7)
    assert morph.frame == 7 and panel.frame_label.text() == "8 / 12"
    for slot in ("left", "right"):
        assert np.array_equal(shown(panel.current[slot]), to_uint8(morph.results[slot].images[7]))
        assert panel.strips[slot].current == 7
    assert panel.plot.line.value() == 7
    for overlay in w.explorer.morph_overlays:
        expected = w.session.projection(overlay.slot).forward(morph.results[overlay.slot].codes[7])[0]
        assert np.allclose(overlay.marker_point(), expected)
    # a click on a frame of a strip shows that frame
    strip = panel.strips["right"]
    centre = strip.frame_rect(2).center()
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(round(centre.x()), round(centre.y())))
    assert morph.frame == 2
    # the end of a morph without loop: playback stops on the last frame
    panel.loop.setChecked(False)
    morph.set_frame(9)
    panel.play_button.click()
    qtbot.waitUntil(lambda: not panel.playing, timeout=5000)
    assert morph.frame == 11


def test_ping_pong_plays_there_and_back(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    panel = morph_between(w, qtbot, 4, 17, frames=5)
    panel.speed.setValue(60)
    panel.loop.setChecked(False)
    panel.pingpong.setChecked(True)
    seen = []
    w.session.morph.frame_changed.connect(seen.append)
    panel.play_button.click()
    qtbot.waitUntil(lambda: not panel.playing, timeout=5000)
    assert seen == [1, 2, 3, 4, 3, 2, 1, 0]


def test_keyboard_plays_and_steps(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    panel = morph_between(w, qtbot, 4, 17, frames=8)
    w.activateWindow()
    panel.scrubber.setFocus()
    qtbot.waitUntil(lambda: panel.scrubber.hasFocus(), timeout=3000)
    qtbot.keyClick(panel.scrubber, Qt.Key.Key_End)
    assert w.session.morph.frame == 7
    qtbot.keyClick(panel.scrubber, Qt.Key.Key_Left)
    assert w.session.morph.frame == 6
    qtbot.keyClick(panel.scrubber, Qt.Key.Key_Space)
    assert panel.playing
    qtbot.keyClick(panel.scrubber, Qt.Key.Key_Space)
    assert not panel.playing


def test_frames_and_method_redecode(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    panel = morph_between(w, qtbot, 4, 17, frames=6)
    before = w.session.morph.results["right"].codes
    panel.method.setCurrentIndex(panel.method.findData("slerp"))
    qtbot.waitUntil(lambda: frames_shown(w) and w.session.morph.method == "slerp", timeout=10_000)
    after = w.session.morph.results["right"].codes
    assert np.array_equal(before[[0, -1]], after[[0, -1]]) and not np.allclose(before[2], after[2])
    # playback goes on through a change of the frame count
    panel.speed.setValue(60)
    panel.play_button.click()
    panel.frames.setValue(40)
    qtbot.waitUntil(lambda: frames_shown(w) and len(w.session.morph.results["left"].images) == 40, timeout=10_000)
    assert panel.scrubber.maximum() == 39 and panel.strips["left"].n_frames == 40
    now = w.session.morph.frame
    qtbot.waitUntil(lambda: w.session.morph.frame != now, timeout=5000)
    assert panel.playing
    panel.pause()


def test_export_gif_strip_and_recipe_replay(make_window, digits_pair, qtbot, tmp_path, monkeypatch):
    w = make_window(digits_pair)
    panel = morph_between(w, qtbot, 4, 17, frames=10)
    path = tmp_path / "panel.gif"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        dialog.scale.setValue(3)
        dialog.fps.setValue(20)
        dialog.labels.setChecked(True)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, fill_and_save)
    panel.gif_button.click()
    qtbot.waitUntil(lambda: path.exists() and not w.runner.busy(), timeout=10_000)
    assert "wrote" in w.status_text.text()
    results = w.session.morph.results
    expected = morph_frame_images(
        [results["left"].images, results["right"].images], 3, titles=["AE", "VAE"], labels=True
    )
    with Image.open(path) as im:
        assert im.n_frames == 10 and im.size == (2 * 24 + 4, 24 + 14)
        assert im.info["duration"] == 50 and im.info["loop"] == 0
        im.seek(6)
        assert np.array_equal(np.asarray(im.convert("L")), np.asarray(expected[6]))
    # the recipe the dock saved replays on the command line to the very same frames
    recipe = tmp_path / "panel.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(recipe), ""))
    panel.recipe_button.click()
    qtbot.waitUntil(lambda: recipe.exists() and not w.runner.busy(), timeout=10_000)
    replay = ["morph", "--recipe", str(recipe), "--out", str(tmp_path / "cli.gif"), "--device", "cpu"]
    assert main([*replay, "--allow-outside"]) == 0  # the models lie in another folder
    dock_frames, dock_durations, dock_loop = gif_frames(path)
    cli_frames, cli_durations, cli_loop = gif_frames(tmp_path / "cli.gif")
    assert len(cli_frames) == len(dock_frames) == 10
    for dock, cli in zip(dock_frames, cli_frames, strict=True):
        assert np.array_equal(dock, cli)
    assert (cli_durations, cli_loop) == (dock_durations, dock_loop)
    strip = tmp_path / "strip.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(strip), ""))
    panel.strip_button.click()
    qtbot.waitUntil(lambda: strip.exists() and not w.runner.busy(), timeout=10_000)
    with Image.open(strip) as im:
        assert im.size == (3 * (10 * 9 + 1), 3 * (2 * 9 + 1))


def test_bad_keys_and_exports_are_reported(make_window, digits_pair, qtbot, tmp_path, monkeypatch):
    w = make_window(digits_pair)
    panel = w.explorer.morph
    panel.key_a.index.setValue(5)
    panel.key_b.index.setValue(6)
    panel.key_b.index.setValue(5)
    qtbot.waitUntil(lambda: bool(w.messages.text()) and "same" in panel.status.text(), timeout=10_000)
    assert "A and B are the same image (sample 5)" in w.messages.text()
    assert "A and B are the same image (sample 5)" in panel.status.text()
    assert not w.session.morph.results
    w.messages.hide()
    Image.new("L", (28, 28)).save(tmp_path / "big.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "big.png"), ""))
    panel.key_b.file.click()
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "big.png: image is 1x28x28, but the models take 1x8x8" in w.messages.text()
    w.messages.hide()
    panel.key_b.index.setValue(9)
    qtbot.waitUntil(lambda: frames_shown(w), timeout=10_000)
    missing = tmp_path / "nowhere" / "m.gif"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    panel.strip_button.click()
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "folder" in w.messages.text() and "does not exist" in w.messages.text()
    # still working
    w.session.select(7)
    qtbot.waitUntil(w.is_settled, timeout=5000)
