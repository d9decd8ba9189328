"""The maps' selection through the real window: the toolbar's lasso, its histogram, Show only, groups, names."""

from __future__ import annotations

import numpy as np
from mouse import LEFT, move, press, release, view_to_widget
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from vae_explorer.core.latent.regions import points_in_polygon
from vae_explorer.core.session import SLOTS


def lasso(panel, corners: list[QPoint]) -> np.ndarray:
    """Draw a lasso through ``corners`` (pixels) in a map; the polygon drawn, in map coordinates."""
    press(panel, corners[0])
    for point in corners[1:]:
        move(panel, point)
    release(panel, corners[-1])
    view = [panel.vb.mapSceneToView(panel.plot.mapToScene(p)) for p in corners]
    return np.array([[p.x(), p.y()] for p in view])


def test_the_toolbar_lasso_selects_and_the_histogram_counts_the_labels(make_window, digits_pair, qtbot, tmp_path):
    w = make_window(digits_pair)
    s, left, dock = w.session, w.explorer.maps[SLOTS[0]], w.explorer.selection
    assert "Lasso" in [a.text() for a in w.explorer.findChildren(type(w.explorer.lasso_action))]
    w.explorer.lasso_action.trigger()
    assert s.attributes.tool == "lasso" and w.explorer.docks["selection"].isVisible()
    pts = left.shown_points
    lo, hi = np.percentile(pts, 20, axis=0), np.percentile(pts, 80, axis=0)
    corners = [view_to_widget(left, x, y) for x, y in ((lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1]))]
    polygon = lasso(left, corners)
    selected = s.attributes.selections["S"]
    assert np.array_equal(selected, points_in_polygon(s.projection(SLOTS[0]).points, polygon))
    assert 10 < len(selected) < len(pts)
    QApplication.processEvents()  # the lasso becomes a step of Edit > Undo
    w.undo_action.trigger()
    assert s.attributes.selections["S"] is None and dock.summary.text().startswith("Nothing selected")
    w.redo_action.trigger()
    assert np.array_equal(s.attributes.selections["S"], selected)
    # the bars: one per label, as high as the selected samples carrying it
    names, counts = dock.counts()
    expected = np.bincount(s.dataset.labels[selected], minlength=len(s.dataset.label_names))
    assert names == list(s.dataset.label_names) and np.array_equal(counts, expected)
    heights = dock.bars.opts["height"]
    assert np.array_equal(np.asarray(heights), expected) and sum(heights) == len(selected)
    assert dock.summary.text().startswith(f"{len(selected):,} samples selected")

    dock.alone.click()  # shown alone on both maps, then all again
    visible = s.marks.visible()
    assert visible is not None and np.array_equal(np.flatnonzero(visible), selected)
    other = int(np.setdiff1d(np.arange(len(pts)), selected)[0])
    for panel in w.explorer.maps.values():  # drawn: the selected samples only
        assert panel.points.colour_of(other) is None and panel.points.colour_of(int(selected[0])) is not None
    dock.alone.click()
    assert s.marks.visible() is None and left.points.colour_of(other) is not None

    dock.keep["B"].click()
    assert np.array_equal(s.attributes.selections["B"], selected)
    out = tmp_path / "names.txt"
    assert dock.export_to(str(out))
    lines = out.read_text().splitlines()
    assert lines == [s.dataset.describe_sample(int(i)) for i in selected]
    assert not dock.export_to(str(tmp_path))  # a folder in the way: refused, said in the window
    assert str(tmp_path) in w.messages.text()
    qtbot.mouseClick(dock.clear, LEFT)
    assert s.attributes.selections["S"] is None and not dock.alone.isEnabled()
