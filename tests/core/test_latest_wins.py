"""Latest wins, headless: a newer request replaces an older one not yet started, and late results are dropped."""

import threading
import time

import pytest

from vae_explorer.core.errors import DataError
from vae_explorer.core.latest import LatestWins, ThreadLanes


class Inbox:
    """What a receiver of the worker's results sees, accepting each as the GUI does."""

    def __init__(self):
        self.got, self.failed, self.arrived = [], [], threading.Event()
        self.queue = LatestWins("test", self.deliver, self.fail)

    def deliver(self, key, ticket, result):
        if self.queue.accept(key, ticket):
            self.got.append((key, result))
        self.arrived.set()

    def fail(self, key, ticket, message):
        if self.queue.accept(key, ticket):
            self.failed.append((key, message))
        self.arrived.set()

    def settle(self):
        assert self.queue.wait_idle(5.0)


@pytest.fixture
def inbox():
    box = Inbox()
    yield box
    box.queue.stop()


def blocker():
    started, release = threading.Event(), threading.Event()

    def job():
        started.set()
        assert release.wait(5.0)
        return "first"

    return job, started, release


def test_a_newer_request_replaces_one_not_yet_started(inbox):
    job, started, release = blocker()
    inbox.queue.submit("cursor", job)
    assert started.wait(5.0)  # the worker is busy with the first job
    ran = []
    for i in range(5):  # a fast drag: each move replaces the one waiting
        inbox.queue.submit("cursor", lambda i=i: ran.append(i) or f"move {i}")
    inbox.queue.submit("tiles", lambda: "tiles")  # another key waits beside it
    release.set()
    inbox.settle()
    assert ran == [4]
    assert inbox.got == [("cursor", "first"), ("cursor", "move 4"), ("tiles", "tiles")]


def test_results_asked_for_before_a_cancel_are_dropped(inbox):
    job, started, release = blocker()
    inbox.queue.submit("cursor", job)
    assert started.wait(5.0)
    inbox.queue.submit("cursor", lambda: "waiting")
    inbox.queue.cancel("cursor")  # the model was replaced: neither result is wanted now
    inbox.queue.submit("other", lambda: "other")
    release.set()
    inbox.settle()
    assert inbox.got == [("other", "other")]
    inbox.queue.submit("cursor", lambda: "new model")
    inbox.settle()
    assert inbox.got[-1] == ("cursor", "new model")


def test_an_older_result_after_a_newer_one_is_late(inbox):
    job, started, release = blocker()
    old = inbox.queue.submit("cursor", job)
    assert started.wait(5.0)
    new = inbox.queue.submit("cursor", lambda: "new")
    release.set()
    inbox.settle()
    assert inbox.got == [("cursor", "first"), ("cursor", "new")] and old < new
    assert not inbox.queue.accept("cursor", old)  # had the first come back after the second, it would be dropped


def test_failures_are_one_line_and_the_worker_goes_on(inbox):
    def bad():
        raise DataError("sample 9 is out of range")

    def bug():
        raise ZeroDivisionError("division by zero")

    inbox.queue.submit("a", bad)
    inbox.queue.submit("b", bug)
    inbox.settle()
    inbox.queue.submit("a", lambda: "fine")
    inbox.settle()
    assert inbox.failed == [("a", "sample 9 is out of range"), ("b", "ZeroDivisionError: division by zero")]
    assert inbox.got == [("a", "fine")]


def test_after_stop_nothing_is_accepted(inbox):
    job, started, release = blocker()
    inbox.queue.submit("cursor", job)
    assert started.wait(5.0)
    inbox.queue.stop(timeout=0)  # the window closes while a job runs
    release.set()
    assert inbox.arrived.wait(5.0)
    assert inbox.got == []


def no_codes():
    raise DataError("no codes")


def test_lanes_hand_results_through_post_and_drop_the_late_ones():
    posted: list = []
    lanes = ThreadLanes(posted.append)  # the receiving thread runs what was posted when it gets to it
    got, failed = [], []
    try:
        job, started, release = blocker()
        lanes.latest("decoder", "left", job, got.append, failed.append)
        assert started.wait(5.0)
        lanes.latest("decoder", "left", lambda: "second", got.append, failed.append)
        lanes.latest(
            "decoder", "right", lambda: (_ for _ in ()).throw(DataError("no codes")), got.append, failed.append
        )
        release.set()
        deadline = time.monotonic() + 5.0
        while not lanes.idle() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert got == [] and failed == []  # nothing reaches the receiver before it runs what was posted
        for deliver in reversed(posted):  # the newest result first: the older one is then late
            deliver()
    finally:
        lanes.stop()
    assert got == ["second"] and failed == ["no codes"]
