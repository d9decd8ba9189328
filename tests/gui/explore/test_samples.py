"""Samples: draws from q(z|x) decoded as large as the dock allows, and marked on the VAE's map around the sample."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from vae_explorer.core.latent.codes import sample_posterior
from vae_explorer.gui.widgets.images import best_columns


def test_the_columns_that_show_images_largest():
    assert best_columns(12, (28, 28), 2, 450, 600) == 3  # a tall dock: three across, four down
    assert best_columns(12, (28, 28), 2, 1200, 400) == 6  # a wide one: two rows of six
    assert best_columns(12, (28, 28), 2, 1200, 100) == 12  # a strip: one row
    assert best_columns(8, (28, 28), 2, 100, 2000) == 1
    assert best_columns(1, (8, 8), 2, 10, 10) == 1


def test_posterior_draws_are_marked_on_the_vae_map_and_leave_with_the_selection(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.session.select(5)
    samples, right, left = w.explorer.samples, w.explorer.maps["right"], w.explorer.maps["left"]
    samples.sample_posterior(6)
    qtbot.waitUntil(lambda: samples.rows["right"].image() is not None and not w.runner.busy(), timeout=10_000)
    s = w.session.slots["right"]
    expected = w.session.projection("right").forward(sample_posterior(s.codes.mu[5], s.codes.logvar[5], 6, 0))
    assert np.allclose(np.column_stack(right.overlays.draws.getData()), expected, atol=1e-4)
    assert not len(left.overlays.draws.getData()[0])  # the AE has no cloud to draw from
    assert not samples.rows["left"].isVisible() and "no posterior" in samples.row_labels["left"].text()
    w.session.select(6)  # another sample: the marks were of the last one
    assert not len(right.overlays.draws.getData()[0])
    samples.sample_prior(4)  # the same prior codes for both: both rows again, nothing marked
    qtbot.waitUntil(lambda: samples.rows["left"].image() is not None and not w.runner.busy(), timeout=10_000)
    assert samples.rows["left"].isVisible() and not len(right.overlays.draws.getData()[0])


def test_samples_grow_with_the_dock(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    samples, dock = w.explorer.samples, w.explorer.docks["samples"]
    dock.raise_()
    samples.sample_prior(8)
    qtbot.waitUntil(lambda: samples.rows["right"].image() is not None and not w.runner.busy(), timeout=10_000)

    def scale():
        QApplication.processEvents()
        w.grab()
        view = samples.rows["right"]
        return view.target_rect().width() / view.image().width()

    w.explorer.resizeDocks([dock], [160], Qt.Orientation.Horizontal)
    narrow = scale()
    w.explorer.resizeDocks([dock], [500], Qt.Orientation.Horizontal)
    assert scale() > narrow
