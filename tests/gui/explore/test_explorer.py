"""The explorer window driven like a user would: drag, hover, click, switch views."""

import threading

import numpy as np
import pytest
from images import qimage_to_array
from mouse import click, drag, isolated_index, move, press, release, right_click, view_to_widget
from PySide6.QtCore import QEvent, QObject, QPoint, QSettings
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QTabBar, QWidget

from vae_explorer.core.data import load_dataset
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.session import Session
from vae_explorer.gui.map import tiles
from vae_explorer.gui.map.tiles import tile_mosaic
from vae_explorer.gui.shell.main_window import MainWindow
from vae_explorer.gui.widgets import palette


def test_window_shows_both_maps_coloured_by_label(make_window, digits_pair):
    w = make_window(digits_pair)
    n = len(load_dataset("digits", "test"))
    left, right = w.explorer.maps["left"], w.explorer.maps["right"]
    assert left.shown_points.shape == right.shown_points.shape == (n, 2)
    assert "AE" in left.title.text() and "VAE" in right.title.text() and "PCA" in left.title.text()
    legend = w.explorer.legend.text()
    assert all(f"'class:{k}'" in legend and f">{k}</a>" in legend for k in range(10))  # a link per class
    labels = w.session.dataset.labels
    # each point drawn in its class colour, from compact arrays: no Python object per point
    assert left.scatter.xy.dtype == np.float32 and left.scatter.colors.dtype == np.uint8
    background = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    for panel in (left, right):
        index = isolated_index(panel)
        pixel = panel.plot.viewport().grab().toImage().pixelColor(view_to_widget(panel, *panel.shown_points[index]))
        expected = QColor(palette.CLASS_COLORS[labels[index]])
        for got, want, under in zip(pixel.getRgb()[:3], expected.getRgb()[:3], background.getRgb()[:3], strict=True):
            assert abs(got - (want * 200 + under * 55) / 255) <= 3  # alpha 200 over the plot's ground
    # the VAE shows the prior's 1 and 2 sigma contours, the AE does not
    assert all(c.isVisible() for c in right.prior_curves) and not any(c.isVisible() for c in left.prior_curves)


def test_drag_decodes_the_inverse_of_the_point(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.explorer.link_action.setChecked(False)  # one model's cursor alone (linked cursors: test_first_minute.py)
    s = w.session
    s.select(10)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    panel, shown = w.explorer.maps["right"], w.explorer.decoders["right"].decoded
    before = qimage_to_array(shown.image())
    start_point = s.slots["right"].cursor_point.copy()
    start = view_to_widget(panel, *start_point)
    end = start + QPoint(60, -45)
    drag(panel, start, end)
    slot = s.slots["right"]
    qtbot.waitUntil(lambda: slot.decoded is not None and np.array_equal(slot.decoded.z, slot.cursor_z), timeout=5000)
    qtbot.waitUntil(lambda: not np.array_equal(qimage_to_array(shown.image()), before), timeout=5000)
    # the cursor moved as far as the mouse did, and its code is the map's inverse there
    a, b = (panel.vb.mapSceneToView(panel.plot.mapToScene(q)) for q in (start, end))
    assert np.allclose(slot.cursor_point, start_point + [b.x() - a.x(), b.y() - a.y()], atol=1e-6)
    expected_z = s.projection("right").inverse(slot.cursor_point, slot.codes.mu[10])[0]
    assert np.allclose(slot.cursor_z, expected_z, atol=1e-5)
    expected = to_uint8(decode_codes(slot.model, expected_z[None])[0])
    assert np.array_equal(qimage_to_array(shown.image()), expected)
    # the left model's cursor did not move
    assert np.allclose(s.slots["left"].cursor_z, s.slots["left"].codes.mu[10])


def test_hover_and_selection_link_both_maps(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    s = w.session
    left, right = w.explorer.maps["left"], w.explorer.maps["right"]
    index = isolated_index(left)
    move(left, view_to_widget(left, *left.shown_points[index]), held=False)
    qtbot.waitUntil(lambda: s.hover == index, timeout=3000)
    assert left.hover_image.isVisible() and right.hover_image.isVisible()
    assert np.allclose(right.hover_mark.data["x"], right.shown_points[index, 0])
    other = isolated_index(right)
    click(right, view_to_widget(right, *right.shown_points[other]))
    assert s.selection == other
    for panel in (left, right):
        assert np.allclose(
            [panel.selection_mark.data["x"][0], panel.selection_mark.data["y"][0]], panel.shown_points[other]
        )
    # both cursors jump to the selected sample's code and decode its reconstruction
    qtbot.waitUntil(w.is_settled, timeout=5000)
    for slot in ("left", "right"):
        st = s.slots[slot]
        assert np.allclose(st.cursor_z, st.codes.mu[other])
        assert st.decoded.nearest_index == other and st.decoded.nearest_distance == pytest.approx(0, abs=1e-5)


def test_no_hover_previews_while_the_cursor_is_dragged(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    s, right = w.session, w.explorer.maps["right"]
    index = isolated_index(right)  # the drag ends on this point
    s.select(1 if index == 0 else 0)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    start = view_to_widget(right, *s.slots["right"].cursor_point)
    target = view_to_widget(right, *right.shown_points[index])
    press(right, start)
    for k in range(1, 9):
        move(right, start + (target - start) * (k / 8))
    qtbot.wait(100)  # past the hover signal's rate limit
    assert s.hover is None and not right.hover_image.isVisible()
    release(right, target)
    move(right, target, held=False)  # after the drag, hovering works again
    qtbot.waitUntil(lambda: s.hover == index, timeout=3000)


def test_latent_plane_view_for_2d_models(make_window, digits_pair_2d, qtbot):
    w = make_window(digits_pair_2d)
    assert w.explorer.view_actions["latent"].isEnabled()
    w.explorer.view_actions["latent"].trigger()
    qtbot.waitUntil(lambda: w.explorer.maps["right"].drawn_key[1] == "latent", timeout=5000)
    for slot, panel in w.explorer.maps.items():
        assert np.allclose(panel.shown_points, w.session.slots[slot].codes.mu)


def test_latent_plane_is_disabled_for_larger_latents(make_window, digits_pair):
    w = make_window(digits_pair)
    assert not w.explorer.view_actions["latent"].isEnabled()


def test_sliders_follow_the_vae_kl_and_edit_the_code(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.session.select(3)
    panel = w.explorer.sliders
    kl = w.session.slots["right"].dimension_kl()
    assert list(panel.sliders) == list(np.argsort(-kl, kind="stable"))
    dim = next(iter(panel.sliders))
    panel.sliders[dim].setValue(1000)
    z = w.session.slots["right"].cursor_z
    assert z[dim] == pytest.approx(w.session.slots["right"].codes.mu[:, dim].max(), rel=1e-5)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    assert np.array_equal(w.session.slots["right"].decoded.z, z)


def test_decode_the_map_tiles_the_view(make_window, digits_pair, qtbot, monkeypatch):
    w = make_window(digits_pair)
    threads = []

    def recorded(*args):
        threads.append(threading.current_thread())
        return tile_mosaic(*args)

    monkeypatch.setattr(tiles, "tile_mosaic", recorded)
    w.explorer.tile_k.setValue(5)
    panel = w.explorer.maps["right"]
    with qtbot.waitSignal(panel.sigTilesDrawn, timeout=5000):
        w.explorer.tiles_action.setChecked(True)
    rows, cols = (n // 9 + 1 for n in panel.tiles.image.shape)  # 8-pixel tiles, a 1-pixel line between
    assert min(rows, cols) == 5 and panel.tiles.image.shape == (rows * 9 - 1, cols * 9 - 1)
    # the tiles keep square pixels: a tile is as wide as high on the (aspect-locked) map
    rect = panel.tiles.mapRectToParent(panel.tiles.boundingRect())
    assert rect.width() / cols == pytest.approx(rect.height() / rows, rel=1e-6)
    (x0, x1), (y0, y1) = panel.vb.viewRange()  # and cover the view
    assert rect.left() <= x0 + 1e-6 and rect.right() >= x1 - 1e-6 and rect.top() <= y0 + 1e-6
    assert threads and threading.main_thread() not in threads  # inverted, decoded and tiled off the GUI thread
    assert panel.scatter.isVisible()
    w.explorer.hide_points_action.setChecked(True)
    assert not panel.scatter.isVisible()  # the points hidden while the tiles show
    w.explorer.tiles_action.setChecked(False)
    assert panel.tiles.image is None and panel.scatter.isVisible() and not w.explorer.hide_points_action.isEnabled()


def test_prior_samples_decoded_by_both(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    samples = w.explorer.samples
    samples.count.setValue(5)
    samples.prior_button.click()
    qtbot.waitUntil(lambda: all(samples.rows[s].image() is not None for s in ("left", "right")), timeout=5000)
    assert "the same 5 codes" in samples.caption.text()
    samples.posterior_button.click()  # nothing selected yet
    assert "select a sample first" in w.status_text.text()


def test_right_click_offers_the_registered_actions(make_window, digits_pair, qtbot):
    from PySide6.QtGui import QAction

    w = make_window(digits_pair)
    panel = w.explorer.maps["left"]
    seen = []
    panel.add_context_provider(lambda p, index, point: seen.append(index) or [QAction(f"sample {index}")])
    index = isolated_index(panel)
    right_click(panel, view_to_widget(panel, *panel.shown_points[index]))
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [index]
    assert f"sample {index}" in [a.text() for a in panel.last_menu.actions()]
    panel.last_menu.close()


def test_moving_the_cursor_repaints_only_what_shows_it(make_window, digits_pair, qtbot):
    """The numbers beside the decoded image change on every move; the rest of the window stays as it is
    (a label that changed size would re-lay out, and repaint, the whole window on every move)."""
    w = make_window(digits_pair)
    s = w.session
    s.select(10)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    stats = w.explorer.decoders["right"].stats
    unrelated = w.explorer.morph  # the Morph dock: nothing in it follows the cursor
    texts, painted = {stats.text()}, []

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            watched = isinstance(obj, QWidget) and (obj is unrelated or unrelated.isAncestorOf(obj))
            if event.type() == QEvent.Type.Paint and watched:
                painted.append(type(obj).__name__)
            return False

    def move(k):
        s.move_cursor("right", s.slots["right"].cursor_point + [0.37 * k, -0.21 * k])
        qtbot.waitUntil(w.is_settled, timeout=5000)
        QApplication.processEvents()  # deliver the pending paints
        texts.add(stats.text())

    move(1)  # the first move may settle the layout once
    watch = Watch()
    QApplication.instance().installEventFilter(watch)
    try:
        for k in range(2, 7):
            move(k)
    finally:
        QApplication.instance().removeEventFilter(watch)
    assert len(texts) > 2  # the distance shown did change
    assert painted == []


def test_a_saved_layout_comes_back_with_one_tab_bar(qtbot, tmp_path):
    """The right-hand docks reopen as they were left, as one set of tabs (and no stray tab bar)."""
    settings = str(tmp_path / "settings.ini")

    def launch():
        window = MainWindow(Session("cpu"), QSettings(settings, QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    def tab_bars(window):
        bars = [b for b in window.explorer.findChildren(QTabBar) if b.isVisible()]
        return [[b.tabText(i) for i in range(b.count())] for b in bars]

    first = launch()
    assert tab_bars(first) == [["Latent sliders", "Samples", "Neighbours", "Attributes", "Selection"]]
    first.explorer.docks["attributes"].raise_()
    QApplication.processEvents()
    first.close()  # saves the layout
    again = launch()
    assert tab_bars(again) == [["Latent sliders", "Samples", "Neighbours", "Attributes", "Selection"]]
    assert not again.explorer.docks["attributes"].visibleRegion().isEmpty()
    assert again.explorer.docks["sliders"].visibleRegion().isEmpty()
