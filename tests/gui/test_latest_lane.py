"""The Qt side of latest-wins decoding: results reach the GUI thread, and none outlives its receiver."""

from __future__ import annotations

import threading

import shiboken6

from vae_explorer.gui.tasks.lanes import LatestLane


def test_results_arrive_on_the_gui_thread(qtbot):
    latest = LatestLane("test-decoder")
    with qtbot.waitSignal(latest.sigResult, timeout=5000) as blocker:
        latest.submit("left", lambda: threading.current_thread().name)
    assert blocker.args == ["left", "test-decoder"]  # made on the worker, handed to the GUI thread
    latest.stop()


def test_a_job_that_ends_after_the_window_went_ends_quietly(qtbot, monkeypatch):
    errors: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    latest = LatestLane("test-decoder")
    core = latest._core
    started, finish = threading.Event(), threading.Event()

    def job() -> int:
        started.set()
        finish.wait(5)
        return 42

    latest.submit("left", job)
    assert started.wait(5)
    shiboken6.delete(latest)  # the window closes while a decode runs
    finish.set()
    core._thread.join(5)
    assert not core._thread.is_alive() and errors == []  # the worker ended, and nothing was raised on it
