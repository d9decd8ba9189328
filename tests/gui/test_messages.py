"""One place for what the user is told: errors in the message bar (a bug's traceback behind "Details…"),
status notes in the status bar, whatever raised them."""

import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction

from vae_explorer.core.errors import DataError
from vae_explorer.gui.shell.dialogs import OpenDataDialog


def _details_shown(window, qtbot):
    """Press "Details…" and return the text of the dialog it opens."""
    bar = window.messages
    assert bar.details_button.isVisible()
    bar.details_button.click()
    qtbot.waitUntil(lambda: bar.dialog is not None and bar.dialog.isVisible(), timeout=3000)
    text = bar.dialog.details.toPlainText()
    bar.dialog.close()
    return text


def test_a_bug_in_a_task_is_shown_with_its_traceback(make_window, qtbot, caplog):
    w = make_window(None, wait=False)

    def work(state):
        return 1 / 0

    with caplog.at_level(logging.ERROR):
        w.runner.start("count", "Counting the samples", work)
        qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=5000)
    assert w.messages.text() == "Counting the samples failed: ZeroDivisionError: division by zero"
    details = _details_shown(w, qtbot)
    assert "Traceback" in details and "return 1 / 0" in details
    assert any("ZeroDivisionError" in r.getMessage() for r in caplog.records)  # and it is logged
    assert not w.runner.busy()


def test_a_bug_in_a_task_result_handler_is_shown_too(make_window, qtbot):
    w = make_window(None, wait=False)
    w.runner.start("lookup", "Looking up", lambda state: {}, lambda result: result["missing"])
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=5000)
    assert w.messages.text() == "Looking up failed: KeyError: 'missing'"
    assert 'result["missing"]' in _details_shown(w, qtbot)


def test_a_user_error_is_one_line_without_details(make_window, qtbot):
    w = make_window(None, wait=False)

    def work(state):
        raise DataError("faces.csv: column 'smile' is not binary")

    w.runner.start("table", "Reading a table", work)
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=5000)
    assert w.messages.text() == "faces.csv: column 'smile' is not binary"
    assert not w.messages.details_button.isVisible()


def test_a_bug_behind_a_menu_command_is_caught_there(make_window, qtbot, monkeypatch):
    """File > Open data with a dialog that raises: the window says so and goes on."""
    w = make_window(None, wait=False)

    def broken(dialog):
        raise RuntimeError("the dialog fell over")

    monkeypatch.setattr(OpenDataDialog, "exec", broken)
    next(a for a in w.findChildren(QAction) if a.text() == "Open &data…").trigger()
    assert w.messages.text() == "Unexpected error: RuntimeError: the dialog fell over"
    assert "broken" in _details_shown(w, qtbot)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_any_qt_slot_reaches_the_message_bar(make_window, qtbot, monkeypatch):
    """What Qt hands to ``sys.excepthook`` (the app installs the window's): shown, never lost."""
    w = make_window(None, wait=False)
    monkeypatch.setattr(sys, "excepthook", w.boundary.excepthook)

    def slot():
        raise ValueError("a slot broke")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=3000)
    assert w.messages.text() == "Unexpected error: ValueError: a slot broke"
    assert "a slot broke" in _details_shown(w, qtbot)


def test_status_notes_go_to_the_status_bar_and_make_way_for_what_is_on_show(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    on_show = w.status_text.text()
    assert "digits4-ae.pt and digits4-vae.pt on digits" in on_show
    w.session.say("t-SNE of VAE loaded from the cache")
    assert w.status_text.text() == "t-SNE of VAE loaded from the cache" and not w.messages.text()
    w.status_text._timer.timeout.emit()  # the note's time is up
    assert w.status_text.text() == on_show


def test_the_message_bar_is_dismissed_and_replaced(make_window, qtbot):
    w = make_window(None, wait=False)
    w.session.report("first")
    w.session.report("second", details="more")
    assert w.messages.text() == "second" and w.messages.details_button.isVisible()
    w.session.report("third")
    assert not w.messages.details_button.isVisible()
    w.messages.close_button.click()
    assert w.messages.text() == ""
