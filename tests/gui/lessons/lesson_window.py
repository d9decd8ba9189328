"""What a student sees of a lesson: its docks, its pictures' sizes, its measured row."""

from __future__ import annotations

import pytest

from vae_explorer.core.lessons import lesson
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.gui.lessons.row_text import row_html


def settled(w) -> bool:
    return w.lessons.pending is None and w.is_settled()


def run_lesson(w, qtbot, number):
    """Help > Lessons > N, then wait until its models, pictures and measured row are all in."""
    item = lesson(number)
    if item.needs(checkpoints_dir()):
        pytest.skip(f"lesson {number} {item.needs(checkpoints_dir())}")
    (action,) = [a for a in w.lessons_menu.actions() if a.text().startswith(f"&{number}. ")]
    action.trigger()
    qtbot.waitUntil(lambda: settled(w) and w.lessons.measure.rows is not None, timeout=240_000)
    w.grab()  # paint once: the docks take their sizes
    return item


def open_docks(w) -> set[str]:
    """The docks on screen, the Lesson bar among them."""
    return {key for key, dock in w.explorer.docks.items() if dock.isVisible()}


def pixel_scale(view) -> float:
    """Screen pixels per image pixel of an image widget (its image is drawn whole, scaled to fit)."""
    image = view.image()
    assert image is not None, "no picture on show"
    return view.target_rect().width() / image.width()


def assert_row_in_bar(w, item) -> None:
    """The Lesson bar shows the lesson's measured row: both models' numbers, the answer and what they mean."""
    rows, text = w.lessons.measure.rows, w.explorer.lesson.measured.text()
    assert text == row_html(rows, item.holds)
    row = rows.row
    assert row.number == item.number
    for cell in (*row.cells, row.answer):
        assert cell.replace("&", "&amp;").replace("<", "&lt;") in text
    assert ("does not show the claim" in text) == (row.outcome in ("level", "reversed"))
