"""Help > Lessons on a real window: each lesson opens its models and data and turns on what it is about."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from images import qimage_to_array
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from vae_explorer.core.data import load_dataset
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.lessons import LESSONS, lesson
from vae_explorer.core.model.checkpoint import load_checkpoint, save_checkpoint
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.core.training.history import history_images, pack_codes, read_history
from vae_explorer.gui.app import make_app
from vae_explorer.gui.main_window import MainWindow


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("lesson-cache")


@pytest.fixture
def window(qtbot, tmp_path, shared_cache, monkeypatch, fashion_dir):
    """A first-launch window with nothing open; the lessons' encodings are cached for the whole module."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    make_app()
    w = MainWindow(Session("cpu"), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def run_lesson(w, qtbot, number):
    item = lesson(number)
    if item.needs(checkpoints_dir()):
        pytest.skip(f"lesson {number} {item.needs(checkpoints_dir())}")
    (action,) = [a for a in w.lessons_menu.actions() if a.text().startswith(f"&{number}. ")]
    action.trigger()  # Help > Lessons > N
    qtbot.waitUntil(lambda: w.lessons.pending is None and w.is_settled(), timeout=120_000)
    return item


def assert_lesson_state(w, item):
    """The lesson's models and data on show, its view, its sample selected and decoded, its text in the dock."""
    s = w.session
    assert [Path(s.slots[slot].model.path).name for slot in SLOTS] == list(item.files)
    assert s.dataset.name == item.data and s.view == item.view and s.selection == item.select
    for slot in SLOTS:
        decoded = qimage_to_array(w.explorer.decoders[slot].decoded.image())
        assert decoded.std() > 10  # an image, not a blank
    assert w.explorer.docks["lessons"].isVisible()
    assert item.title in w.explorer.lesson.title.text() and item.text[0] in w.explorer.lesson.text.text()
    assert not w.messages.text()


def test_lesson_1_tiles_both_latent_planes(window, qtbot):
    item = run_lesson(window, qtbot, 1)
    assert_lesson_state(window, item)
    assert window.explorer.tiles_action.isChecked()
    for panel in window.explorer.maps.values():
        assert panel.tiles.image is not None and panel.tiles.isVisible()


def test_lesson_2_decodes_draws_from_the_posterior(window, qtbot):
    item = run_lesson(window, qtbot, 2)
    assert_lesson_state(window, item)
    right = window.explorer.maps["right"]
    assert right.ellipse.isVisible() and not window.explorer.tiles_action.isChecked()
    samples = window.explorer.samples
    assert not window.explorer.docks["samples"].visibleRegion().isEmpty()  # its tab is the one on show
    assert samples.rows["right"].image() is not None and samples.rows["left"].image() is None  # the AE has none
    assert f"q(z|x) of sample {item.select}" in samples.caption.text()


def test_lesson_3_draws_the_prior_over_the_vae_plane(window, qtbot):
    item = run_lesson(window, qtbot, 3)
    assert_lesson_state(window, item)
    right, left = window.explorer.maps["right"], window.explorer.maps["left"]
    assert all(c.isVisible() for c in right.prior_curves) and not any(c.isVisible() for c in left.prior_curves)
    stored = read_history(window.session.slots["right"].model.metadata)
    replay, panel = window.explorer.lesson.replay, window.explorer.lesson
    # the shipped VAE replays its stored epochs, or the dock says it stores none
    assert replay.isVisibleTo(panel) == (stored is not None)
    assert ("stores no training history" in panel.note.text()) == (stored is None)


def test_lesson_3_replays_the_stored_training_history(window, qtbot, tmp_path, monkeypatch):
    """A 2-D VAE whose checkpoint stores three epochs' codes: the slider redraws each epoch's."""
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    shutil.copy(checkpoints_dir() / "fashion-ae-2d.pt", folder)
    ckpt = load_checkpoint(checkpoints_dir() / "fashion-vae-2d.pt")
    model = ckpt.build_model()
    record = history_images(load_dataset("fashion-mnist", "test"), 2)
    mu = encode_images(model, load_dataset("fashion-mnist", "test").images[record["indices"]]).mu
    epochs = [{"epoch": e, "test": {"kl": 12.0 / e}, "mu": pack_codes(mu * (4 - e))} for e in (1, 2, 3)]
    metadata = {**ckpt.metadata, "history": epochs, "history_codes": record}
    save_checkpoint(folder / "fashion-vae-2d.pt", model, metadata, half=True)
    monkeypatch.setenv("VAE_EXPLORER_CHECKPOINTS", str(folder))
    run_lesson(window, qtbot, 3)
    replay, right = window.explorer.lesson.replay, window.explorer.maps["right"]
    assert replay.isVisibleTo(window.explorer.lesson) and replay.slider.maximum() == 2
    assert np.allclose(np.column_stack(right.replay.getData()), 3 * mu, atol=0.02 * np.abs(3 * mu).max())
    assert replay.label.text() == "epoch 1 of 3: test KL 12.00 nats"
    replay.slider.setValue(2)
    assert np.allclose(np.column_stack(right.replay.getData()), mu, atol=0.01 * np.abs(mu).max())
    assert replay.label.text() == "epoch 3 of 3: test KL 4.00 nats"
    window.start_lesson(1)  # another lesson: the replay ends and the data points come back
    assert not replay.isVisibleTo(window.explorer.lesson) and right.scatter.opacity() == 1.0


def test_lesson_4_shows_beta_1_beside_beta_4_with_kl_per_dimension(window, qtbot):
    item = run_lesson(window, qtbot, 4)
    assert_lesson_state(window, item)
    sliders = window.explorer.sliders
    assert not window.explorer.docks["sliders"].visibleRegion().isEmpty()
    kl_rows = [label for label in sliders.rows_widget.findChildren(QLabel) if "KL " in label.text()]
    assert len(kl_rows) == window.session.slots[sliders.slot].latent_dim  # the KL of every dimension


def test_lesson_5_decodes_the_same_prior_codes_with_both(window, qtbot):
    item = run_lesson(window, qtbot, 5)
    assert_lesson_state(window, item)
    samples = window.explorer.samples
    assert all(samples.rows[slot].image() is not None for slot in SLOTS)
    assert "z ~ N(0, I)" in samples.caption.text()


def test_lesson_6_applies_the_smile_vector(window, qtbot):
    item = run_lesson(window, qtbot, 6)
    qtbot.waitUntil(lambda: window.session.attributes.alpha == item.alpha and window.is_settled(), timeout=60_000)
    s = window.session
    assert s.attributes.active_vector() is not None and "Smiling" in s.attributes.active
    for slot in SLOTS:  # both cursors sit alpha along the vector from the selected face
        assert not np.allclose(s.slots[slot].cursor_z, s.slots[slot].codes.mu[item.select])
    assert not window.explorer.docks["attributes"].visibleRegion().isEmpty()


def test_lesson_7_morphs_face_a_into_face_b(window, qtbot):
    item = run_lesson(window, qtbot, 7)
    assert_lesson_state(window, item)
    morph = window.session.morph
    assert (morph.start.index, morph.end.index) == item.morph
    assert window.explorer.docks["morph"].isVisible()
    qtbot.waitUntil(lambda: morph.rendered is not None, timeout=60_000)
    assert set(morph.results) == set(SLOTS)


def test_previous_and_next_walk_the_lessons(window, qtbot):
    run_lesson(window, qtbot, 2)
    panel = window.explorer.lesson
    panel.previous.click()
    qtbot.waitUntil(lambda: window.lessons.pending is None and window.is_settled(), timeout=60_000)
    assert panel.number == 1 and window.explorer.tiles_action.isChecked() and not panel.previous.isEnabled()
    panel.next.click()
    qtbot.waitUntil(lambda: window.lessons.pending is None and window.is_settled(), timeout=60_000)
    assert panel.number == 2 and not window.explorer.tiles_action.isChecked()


def test_lessons_without_their_models_are_marked_and_refused_in_one_line(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("VAE_EXPLORER_CHECKPOINTS", str(tmp_path))  # a checkout without the shipped models
    window.lessons_menu.aboutToShow.emit()
    texts = [a.text() for a in window.lessons_menu.actions()]
    assert len(texts) == len(LESSONS) and all("(needs the shipped" in t for t in texts)
    assert window.start_lesson(6) is False
    assert window.messages.text() == f"lesson 6 needs the shipped faces-ae.pt and faces-vae.pt, not found in {tmp_path}"
    assert "needs the shipped" in window.explorer.lesson.note.text() and window.explorer.lesson.number == 6
    assert window.session.dataset is None  # nothing was opened
