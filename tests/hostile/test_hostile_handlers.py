"""Handlers that raise: the decode worker goes on, a signal's other listeners still hear, and only Qt's one
'deleted' error is ever dropped."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
import torch
from PySide6.QtCore import QObject, Signal

from vae_explorer.core.events import Signal as CoreSignal
from vae_explorer.core.latest import LatestWins
from vae_explorer.gui.tasks import source_deleted


def test_the_decode_worker_survives_a_result_handler_that_raises(caplog):
    got, arrived = [], threading.Event()

    def deliver(key, ticket, result):
        if result == "first":
            raise ValueError("the handler broke")
        got.append(result)
        arrived.set()

    queue = LatestWins("test", deliver)
    try:
        queue.submit("left", lambda: "first")
        assert queue.wait_idle(5.0)
        queue.submit("left", lambda: "second")  # the next drag still decodes
        assert arrived.wait(5.0)
    finally:
        queue.stop()
    assert got == ["second"]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR and "handler" in r.getMessage()]
    assert failures and "ValueError: the handler broke" in failures[0].getMessage()  # with its traceback


def test_a_signal_callback_that_raises_is_logged_and_the_others_still_run(caplog):
    heard = []
    signal = CoreSignal("codes_changed")
    signal.connect(lambda slot: heard.append(("map", slot)))

    def broken(slot):
        raise KeyError(slot)

    signal.connect(broken)
    signal.connect(lambda slot: heard.append(("morph", slot)))
    with pytest.raises(KeyError):  # the code that emitted still sees the failure (a test, the task runner)
        signal.emit("left")
    assert heard == [("map", "left"), ("morph", "left")]
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "codes_changed" in record.getMessage() and record.exc_info[0] is KeyError


class _Source(QObject):
    sigArrived = Signal(object)


def test_only_qt_s_deleted_source_error_counts_as_a_window_that_went(qtbot):
    source = _Source()
    emit = source.sigArrived.emit
    shiboken6.delete(source)  # the window closed while a decode ran
    with pytest.raises(RuntimeError) as deleted:
        emit(1)
    assert source_deleted(deleted.value)
    with pytest.raises(RuntimeError) as other:
        torch.zeros(2) @ torch.zeros(3)  # any other RuntimeError is a bug, never dropped
    assert not source_deleted(other.value)
