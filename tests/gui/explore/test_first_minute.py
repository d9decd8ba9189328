"""The first minute of a new user: the window as it opens, and the linked cursors they drag."""

import numpy as np
from images import qimage_to_array
from mouse import drag, move, press, release, right_click, view_to_widget
from PySide6.QtCore import QPoint
from windows import launch

from vae_explorer.core.latent.regions import nearest_in_hull


def shown(window, slot):
    return qimage_to_array(window.explorer.decoders[slot].decoded.image())


def test_first_launch_shows_a_selected_sample_decoded_by_both_models(qtbot, tmp_path, checkpoints_dir):
    w = launch(qtbot, tmp_path / "settings.ini", checkpoints_dir)
    s, view = w.session, w.explorer
    assert s.selection == 0
    for slot in ("left", "right"):
        panel, decoder = view.maps[slot], view.decoders[slot].decoded
        # the cursor is drawn on the selected sample
        assert panel.cursor.isVisible()
        pos = panel.cursor.pos()
        assert np.allclose([pos.x(), pos.y()], panel.shown_points[0], atol=1e-6)
        # its decoded image is on show, not blank, and at least 4 screen pixels per image pixel
        image = shown(w, slot)
        assert image.shape[1:] == s.dataset.image_shape[1:] and image.std() > 10
        assert decoder.target_rect().width() >= 4 * image.shape[2]
    # the maps take most of the window: the docks share one column of tabs, Morph starts closed
    maps = sum(p.plot.width() * p.plot.height() for p in view.maps.values())
    assert maps > 0.35 * w.width() * w.height()  # it was under a fifth with Morph open below them
    assert not view.docks["morph"].isVisible()
    tabs = [view.docks[key] for key in ("samples", "neighbours", "attributes", "selection")]
    assert view.tabifiedDockWidgets(view.docks["sliders"]) == tabs
    assert view.link_action.isChecked() and s.linked


def test_morph_from_here_opens_the_closed_morph_dock(qtbot, tmp_path, checkpoints_dir):
    w = launch(qtbot, tmp_path / "settings.ini", checkpoints_dir)
    left = w.explorer.maps["left"]
    right_click(left, view_to_widget(left, *left.shown_points[0]))
    qtbot.waitUntil(lambda: left.last_menu is not None and bool(left.last_menu.actions()), timeout=3000)
    left.last_menu.actions()[0].trigger()  # Morph from here
    left.last_menu.close()
    assert w.explorer.docks["morph"].isVisible()
    assert w.session.morph.start is not None


def test_dragging_one_cursor_moves_both_until_unlinked_and_the_choice_is_kept(qtbot, tmp_path, checkpoints_dir):
    ini = tmp_path / "settings.ini"
    w = launch(qtbot, ini, checkpoints_dir)
    s = w.session
    right, left = w.explorer.maps["right"], w.explorer.maps["left"]
    before = {slot: shown(w, slot) for slot in ("left", "right")}
    seen = []  # where the left cursor went at each move of the drag
    s.cursor_changed.connect(lambda slot: slot == "left" and seen.append(s.slots["left"].cursor_point.copy()))
    start = view_to_widget(right, *s.slots["right"].cursor_point)
    (x0, y0), (x1, y1) = right.shown_points.min(axis=0), right.shown_points.max(axis=0)
    end = view_to_widget(right, x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0))  # across the map
    press(right, start)
    for t in np.linspace(0, 1, 25)[1:]:  # a move at a time, slower than pyqtgraph's mouse rate limit
        qtbot.wait(25)
        move(right, start + (end - start) * t)
    release(right, end)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    target = s.slots["right"].cursor_point
    # the left cursor went to the same place relative to the data in its map (not the same coordinates: the maps'
    # scales differ), among its own data all along the drag, and both decoded there
    assert not np.allclose(target, right.shown_points[0])
    assert np.allclose(s.slots["left"].cursor_point, s.carry("right", target)[0])
    assert len(seen) >= 12
    for point in seen:
        assert np.allclose(nearest_in_hull(point, s.projection("left").hull()), point)  # inside the left map's data
    pos = left.cursor.pos()
    assert np.allclose([pos.x(), pos.y()], s.slots["left"].cursor_point)
    assert left.cursor.isVisible() and left.vb.viewRect().contains(pos)  # on screen, on its data
    for slot in ("left", "right"):
        assert np.array_equal(s.slots[slot].decoded.z, s.slots[slot].cursor_z)
        qtbot.waitUntil(lambda slot=slot: not np.array_equal(shown(w, slot), before[slot]), timeout=5000)
    target = s.slots["left"].cursor_point.copy()

    # View > Link cursors off: the left cursor stays where it is
    (action,) = [a for a in w.view_menu.actions() if a.text() == "Link cursors"]
    action.trigger()
    assert not s.linked and not w.explorer.link_action.isChecked()
    right_before = s.slots["right"].cursor_point.copy()
    start = view_to_widget(right, *right_before)
    drag(right, start, start + QPoint(-30, 30))
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    assert not np.allclose(s.slots["right"].cursor_point, right_before)
    assert np.allclose(s.slots["left"].cursor_point, target)
    w.close()

    again = launch(qtbot, ini, checkpoints_dir)  # the next launch remembers the choice
    assert not again.session.linked and not again.explorer.link_action.isChecked()
