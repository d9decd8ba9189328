"""A first-launch window for the lessons, and what a student sees of one: its docks, its pictures' sizes, its row.

The ``window`` fixture is taken into each lessons' test module (``window = lesson_window.window``):
a conftest of this folder would stand in for the one above it, whose helpers other tests
import by name.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from vae_explorer.core.lessons import lesson
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.session import Session
from vae_explorer.gui.lessons.row_text import row_html
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path, tmp_path_factory, monkeypatch, request):
    """A first-launch window (1400 x 900) with nothing open; encodings and rows are cached for the test module."""
    cache = tmp_path_factory.getbasetemp() / f"lesson-cache-{request.module.__name__}"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    make_app()
    w = MainWindow(Session("cpu"), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


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
