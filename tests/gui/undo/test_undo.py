"""Edit > Undo and Redo through the real window: cursor drags, selections, vectors, morph keys, hidden classes."""

from __future__ import annotations

import numpy as np
from mouse import LEFT, click, drag, view_to_widget
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

from vae_explorer.core.session import SLOTS


def settle(qtbot, w) -> None:
    """Let the recorder make its step (it does at the next turn of the event loop) and the window settle."""
    QApplication.processEvents()
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    QApplication.processEvents()


def undo(qtbot, w) -> None:
    assert w.undo_action.isEnabled()
    w.undo_action.trigger()
    settle(qtbot, w)


def redo(qtbot, w) -> None:
    assert w.redo_action.isEnabled()
    w.redo_action.trigger()
    settle(qtbot, w)


def test_a_cursor_drag_is_one_step_and_a_click_selection_another(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    s, left = w.session, w.explorer.maps[SLOTS[0]]
    assert not w.undo_action.isEnabled()
    target = s.projection(SLOTS[0]).points[5]
    click(left, view_to_widget(left, *target))  # selects the sample under the mouse
    settle(qtbot, w)
    assert s.selection is not None and w.undo.stack.count() == 1
    picked, at_pick = s.selection, s.slots[SLOTS[0]].cursor_z.copy()
    start = view_to_widget(left, *s.slots[SLOTS[0]].cursor_point)
    drag(left, start, start + QPoint(40, -30), steps=10)
    settle(qtbot, w)
    dragged = s.slots[SLOTS[0]].cursor_z.copy()
    assert not np.allclose(dragged, at_pick)
    assert w.undo.stack.count() == 2  # ten mouse moves, one step
    assert w.undo_action.text() == "&Undo Move cursor"
    undo(qtbot, w)
    assert np.array_equal(s.slots[SLOTS[0]].cursor_z, at_pick)
    redo(qtbot, w)
    assert np.array_equal(s.slots[SLOTS[0]].cursor_z, dragged)
    undo(qtbot, w)
    undo(qtbot, w)  # the selection: none again
    assert s.selection is None
    redo(qtbot, w)
    assert s.selection == picked and np.array_equal(s.slots[SLOTS[0]].cursor_z, at_pick)


def test_vectors_morph_keys_and_hidden_classes_undo_and_redo(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    s = w.session
    w.explorer.docks["attributes"].raise_()
    form = w.explorer.attributes.define_form
    form.kind.setCurrentIndex(0)
    form.toward.setCurrentText("7")
    form.away.setCurrentText("9")
    qtbot.mouseClick(form.define_button, LEFT)
    qtbot.waitUntil(lambda: len(s.attributes.vectors) == 1, timeout=10_000)
    settle(qtbot, w)
    (name,) = s.attributes.vectors
    w.explorer.attributes.remove_button.click()
    settle(qtbot, w)
    assert s.attributes.vectors == {}
    undo(qtbot, w)  # the vector is back, active
    assert list(s.attributes.vectors) == [name] and s.attributes.active == name
    assert w.explorer.attributes.tree.topLevelItemCount() == 1
    undo(qtbot, w)  # before it was made
    assert s.attributes.vectors == {}
    redo(qtbot, w)
    redo(qtbot, w)
    assert s.attributes.vectors == {}

    w.explorer.morph.key_a.index.setValue(3)
    settle(qtbot, w)
    w.explorer.morph.key_b.index.setValue(8)
    settle(qtbot, w)
    assert [k.index for k in s.morph.chain()] == [3, 8]
    undo(qtbot, w)
    assert s.morph.end is None or s.morph.end.index != 8
    redo(qtbot, w)
    assert [k.index for k in s.morph.chain()] == [3, 8]

    legend = w.explorer.legend
    legend.entries.linkActivated.emit("class:3")
    settle(qtbot, w)
    assert s.marks.hidden == frozenset({3})
    undo(qtbot, w)
    assert s.marks.hidden == frozenset()
    redo(qtbot, w)
    assert s.marks.hidden == frozenset({3})
    assert "Hidden classes" in w.undo_action.text()


def test_a_slider_held_and_moved_is_one_step_recorded_when_let_go(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.explorer.docks["sliders"].raise_()
    w.session.select(0)  # the sliders move the cursor of the selected sample's code
    settle(qtbot, w)
    panel, steps = w.explorer.sliders, w.undo.stack.count()
    slider = next(iter(panel.sliders.values()))
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    handle = slider.style().subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider
    )
    start, before = handle.center(), w.session.slots[panel.slot].cursor_z.copy()
    qtbot.mousePress(slider, LEFT, pos=start)
    for dx in range(6, 60, 6):
        qtbot.mouseMove(slider, start + QPoint(dx, 0))
        QApplication.processEvents()
    qtbot.wait(300)  # held: the moves are not a step yet
    assert slider.isSliderDown() and not np.array_equal(w.session.slots[panel.slot].cursor_z, before)
    assert w.undo.stack.count() == steps
    qtbot.mouseRelease(slider, LEFT, pos=start + QPoint(54, 0))
    qtbot.waitUntil(lambda: w.undo.stack.count() == steps + 1, timeout=5_000)  # let go: one step
    assert w.undo_action.text() == "&Undo Move cursor"
    undo(qtbot, w)
    assert np.array_equal(w.session.slots[panel.slot].cursor_z, before)
