"""Help > Lessons on a real window: each lesson opens its models, only its docks, its pictures large, its row measured.

The lessons open the shipped Fashion-MNIST and faces models, so these tests encode
and measure for a while: marked slow (the Fashion-MNIST ones skip without its files).
"""

import shutil
from pathlib import Path

import lesson_window
import numpy as np
import pytest
from images import qimage_to_array
from lesson_window import assert_row_in_bar, open_docks, pixel_scale, run_lesson, settled
from PySide6.QtWidgets import QLabel

from vae_explorer.core.data import load_dataset
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.model.checkpoint import load_checkpoint, save_checkpoint
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.session import SLOTS
from vae_explorer.core.training.history import history_images, pack_codes, read_history

pytestmark = pytest.mark.slow
LARGE = 4  # screen pixels per image pixel, at least, for the pictures that carry a lesson's point

window = lesson_window.window  # the lessons' window, a fixture


def assert_lesson_state(w, item):
    """Its models and data on show, its view, its sample selected and decoded, its text, docks and row in place."""
    s = w.session
    assert [Path(s.slots[slot].model.path).name for slot in SLOTS] == list(item.files)
    assert s.dataset.name == item.data and s.view == item.view and s.selection == item.select
    if item.decoded:
        for slot in SLOTS:
            decoded = qimage_to_array(w.explorer.decoders[slot].decoded.image())
            assert decoded.std() > 10  # an image, not a blank
    assert open_docks(w) == {"lessons", *item.docks}  # the Lesson bar and the docks it needs, nothing else
    assert item.title in w.explorer.lesson.title.text() and item.text[0] in w.explorer.lesson.text.text()
    assert_row_in_bar(w, item)
    assert not w.messages.text()


def test_lesson_1_tiles_both_latent_planes_over_hidden_points_with_a_cursor_in_a_gap(window, qtbot, fashion_dir):
    window.session.set_linked(False)
    before = open_docks(window)
    item = run_lesson(window, qtbot, 1)
    assert_lesson_state(window, item)
    view, s = window.explorer, window.session
    assert view.tiles_action.isChecked() and view.hide_points_action.isChecked()
    for panel in view.maps.values():
        assert panel.tiles.image is not None and panel.tiles.isVisible() and not panel.scatter.isVisible()
    assert window.lessons.measure.rows.row.shows  # the VAE's map decodes nearer the data
    far = [s.slots[slot].nearest.query(s.slots[slot].cursor_z)[1] for slot in SLOTS]
    spacing = [s.slots[slot].nearest.spacing() for slot in SLOTS]
    assert far[0] > 10 * spacing[0] and far[1] < 2 * spacing[1]  # the AE's cursor in a gap, the VAE's on its data
    view.lesson.end.click()  # End lessons: the user's docks and toggles back
    assert open_docks(window) == before and not view.tiles_action.isChecked() and not s.linked


def test_lesson_2_draws_the_posterior_cloud_on_the_zoomed_map_and_decodes_it_large(window, qtbot, fashion_dir):
    item = run_lesson(window, qtbot, 2)
    assert_lesson_state(window, item)
    right, samples = window.explorer.maps["right"], window.explorer.samples
    assert right.ellipse.isVisible() and not window.explorer.tiles_action.isChecked()
    draws = right.overlays.draws.getData()
    assert len(draws[0]) == item.draws and not len(window.explorer.maps["left"].overlays.draws.getData()[0])
    (x0, x1), (y0, y1) = right.vb.viewRange()
    ellipse = np.column_stack(right.ellipse.getData())
    extent = ellipse.max(axis=0) - ellipse.min(axis=0)
    assert max(extent) > 0.25 * (x1 - x0), "zoomed so that the cloud is seen, not hidden under the cursor ring"
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in zip(*draws, strict=True))  # the draws on show
    assert samples.rows["right"].isVisible() and not samples.rows["left"].isVisible()  # the AE has no cloud
    assert "no posterior" in samples.row_labels["left"].text()
    assert pixel_scale(samples.rows["right"]) >= LARGE
    assert f"q(z|x) of sample {item.select}" in samples.caption.text()


def test_lesson_3_replays_the_vae_beside_the_aes_trained_spread(window, qtbot, fashion_dir):
    item = run_lesson(window, qtbot, 3)
    assert_lesson_state(window, item)
    right, left = window.explorer.maps["right"], window.explorer.maps["left"]
    assert all(c.isVisible() for c in right.prior_curves) and not any(c.isVisible() for c in left.prior_curves)
    replay, panel = window.explorer.lesson.replay, window.explorer.lesson
    stored = {slot: read_history(window.session.slots[slot].model.metadata) for slot in SLOTS}
    assert replay.isVisibleTo(panel) == any(h is not None for h in stored.values())
    for slot, history in stored.items():
        name = window.session.slots[slot].model.name
        assert (f"{name} stores no training history" in panel.note.text()) == (history is None)
    assert "codes' KL from N(0, I)" in replay.label.text()  # how far each model's codes lie from the prior


def test_lesson_3_replays_the_stored_training_history(window, qtbot, tmp_path, monkeypatch, fashion_dir):
    """A 2-D VAE whose checkpoint stores three epochs' codes: the slider redraws each epoch's."""
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    shutil.copy(checkpoints_dir() / "fashion-ae-2d.pt", folder)
    ckpt = load_checkpoint(checkpoints_dir() / "fashion-vae-2d.pt")
    model = ckpt.build_model()
    test = load_dataset("fashion-mnist", "test")
    record = history_images(test, 2)
    mu = encode_images(model, test.images[record["indices"]]).mu
    epochs = [{"epoch": e, "test": {"kl": 12.0 / e}, "mu": pack_codes(mu * (4 - e))} for e in (1, 2, 3)]
    metadata = {**ckpt.metadata, "history": epochs, "history_codes": record}
    save_checkpoint(folder / "fashion-vae-2d.pt", model, metadata, half=True)
    monkeypatch.setenv("VAE_EXPLORER_CHECKPOINTS", str(folder))
    run_lesson(window, qtbot, 3)
    replay, right = window.explorer.lesson.replay, window.explorer.maps["right"]
    assert replay.isVisibleTo(window.explorer.lesson) and replay.slider.maximum() == 2
    assert np.allclose(np.column_stack(right.replay.getData()), 3 * mu, atol=0.02 * np.abs(3 * mu).max())
    assert replay.label.text().startswith("epoch 1 of 3 · ") and "test KL 12.00 nats" in replay.label.text()
    replay.slider.setValue(2)
    assert np.allclose(np.column_stack(right.replay.getData()), mu, atol=0.01 * np.abs(mu).max())
    assert "test KL 4.00 nats" in replay.label.text()
    window.start_lesson(1)  # another lesson: the replay ends and the data points come back
    assert not replay.isVisibleTo(window.explorer.lesson) and right.scatter.opacity() == 1.0


def test_lesson_4_shows_beta_1_beside_beta_4_and_where_the_trade_holds(window, qtbot):
    item = run_lesson(window, qtbot, 4)
    assert_lesson_state(window, item)
    sliders = window.explorer.sliders
    kl_rows = [label for label in sliders.rows_widget.findChildren(QLabel) if "KL " in label.text()]
    assert len(kl_rows) == window.session.slots[sliders.slot].latent_dim  # the KL of every dimension
    rows = window.lessons.measure.rows
    if not rows.row.shows:  # beta 4 against beta 1: the bar points to the AE against the VAE, measured too
        assert rows.also is not None and rows.also.heads == ("AE", "VAE")
        assert item.holds in window.explorer.lesson.measured.text()


def test_lesson_5_decodes_the_same_prior_codes_large_with_both(window, qtbot, fashion_dir):
    item = run_lesson(window, qtbot, 5)
    assert_lesson_state(window, item)
    samples = window.explorer.samples
    assert all(pixel_scale(samples.rows[slot]) >= LARGE for slot in SLOTS)
    assert "z ~ N(0, I)" in samples.caption.text()
    assert window.lessons.measure.rows.row.shows  # the VAE's samples far nearer real images


def test_lesson_6_shows_alpha_0_beside_alpha_a_for_both(window, qtbot):
    item = run_lesson(window, qtbot, 6)
    traversal = window.explorer.attributes.traversal
    qtbot.waitUntil(lambda: traversal.view.image() is not None and settled(window), timeout=60_000)
    assert_lesson_state(window, item)
    s = window.session
    assert s.attributes.active_vector() is not None and "Smiling" in s.attributes.active
    assert s.attributes.alpha == item.alpha
    for slot in SLOTS:  # both cursors sit alpha along the vector from the selected face
        assert not np.allclose(s.slots[slot].cursor_z, s.slots[slot].codes.mu[item.select])
    assert list(traversal.alphas()) == [0.0, item.alpha] and traversal.model.currentData() == "both"
    assert not traversal.view.visibleRegion().isEmpty()  # scrolled into view
    assert pixel_scale(traversal.view) >= LARGE


def test_lesson_7_morphs_across_the_gap_in_large_frames(window, qtbot, fashion_dir):
    item = run_lesson(window, qtbot, 7)
    assert_lesson_state(window, item)
    morph, panel = window.session.morph, window.explorer.morph
    assert (morph.start.index, morph.end.index) == item.morph and morph.frames == item.frames
    qtbot.waitUntil(lambda: morph.rendered is not None and set(morph.results) == set(SLOTS), timeout=60_000)
    window.grab()
    for slot in SLOTS:
        strip = panel.strips[slot]
        assert pixel_scale(strip) >= LARGE
        last = strip.frame_rect(item.frames - 1)
        assert last.right() <= strip.width() and strip.visibleRegion().boundingRect().width() == strip.width()
    for slot in SLOTS:  # the maps keep a useful height beside the strips
        assert window.explorer.maps[slot].plot.height() >= 180
    data = window.session.dataset
    names = [data.label_names[data.labels[k]] for k in item.morph]
    assert f"From {names[0]} to {names[1]}" in window.explorer.lesson.measured.text()


def test_previous_and_next_walk_the_lessons_and_a_second_visit_reads_the_row(window, qtbot, fashion_dir):
    run_lesson(window, qtbot, 2)
    panel = window.explorer.lesson
    panel.previous.click()
    qtbot.waitUntil(lambda: settled(window) and window.lessons.measure.rows is not None, timeout=240_000)
    assert panel.number == 1 and window.explorer.tiles_action.isChecked() and not panel.previous.isEnabled()
    panel.next.click()
    qtbot.waitUntil(lambda: settled(window) and window.lessons.measure.rows is not None, timeout=60_000)
    assert panel.number == 2 and not window.explorer.tiles_action.isChecked()
    assert window.lessons.measure.rows.cached  # measured on the first visit, read from the cache now


def test_lessons_without_their_models_are_marked_and_refused_in_one_line(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("VAE_EXPLORER_CHECKPOINTS", str(tmp_path))  # a checkout without the shipped models
    window.lessons_menu.aboutToShow.emit()
    texts = [a.text() for a in window.lessons_menu.actions()]
    assert len(texts) == 7 and all("(needs the shipped" in t for t in texts)
    assert window.start_lesson(6) is False
    assert window.messages.text() == f"lesson 6 needs the shipped faces-ae.pt and faces-vae.pt, not found in {tmp_path}"
    assert "needs the shipped" in window.explorer.lesson.note.text() and window.explorer.lesson.number == 6
    assert window.session.dataset is None  # nothing was opened
