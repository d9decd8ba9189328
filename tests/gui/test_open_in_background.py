"""Checkpoints load on a worker: the window answers while a slow file is read, and only a checked
result replaces what is on show."""

import threading

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from vae_explorer.core.model import opening
from vae_explorer.gui.shell import opener


def test_the_window_answers_while_ctrl_l_reads_a_slow_checkpoint(make_window, digits_pair, qtbot, monkeypatch):
    w = make_window(digits_pair)
    ticks, released = [], threading.Event()
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(1) if len(ticks) < 5 else released.set())

    def slow_read(path, *args, **kwargs):
        """The file read, held until the GUI thread's timer has fired five times (or 20 s went by)."""
        waited = released.wait(20)
        slow_read.timer_fired_meanwhile = waited
        return opening.open_model(path, *args, **kwargs)

    monkeypatch.setattr(opener, "open_model", slow_read)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(digits_pair[0]), ""))
    timer.start()
    next(a for a in w.findChildren(QAction) if a.shortcut().toString() == "Ctrl+R").trigger()
    assert w.session.slots["right"].model.path == digits_pair[1]  # nothing replaced before it is read
    qtbot.waitUntil(lambda: w.session.slots["right"].model.path == digits_pair[0], timeout=30_000)
    timer.stop()
    assert slow_read.timer_fired_meanwhile  # the timer kept firing while the file was read
    assert "digits4-ae.pt opened on the right" in w.status_text.text()
    qtbot.waitUntil(w.is_settled, timeout=30_000)
    assert "AE" in w.explorer.maps["right"].title.text()
