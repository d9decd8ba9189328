"""Each lesson opens only the docks it needs, where it wants them, and the user's layout comes back when lessons end."""

import lesson_window
import pytest
from PySide6.QtCore import QSettings, Qt

from vae_explorer.core.lessons import LESSONS, lesson
from vae_explorer.core.session import Session
from vae_explorer.gui.lessons.stage import AREAS
from vae_explorer.gui.shell.main_window import MainWindow

window = lesson_window.window  # the lessons' window, a fixture


def layout_of(w) -> dict:
    """What the user sees of the docks: each one's visibility, area, floating, and whether it is a tab."""
    view = w.explorer
    return {
        key: (dock.isVisible(), view.dockWidgetArea(dock), dock.isFloating(), bool(view.tabifiedDockWidgets(dock)))
        for key, dock in view.docks.items()
    } | {"decoded": view.splitter.widget(1).isVisible()}


def arrange_by_hand(w) -> None:
    """A layout of the user's own: Attributes on the left, Samples floating, Latent sliders closed."""
    view = w.explorer
    view.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, view.docks["attributes"])
    view.docks["samples"].setFloating(True)
    view.docks["sliders"].hide()
    w.grab()


@pytest.mark.parametrize("number", [item.number for item in LESSONS])
def test_a_lesson_opens_only_its_docks_and_ending_gives_the_layout_back(window, number):
    arrange_by_hand(window)
    before = layout_of(window)
    item = lesson(number)
    window.lessons.stage.set(item)
    window.grab()
    view = window.explorer
    assert {key for key, dock in view.docks.items() if dock.isVisible()} == {"lessons", *item.docks}
    for key in item.docks:
        assert view.dockWidgetArea(view.docks[key]) == AREAS[key] and not view.docks[key].isFloating()
    assert view.dockWidgetArea(view.docks["lessons"]) == Qt.DockWidgetArea.TopDockWidgetArea
    assert view.splitter.widget(1).isVisible() == item.decoded  # lesson 7 leaves the maps the height
    window.explorer.lesson.end.click()  # End lessons
    window.grab()
    assert layout_of(window) == before and not window.lessons.stage.active


def test_closing_the_lesson_bar_ends_the_lessons(window):
    before = layout_of(window)
    window.lessons.stage.set(lesson(7))
    window.explorer.docks["lessons"].toggleViewAction().trigger()  # View > Lesson, off
    window.grab()
    assert layout_of(window) == before and not window.lessons.stage.active


def test_lessons_after_lessons_keep_the_first_layout(window):
    """Going from lesson to lesson never takes a lesson's layout for the user's."""
    arrange_by_hand(window)
    before = layout_of(window)
    for item in LESSONS:
        window.lessons.stage.set(item)
    window.lessons.end()
    window.grab()
    assert layout_of(window) == before


def test_closing_the_window_during_a_lesson_saves_the_users_layout(qtbot, tmp_path):
    settings = tmp_path / "settings.ini"

    def open_window():
        w = MainWindow(Session("cpu"), QSettings(str(settings), QSettings.Format.IniFormat))
        qtbot.addWidget(w)
        w.show()
        return w

    first = open_window()
    arrange_by_hand(first)
    before = layout_of(first)
    first.lessons.stage.set(lesson(5))
    first.close()
    again = open_window()
    again.grab()
    assert layout_of(again) == before  # the next launch has the user's layout, not lesson 5's
    again.close()
