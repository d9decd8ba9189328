"""Maps at scale: points that stream in; hover, selection and drawing over a quarter of a million points."""

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from images import qimage_to_array
from mouse import click, drag, move, steady_pixel, view_to_widget
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from windows import settle_layout

from vae_explorer.core.data import AttributeTable, Dataset, load_digits
from vae_explorer.core.latent.codes import Codes, codes_cache_path, save_cached_codes
from vae_explorer.core.latent.marks import MapMarks
from vae_explorer.core.latent.neighbours import ExhaustiveSearch
from vae_explorer.core.latent.stream import FIRST_FIT, STREAM_ABOVE, PartialMap
from vae_explorer.core.model.checkpoint import load_model
from vae_explorer.gui.map.points import MapPoints
from vae_explorer.gui.map.raster import SYNC_POINTS, premultiplied
from vae_explorer.gui.widgets import palette

MANY = SYNC_POINTS + 50_000  # past the size whose points are drawn on the GUI thread


def digits_times(copies: int) -> Dataset:
    """The digits, copied with a little noise."""
    digits = load_digits("all")
    rng = np.random.default_rng(0)
    noise = rng.integers(-8, 9, (copies * len(digits), *digits.images.shape[1:]))
    images = np.clip(np.tile(digits.images, (copies, 1, 1, 1)).astype(int) + noise, 0, 255).astype(np.uint8)
    return replace(digits, split="copies", images=images, labels=np.tile(digits.labels, copies), _fingerprint=None)


def settled_with_maps(window) -> bool:
    return window.is_settled() and all(p.shown_points is not None for p in window.explorer.maps.values())


def open_on(make_window, pair, data, qtbot, wait=True):
    w = make_window(None, wait=False)
    drawn = {slot: [] for slot in w.explorer.maps}
    for slot, panel in w.explorer.maps.items():
        panel.sigScatterDrawn.connect(drawn[slot].append)
    w.session.open_pair(*pair, data)
    if wait:
        qtbot.waitUntil(lambda: settled_with_maps(w), timeout=120_000)
        settle_layout(w)
    return w, drawn


def test_maps_fill_in_while_the_codes_stream_in(make_window, digits_pair, qtbot):
    data = digits_times(STREAM_ABOVE // 1797 + 2)
    titles = []
    w, drawn = open_on(make_window, digits_pair, data, qtbot, wait=False)
    left = w.explorer.maps["left"]
    left.sigScatterDrawn.connect(lambda n: titles.append(left.title.text()))
    qtbot.waitUntil(lambda: settled_with_maps(w), timeout=120_000)
    # the first points came after the first chunk, long before the last code
    assert drawn["left"][0] == FIRST_FIT and drawn["left"][-1] == len(data)
    assert f"encoding: {FIRST_FIT:,} of {len(data):,} codes shown" in titles[0] and "encoding" not in titles[-1]
    for slot, panel in w.explorer.maps.items():
        assert np.array_equal(panel.shown_points, w.session.projection(slot).points)
        assert w.session.partial(slot) is None


def test_hover_and_click_on_a_map_still_being_made(make_window, digits_pair, qtbot):
    w, _ = open_on(make_window, digits_pair, load_digits("test"), qtbot)
    s, panel = w.session, w.explorer.maps["left"]
    # a view no worker makes a map for (4-D codes have no latent plane): the partial map stays as given
    s.set_view("latent")
    rows = np.random.default_rng(0).permutation(len(s.dataset))[:150]
    partial = PartialMap(rows, s.projection("left", "pca").points[rows], len(s.dataset), "encoding: 150 of 359")
    s.show_partial("left", "latent", partial)
    assert panel.points.shown is partial and panel.shown_points is None and "encoding: 150 of 359" in panel.title.text()
    settle_layout(w)  # the new title and the partial map's range move the plot area
    pts = partial.points
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    np.fill_diagonal(d, np.inf)
    i = int(np.argmax(d.min(axis=1)))  # a point far from the others: the mouse hits only it
    move(panel, view_to_widget(panel, *pts[i]), held=False)
    qtbot.waitUntil(lambda: s.hover == rows[i], timeout=3000)
    assert np.allclose(panel.hover_mark.data["x"], pts[i, 0]) and panel.hover_image.isVisible()
    click(panel, view_to_widget(panel, *pts[i]))
    assert s.selection == rows[i]
    assert np.allclose([panel.selection_mark.data["x"][0], panel.selection_mark.data["y"][0]], pts[i])
    missing = int(np.setdiff1d(np.arange(len(s.dataset)), rows)[0])
    s.select(missing)  # a sample not on the partial map yet: no mark
    assert not len(panel.selection_mark.data)


def test_the_finished_map_replaces_the_partial_one_on_both_sides(make_window, digits_pair, qtbot):
    """Once a t-SNE map is finished it is drawn in place of the partial one, on the right side turned to the left."""
    w, _ = open_on(make_window, digits_pair, load_digits("test"), qtbot)
    s = w.session
    s.set_view("tsne")
    w.runner.cancel("tsne-left")
    w.runner.cancel("tsne-right")
    qtbot.waitUntil(lambda: not w.runner.busy(), timeout=10_000)
    rng = np.random.default_rng(0)
    n = len(s.dataset)
    for slot in ("left", "right"):
        s.show_partial(slot, "tsne", PartialMap(np.arange(n), rng.standard_normal((n, 2), dtype=np.float32), n))
    for slot in ("left", "right"):
        s.set_tsne(slot, rng.standard_normal((n, 2)).astype(np.float32))
    for slot, panel in w.explorer.maps.items():
        assert panel.points.shown is s.projection(slot)
        assert np.array_equal(panel.shown_points, s.projection(slot).points)


@pytest.fixture
def many(digits_pair):
    """A quarter of a million images whose codes (clusters by class, and one far outlier) are in the cache."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, MANY)
    images = rng.integers(0, 256, (MANY, 1, 8, 8), dtype=np.uint8)
    data = Dataset("many", "all", images, labels, [str(k) for k in range(10)], "random")
    centres = rng.standard_normal((10, 4)) * 4
    mu = (centres[labels] + rng.standard_normal((MANY, 4))).astype(np.float32)
    mu[0] = [40, 40, 0, 0]  # far from every other code: alone on the map
    for path in digits_pair:
        model, ckpt = load_model(path)
        logvar = np.zeros_like(mu) if model.is_vae else None
        save_cached_codes(codes_cache_path(model, ckpt.digest, data.fingerprint(), MANY), Codes(mu, logvar))
    return data


def test_hover_selection_and_drawing_over_a_quarter_of_a_million_points(make_window, digits_pair, many, qtbot):
    w, _ = open_on(make_window, digits_pair, many, qtbot)
    s = w.session
    for panel in w.explorer.maps.values():
        assert panel.shown_points.shape == (MANY, 2) and panel.shown_points.dtype == np.float32
        cloud = panel.scatter
        assert cloud.xy.dtype == np.float32 and cloud.colors.dtype == np.uint8 and cloud.colors.nbytes == MANY
        # the image of the points was made off the GUI thread, and shows the outlier in its class colour
        qtbot.waitUntil(lambda cloud=cloud: cloud.up_to_date, timeout=30_000)
        pixel = panel.plot.viewport().grab().toImage().pixelColor(view_to_widget(panel, *panel.shown_points[0]))
        under = QGuiApplication.palette().color(QPalette.ColorRole.Base)
        want = QColor(palette.CLASS_COLORS[many.labels[0]])
        for got, c, u in zip(pixel.getRgb()[:3], want.getRgb()[:3], under.getRgb()[:3], strict=True):
            assert abs(got - (c * 200 + u * 55) / 255) <= 3  # alpha 200 over the plot's ground
    left = w.explorer.maps["left"]
    move(left, view_to_widget(left, *left.shown_points[0]), held=False)
    qtbot.waitUntil(lambda: s.hover == 0, timeout=3000)
    assert left.hover_image.isVisible()
    # among the crowd: the nearest point to the mouse, by the map's KD-tree, is the one a search of all finds
    target = left.shown_points[12345]
    move(left, view_to_widget(left, *target + 0.01), held=False)
    qtbot.wait(30)  # the hover signal's rate limit
    move(left, view_to_widget(left, *target), held=False)
    qtbot.waitUntil(lambda: s.hover is not None and s.hover != 0, timeout=3000)
    p = left.vb.mapSceneToView(left.plot.mapToScene(view_to_widget(left, *target)))
    distance = np.linalg.norm(left.shown_points.astype(np.float64) - [p.x(), p.y()], axis=1)
    assert distance[s.hover] <= distance.min() + 1e-6
    click(left, view_to_widget(left, *left.shown_points[0]))
    assert s.selection == 0
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    for slot in ("left", "right"):
        assert s.slots[slot].decoded.nearest_index == 0  # the cursor decodes the selected code, found among all


def marked(labels: np.ndarray, weight: np.ndarray) -> MapMarks:
    """The marks of a data set with ``labels`` and one numeric attribute column, ``weight``."""
    data = Dataset("many", "all", np.zeros((len(labels), 1, 2, 2), np.uint8), labels, [str(k) for k in range(10)], "")
    data.attributes = AttributeTable(["weight"], weight.astype(np.float32)[:, None])
    marks = MapMarks()
    marks.data_replaced(data)
    return marks


def test_points_keep_no_python_object_per_point():
    points = MapPoints()
    rng = np.random.default_rng(0)
    partial = PartialMap(rng.permutation(1000)[:500], rng.standard_normal((500, 2)).astype(np.float32), 1000)
    labels = rng.integers(0, 10, 1000)
    assert points.draw(partial, marked(labels, np.zeros(1000))) == 500
    assert points.cloud.xy is partial.points and points.cloud.colors.dtype == np.uint8
    assert np.array_equal(points.cloud.colors, labels[partial.indices])
    row = int(partial.indices[7])
    assert np.array_equal(points.point_of(row), partial.points[7])
    assert points.point_of(int(np.setdiff1d(np.arange(1000), partial.indices)[0])) is None  # not encoded yet


def test_partial_points_show_the_marks_colours_hidden_classes_and_found_samples():
    points = MapPoints()
    rng = np.random.default_rng(1)
    rows = rng.permutation(1000)[:500]
    partial = PartialMap(rows, rng.standard_normal((500, 2)).astype(np.float32), 1000)
    labels, weight = rng.integers(0, 10, 1000), np.arange(1000.0)
    marks = marked(labels, weight)
    points.draw(partial, marks)
    lightest, heaviest = int(rows.min()), int(rows.max())
    assert points.colour_of(rows[0]) == tuple(palette.class_lut()[labels[rows[0]]])
    marks.set_colour_by("weight")
    points.recolour(marks)
    scale = palette.scale_lut()
    assert points.colour_of(lightest) == tuple(scale[round(lightest / 999 * 63)])
    assert points.colour_of(heaviest) == tuple(scale[round(heaviest / 999 * 63)])
    marks.toggle_class(3)
    points.recolour(marks)
    shown = [points.colour_of(int(r)) is not None for r in rows]
    assert shown == list(labels[rows] != 3)
    # a hidden point leaves no pixel: the image of the points alone shows none of class 3's
    alone = PartialMap(rows[labels[rows] == 3], np.zeros((int(np.sum(labels[rows] == 3)), 2), np.float32), 1000)
    points.draw(alone, marks)
    assert not points.cloud.pixels((1, 5, 1, 5), (10, 10)).any()
    marks.toggle_class(3)  # shown again
    points.recolour(marks)
    last = int(alone.indices[-1])  # all at one place: the last drawn is on top
    assert points.cloud.pixels((1, 5, 1, 5), (10, 10))[5, 5] == premultiplied(scale[[round(last / 999 * 63)]])[0]
    points.draw(partial, marks)
    found = np.array([rows[0], rows[1], int(np.setdiff1d(np.arange(1000), rows)[0])])  # the last: not yet on the map
    visible = [i for i in (0, 1) if labels[rows[i]] != 3]
    assert np.array_equal(points.drawn_points(found), partial.points[visible])


def test_a_cursor_dragged_across_a_quarter_of_a_million_points_shows_its_true_nearest_code(
    make_window, digits_pair, many, qtbot
):
    w, _ = open_on(make_window, digits_pair, many, qtbot)
    s, right = w.session, w.explorer.maps["right"]
    s.select(12345)
    qtbot.waitUntil(w.is_settled, timeout=30_000)  # each side's codes indexed for the plane its cursor moves in
    start = steady_pixel(right, *s.slots["right"].cursor_point)
    drag(right, start, start + QPoint(70, -50))  # off the data: the cursors' codes lie between the clusters
    qtbot.waitUntil(w.is_settled, timeout=30_000)
    for slot in ("left", "right"):  # the cursors are linked: both moved, both decoded
        state = s.slots[slot]
        assert not np.allclose(state.cursor_z, state.codes.mu[12345])
        assert state.nearest.plane.query(state.cursor_z) is not None  # answered by the index of the cursor's plane
        dist, idx = ExhaustiveSearch(state.codes.mu).query(state.cursor_z[None].astype(np.float64))
        shown = w.explorer.decoders[slot].stats.text()
        assert state.decoded.nearest_index == idx[0, 0] and f"<b>{dist[0, 0]:.3f}</b>" in shown


def test_a_map_being_made_draws_only_its_new_points_and_looks_as_if_drawn_whole(qtbot):
    rng = np.random.default_rng(2)
    n = 600
    marks = marked(rng.integers(0, 10, n), rng.random(n))
    order = rng.permutation(n)
    points = rng.standard_normal((n, 2)).astype(np.float32)
    points[order[300:]] += 0.3  # the later points fall among and over the first ones

    def plot_of(*partials: PartialMap):
        plot = pg.PlotWidget()
        qtbot.addWidget(plot)
        plot.resize(300, 300)
        plot.show()
        shown = MapPoints()
        plot.addItem(shown.cloud)
        plot.getViewBox().setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
        for partial in partials:
            shown.draw(partial, marks)
            image = qimage_to_array(plot.viewport().grab().toImage())
        return plot, shown, image

    half, whole = (PartialMap(order[:k], points[order[:k]], n) for k in (300, n))
    plot, grown, grown_image = plot_of(half, whole)
    _, fresh, fresh_image = plot_of(whole)
    assert grown.cloud._image.drawn == n - 300 and fresh.cloud._image.drawn == n  # only the new points were drawn
    assert np.array_equal(grown_image, fresh_image)
    marks.set_colour_by("weight")  # recoloured: every point is drawn again
    grown.recolour(marks)
    recoloured = qimage_to_array(plot.viewport().grab().toImage())
    assert grown.cloud._image.drawn == n and not np.array_equal(recoloured, grown_image)
