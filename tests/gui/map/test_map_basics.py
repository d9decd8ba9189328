"""Map basics: View all after a zoom, linked views, the morph path with its dock, large searches, group colours."""

import numpy as np
import pytest
from images import qimage_to_array
from mouse import right_click, view_to_widget, wheel
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar
from windows import launch

from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.gui.map.marks import FADED_ALPHA, RINGS_MAX
from vae_explorer.gui.widgets import palette


@pytest.fixture
def window(qtbot, tmp_path):
    """The shipped digits pair, opened as a first launch."""
    return launch(qtbot, tmp_path / "settings.ini", checkpoints_dir())


def shows_all(panel) -> bool:
    """The map's view holds every point, with no more than a margin around them along one side at least."""
    view = panel.vb.viewRect()
    (x0, y0), (x1, y1) = panel.shown_points.min(axis=0), panel.shown_points.max(axis=0)
    inside = view.left() <= x0 and view.right() >= x1 and view.top() <= y0 and view.bottom() >= y1
    return inside and min(view.width() / (x1 - x0), view.height() / (y1 - y0)) < 1.3


def zoom_in(panel) -> None:
    """Three wheel notches over the middle of the map, as a user zooms."""
    wheel(panel, QPoint(panel.plot.viewport().width() // 2, panel.plot.viewport().height() // 2), 3)


def centre(panel) -> np.ndarray:
    view = panel.vb.viewRect()
    return np.array([view.center().x(), view.center().y()])


def test_view_all_after_a_zoom_from_the_home_key_the_map_menu_and_the_toolbar(window, qtbot):
    w = window
    s, view = w.session, w.explorer
    left, right = view.maps["left"], view.maps["right"]
    assert shows_all(left) and shows_all(right)

    # linked (the default): a zoom in one map shows the same data in the other, at the other's scale
    zoom_in(left)
    assert not shows_all(left)
    assert np.allclose(centre(right), s.carry("left", centre(left))[0], atol=0.02 * right.vb.viewRect().width())
    assert np.isclose(right.vb.viewRect().width(), left.vb.viewRect().width() * s.link("left").fit.scale, rtol=0.05)

    QTest.keyClick(w, Qt.Key.Key_Home)  # Home: all of both maps again
    assert shows_all(left) and shows_all(right)

    zoom_in(right)
    assert not shows_all(right) and not shows_all(left)
    right_click(right, QPoint(right.plot.viewport().width() // 2, right.plot.viewport().height() // 2))
    qtbot.waitUntil(lambda: right.last_menu is not None and bool(right.last_menu.actions()), timeout=3000)
    view_all = right.last_menu.actions()[-1]  # the menu's last entry, after what the features put in it
    assert view_all.text() == "View all\tHome"
    view_all.trigger()
    right.last_menu.close()
    assert shows_all(right) and shows_all(left)

    view.link_action.setChecked(False)  # unlinked: each map keeps its own view, and the toolbar fits both
    zoom_in(left)
    assert not shows_all(left) and shows_all(right)
    (toolbar,) = view.findChildren(QToolBar)
    assert view.view_all_action in toolbar.actions() and view.view_all_action in w.view_menu.actions()
    toolbar.widgetForAction(view.view_all_action).click()
    assert shows_all(left) and shows_all(right)


def grab_rgb(panel) -> np.ndarray:
    """The map's plot as the screen shows it, ``uint8 (H, W, 3)``."""
    return qimage_to_array(panel.plot.grab().toImage()).transpose(1, 2, 0)


def morph_pixels(panel) -> int:
    """How many pixels of the map are drawn in the morph's colour."""
    image = grab_rgb(panel).astype(int)
    color = np.array([int(palette.MORPH[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - color).sum(axis=-1) < 40).sum())


def test_the_morph_path_leaves_the_maps_when_the_morph_dock_closes(window, qtbot):
    w = window
    s, view = w.session, w.explorer
    dock = view.docks["morph"]
    s.morph.set_start(MorphKey(0))
    s.morph.set_end(MorphKey(7))
    assert dock.isVisible()
    qtbot.waitUntil(lambda: all(o.path.isVisible() for o in view.morph_overlays), timeout=20_000)
    assert all(morph_pixels(view.maps[slot]) > 50 for slot in view.maps)
    dock.toggleViewAction().trigger()  # View > Morph: closed
    assert not dock.isVisible()
    assert not any(o.path.isVisible() or o.keys.isVisible() or o.marker.isVisible() for o in view.morph_overlays)
    assert all(morph_pixels(view.maps[slot]) == 0 for slot in view.maps)
    dock.toggleViewAction().trigger()  # open again: the morph is back on the maps
    assert all(o.path.isVisible() for o in view.morph_overlays)


def ink(image: np.ndarray, background: np.ndarray) -> np.ndarray:
    """How strongly each pixel differs from the plot's background, 0 to 765."""
    return np.abs(image[..., :3].astype(int) - background).sum(axis=-1)


def test_a_search_with_thousands_of_matches_fades_the_rest_and_covers_nothing(make_window, qtbot, fashion_dir):
    ckpt = checkpoints_dir()
    w = make_window((ckpt / "fashion-ae-2d.pt", ckpt / "fashion-vae-2d.pt"), data="fashion-mnist")
    s, bar, left = w.session, w.explorer.sample_bar, w.explorer.maps["left"]
    background = np.array([int(palette.current().base[i : i + 2], 16) for i in (1, 3, 5)])
    before = ink(grab_rgb(left), background)

    bar.regex.setChecked(True)
    bar.find.setText("trouser|bag")
    QTest.keyClick(bar.find, Qt.Key.Key_Return)
    found = s.marks.highlight
    assert len(found) == 2000 > RINGS_MAX
    assert len(left.rings.data) == 0  # no rings: 2,000 of them would cover the map
    others = np.setdiff1d(np.arange(len(s.dataset)), found)
    assert all(left.points.colour_of(int(i))[3] == 200 for i in found[:50])  # the found in full colour
    assert all(left.points.colour_of(int(i))[3] == FADED_ALPHA for i in others[:50])  # the rest faded
    assert "2,000 found" in w.explorer.legend.text()
    qtbot.waitUntil(lambda: left.points.cloud.up_to_date, timeout=10_000)
    after = ink(grab_rgb(left), background)
    assert (after > 60).mean() <= (before > 60).mean()  # nothing drawn over the map: strong ink only fades
    # the found samples stand out: where they lie the map is drawn strongly, where the others lie, faintly
    px = np.array([[p.x(), p.y()] for p in (view_to_widget(left, *left.shown_points[i]) for i in found)])
    qx = np.array([[p.x(), p.y()] for p in (view_to_widget(left, *left.shown_points[i]) for i in others[:2000])])
    assert np.median(after[px[:, 1], px[:, 0]]) > 2 * np.median(after[qx[:, 1], qx[:, 0]])

    bar.find.setText("")  # cleared: every point in full colour again
    assert len(s.marks.highlight) == 0 and left.points.colour_of(int(others[0]))[3] == 200


def test_groups_selected_in_a_map_are_ringed_in_colours_unlike_any_class(window, qtbot):
    w = window
    s = w.session
    selected = np.arange(0, 60)
    s.attributes.set_selection("A", selected)
    s.attributes.set_selection("B", np.arange(100, 160))
    for slot in ("left", "right"):
        overlay = w.explorer.attribute_overlays[slot]
        for key in ("A", "B"):
            rings = overlay.groups[key]
            assert len(rings.data) == 60
            color = rings.opts["pen"].color().name()
            assert color == palette.GROUP_COLORS[key]
            assert rings.opts["symbol"] == {"A": "o", "B": "s"}[key]  # rings and squares: shape tells them apart too
            # each ringed point's own colour, as the map draws it, looks nothing like its ring
            classes = {w.explorer.maps[slot].points.colour_of(int(i))[:3] for i in s.attributes.selections[key]}
            for rgb in classes:
                assert palette.color_distance(color, "#" + bytes(rgb).hex()) > 35
