"""The Neighbours dock: a click on a map lists the sample's nearest samples in both latent spaces."""

import numpy as np
from mouse import click, steady_pixel
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from vae_explorer.core.session import SLOTS


def brute_force(codes: np.ndarray, query: int, k: int) -> list[int]:
    d = np.linalg.norm(codes.astype(np.float64) - codes[query].astype(np.float64), axis=1)
    return [int(r) for r in np.lexsort((np.arange(len(codes)), d)) if r != query][:k]


def test_a_click_on_a_map_lists_both_models_nearest_samples_and_a_click_on_one_selects_it(
    make_window, digits_pair, qtbot
):
    w = make_window(digits_pair)
    panel = w.explorer.neighbours
    w.explorer.docks["neighbours"].show()
    w.explorer.docks["neighbours"].raise_()
    panel.k.setValue(6)
    left = w.explorer.maps["left"]
    index = 25
    click(left, steady_pixel(left, *left.shown_points[index]))
    assert w.session.selection is not None
    index = w.session.selection  # the point under the mouse (another may lie on top of it)
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.query == index, timeout=5000)
    lists = {slot: brute_force(w.session.slots[slot].codes.mu, index, 6) for slot in SLOTS}
    for slot in SLOTS:
        assert panel.rows(slot) == lists[slot]
        assert w.session.slots[slot].title in panel.headings[slot].text()
    both = set(lists["left"]) & set(lists["right"])
    data = w.session.dataset
    for slot in SLOTS:
        view = panel.lists[slot]
        for row in range(view.count()):
            item = view.item(row)
            sample = panel.rows(slot)[row]
            assert data.describe_sample(sample) in item.text() and "d = " in item.text()
            assert item.text().startswith("●") == (sample in both) and item.font().bold() == (sample in both)
            assert not item.icon().isNull()
    assert f"agree on {len(both)} of 6" in panel.summary.text()
    # a click on a neighbour selects it in both maps, and the lists follow
    view = panel.lists["right"]
    target = panel.rows("right")[2]
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(view.item(2)).center())
    assert w.session.selection == target
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.query == target, timeout=5000)
    assert panel.rows("left") == brute_force(w.session.slots["left"].codes.mu, target, 6)
