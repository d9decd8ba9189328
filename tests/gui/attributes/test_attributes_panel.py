"""The Attributes dock driven like a user would: define vectors, read diagnostics, move alpha, select in maps."""

import numpy as np
from images import qimage_to_array
from mouse import LEFT, drag, move, press, release, view_to_widget
from PIL import Image
from PySide6.QtCore import QPoint

from vae_explorer.core.attributes.vectors import apply_vector
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.latent.regions import points_in_polygon, points_in_rect
from vae_explorer.core.session import SLOTS


def attributes_of(window):
    window.explorer.docks["attributes"].raise_()
    return window.explorer.attributes


def define(qtbot, panel, kind: int, **choices) -> None:
    form = panel.define_form
    form.kind.setCurrentIndex(kind)
    for name, text in choices.items():
        getattr(form, name).setCurrentText(text)
    count = len(panel.state.vectors)
    qtbot.mouseClick(form.define_button, LEFT)
    qtbot.waitUntil(lambda: len(panel.state.vectors) > count, timeout=10_000)


def view_point(panel, pixel: QPoint) -> np.ndarray:
    p = panel.vb.mapSceneToView(panel.plot.mapToScene(pixel))
    return np.array([p.x(), p.y()])


def shown(window, slot):
    return qimage_to_array(window.explorer.decoders[slot].decoded.image())


def test_class_vector_diagnostics_slider_and_arrows(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    s, panel = w.session, attributes_of(w)
    define(qtbot, panel, 0, toward="7", away="9")
    name = "9 → 7"
    assert list(s.attributes.vectors) == [name]
    # diagnostics: group sizes, norm and AUC of each model's own vector
    top = panel.tree.topLevelItem(0)
    assert top.text(0) == name and top.childCount() == 2
    labels = s.dataset.labels
    sizes = f"{(labels == 7).sum()} vs {(labels == 9).sum()}"
    for i, slot in enumerate(SLOTS):
        entry, child = s.attributes.entry(name, slot), top.child(i)
        assert child.text(0) == s.slots[slot].title
        assert (child.text(1), child.text(2), child.text(3)) == (sizes, f"{entry.norm:.3f}", f"{entry.auc:.3f}")
        assert entry.auc > 0.7  # trained models separate 7s from 9s along the vector
    assert panel.cosines.rowCount() == 1 and panel.cosines.item(0, 0).text() == "+1.00"
    define(qtbot, panel, 1, one_class="0")
    assert panel.tree.topLevelItemCount() == 2 and panel.cosines.rowCount() == 2
    cos = panel.cosines.item(0, 1).text()
    assert cos == panel.cosines.item(1, 0).text() and cos[0] in "+-"

    # the slider moves both cursors along their own model's active vector, and the images follow
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    assert s.attributes.active == name
    s.select(10)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    before = {slot: shown(w, slot) for slot in SLOTS}
    panel.slider.setValue(250)
    assert panel.alpha_label.text() == "alpha = +2.50"
    qtbot.waitUntil(lambda: w.is_settled() and all((shown(w, x) != before[x]).any() for x in SLOTS), timeout=5000)
    for slot in SLOTS:
        st, v = s.slots[slot], s.attributes.entry(name, slot).values
        assert np.array_equal(st.cursor_z, apply_vector(st.codes.mu[10], v, 2.5))
        assert np.array_equal(shown(w, slot), to_uint8(decode_codes(st.model, st.cursor_z[None])[0]))
        # the arrow runs from the sample's code to that code plus the vector, on each map
        overlay = w.explorer.attribute_overlays[slot]
        assert overlay.shaft.isVisible() and overlay.head.isVisible()
        x, y = overlay.shaft.getData()
        ends = s.projection(slot).forward(np.stack([st.codes.mu[10], st.codes.mu[10] + v]))
        assert np.allclose(np.stack([x, y], axis=1), ends, atol=1e-5)
        assert np.allclose([overlay.head.pos().x(), overlay.head.pos().y()], ends[1], atol=1e-5)
    # alpha = 0 decodes the original code exactly
    panel.reset_button.click()
    assert panel.slider.value() == 0
    qtbot.waitUntil(lambda: w.is_settled() and all((shown(w, x) == before[x]).all() for x in SLOTS), timeout=5000)
    for slot in SLOTS:
        assert np.array_equal(s.slots[slot].cursor_z, s.slots[slot].codes.mu[10])


def test_rectangle_and_lasso_selection_define_groups(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    s, panel = w.session, attributes_of(w)
    form, left = panel.define_form, w.explorer.maps["left"]
    form.kind.setCurrentIndex(3)
    s.select(0)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    cursor = s.slots["left"].cursor_z.copy()
    qtbot.mouseClick(form.select_buttons["A"], LEFT)
    assert s.attributes.tool == "rectangle" and form.select_buttons["A"].isChecked()
    pts = left.shown_points
    lo, hi = np.percentile(pts, 25, axis=0), np.percentile(pts, 75, axis=0)
    start, end = view_to_widget(left, lo[0], hi[1]), view_to_widget(left, hi[0], lo[1])
    drag(left, start, end)
    expected = points_in_rect(s.projection("left").points, view_point(left, start), view_point(left, end))
    assert 10 < len(expected) < len(pts)
    assert np.array_equal(s.attributes.selections["A"], expected)
    # up to the pixel the drag was rounded to, the points inside the rectangle and only those
    tol = 2 * max(left.vb.viewPixelSize())
    surely_in = np.flatnonzero(((pts > lo + tol) & (pts < hi - tol)).all(axis=1))
    maybe_in = np.flatnonzero(((pts > lo - tol) & (pts < hi + tol)).all(axis=1))
    assert set(surely_in) <= set(expected) <= set(maybe_in)
    assert np.array_equal(s.slots["left"].cursor_z, cursor)  # the drag selected; it did not move the cursor
    first = w.session.dataset.describe_sample(int(expected[0]))
    assert form.counts["A"].text().endswith(f"{len(expected)} samples ({first}, …)")  # the group, by name
    for slot in SLOTS:  # group A is ringed on both maps
        assert len(w.explorer.attribute_overlays[slot].groups["A"].data) == len(expected)

    # group B with a lasso (a triangle) in the right map
    form.shape.setCurrentIndex(1)
    qtbot.mouseClick(form.select_buttons["B"], LEFT)
    assert s.attributes.tool == "lasso" and s.attributes.tool_target == "B" and not form.select_buttons["A"].isChecked()
    right = w.explorer.maps["right"]
    rp = right.shown_points
    (x0, y0), (x1, y1) = rp.min(0), rp.max(0)
    corners = [view_to_widget(right, *p) for p in ((x0, y0), (x1, y0), ((x0 + x1) / 2, y1))]
    press(right, corners[0])
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        for t in np.linspace(0, 1, 8)[1:]:
            move(right, QPoint(round(a.x() + (b.x() - a.x()) * t), round(a.y() + (b.y() - a.y()) * t)))
    release(right, corners[0])
    triangle = np.array([view_point(right, c) for c in corners])
    expected_b = points_in_polygon(rp, triangle)
    assert 10 < len(expected_b) < len(rp)
    # the lasso follows the rounded pixels of the drag, so points within a pixel or two of an edge may go either way
    tol = 2 * max(right.vb.viewPixelSize())
    near_edge = np.zeros(len(rp), bool)
    for a, b in zip(triangle, np.roll(triangle, -1, axis=0), strict=True):
        t = np.clip(((rp - a) @ (b - a)) / ((b - a) @ (b - a)), 0, 1)
        near_edge |= np.linalg.norm(rp - (a + t[:, None] * (b - a)), axis=1) < tol
    chosen = np.zeros(len(rp), bool)
    chosen[s.attributes.selections["B"]] = True
    inside = np.zeros(len(rp), bool)
    inside[expected_b] = True
    assert np.array_equal(chosen[~near_edge], inside[~near_edge])
    expected_b = s.attributes.selections["B"]

    define(qtbot, panel, 3)
    vector = s.attributes.active_vector()
    assert vector.name == "selection A vs B"
    assert vector.entries["left"].n_pos == len(expected) and vector.entries["left"].n_neg == len(expected_b)

    # with the tool off, a drag moves the cursor again
    qtbot.mouseClick(form.select_buttons["B"], LEFT)
    assert s.attributes.tool is None
    at = view_to_widget(left, *s.slots["left"].cursor_point)
    drag(left, at, at + QPoint(40, 30))
    assert not np.allclose(s.slots["left"].cursor_z, cursor)
    assert np.array_equal(s.attributes.selections["A"], expected)


def test_bad_groups_and_tables_are_shown_in_the_window(make_window, digits_pair, qtbot, tmp_path):
    w = make_window(digits_pair)
    s, panel = w.session, attributes_of(w)
    form = panel.define_form
    form.kind.setCurrentIndex(3)
    qtbot.mouseClick(form.define_button, LEFT)
    assert "select group A in a map first" in w.messages.text()
    form.kind.setCurrentIndex(0)
    form.toward.setCurrentText("3")
    form.away.setCurrentText("3")
    qtbot.mouseClick(form.define_button, LEFT)
    qtbot.waitUntil(lambda: "both groups are the same samples" in w.messages.text(), timeout=5000)
    form.kind.setCurrentIndex(2)
    qtbot.mouseClick(form.define_button, LEFT)
    assert "no attribute table" in w.messages.text()
    short = tmp_path / "short.csv"
    short.write_text("index,odd\n0,1\n1,0\n")
    form.load_table(str(short))
    qtbot.waitUntil(lambda: "short.csv: no row for 359 of the 359 images" in w.messages.text(), timeout=5000)
    assert form.column.count() == 0 and s.attributes.attribute_table() is None
    good = tmp_path / "attrs.csv"  # keyed by row number of the whole digits: it serves any split
    rows = s.dataset.source_rows()
    good.write_text("index,odd,score\n" + "".join(f"{r},{r % 2},{r / 7}\n" for r in range(1797)))
    form.load_table(str(good))
    qtbot.waitUntil(lambda: form.column.count() == 2, timeout=5000)
    form.column.setCurrentText("score")
    assert form.column_split.currentData() == "median"  # a numeric column: its upper vs lower half
    form.column_split.setCurrentIndex(form.column_split.findData(None))
    qtbot.mouseClick(form.define_button, LEFT)
    qtbot.waitUntil(lambda: "column 'score' is not binary" in w.messages.text(), timeout=5000)
    assert s.attributes.vectors == {}
    define(qtbot, panel, 2, column="odd")
    assert s.attributes.active_vector().entries["right"].n_pos == int((rows % 2).sum())


def test_traversal_grid_export_and_vector_files(make_window, digits_pair, qtbot, tmp_path):
    w = make_window(digits_pair)
    s, panel = w.session, attributes_of(w)
    define(qtbot, panel, 4)  # pixel statistic: ink
    assert s.attributes.active == "more ink"
    box = panel.traversal
    box.rows.setValue(3)
    box.steps.setValue(5)
    box.preview_button.click()
    qtbot.waitUntil(lambda: box.view.image() is not None, timeout=10_000)
    one = (5 * 9 + 1, 3 * 9 + 1)  # 5 alphas by 3 rows of 8x8 images, 1-pixel gaps
    assert (box.view.image().width(), box.view.image().height()) == (2 * one[0] + 6, one[1])
    box.model.setCurrentIndex(box.model.findData("right"))
    box.scale.setValue(3)
    out = tmp_path / "grid.png"
    box.export(str(out))
    qtbot.waitUntil(out.exists, timeout=10_000)
    exported = np.asarray(Image.open(out).convert("L"))
    assert exported.shape[1] > 3 * one[0] and exported.shape[0] > 3 * one[1]  # room for the labels
    assert (exported[:14] < 128).any() and (exported[:14] == 255).mean() > 0.5  # the model's name, ink on white

    saved = tmp_path / "ink.json"
    panel.save(str(saved))
    qtbot.waitUntil(saved.exists, timeout=5000)
    values = {slot: s.attributes.entry("more ink", slot).values.copy() for slot in SLOTS}
    panel.remove_button.click()
    assert s.attributes.vectors == {} and panel.tree.topLevelItemCount() == 0
    assert not any(o.shaft.isVisible() for o in w.explorer.attribute_overlays.values())
    panel.load(str(saved))
    qtbot.waitUntil(lambda: "more ink" in s.attributes.vectors, timeout=5000)
    for slot in SLOTS:
        assert np.array_equal(s.attributes.entry("more ink", slot).values, values[slot])
