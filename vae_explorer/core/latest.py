"""Latest wins: a worker thread that runs, per key, only the newest job, and drops late results.

A fast drag asks for a decode on every mouse move. Decoding them all would queue
stale frames behind each other; here a job waiting to start is replaced by a
newer one under the same key, and a result that comes back late is dropped: one
older than a result already delivered for its key, or one asked for before the
key was cancelled (the model it decodes with was replaced, say). Qt-free, so it
is tested headless; the GUI wraps it to hand results to its own thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from vae_explorer.core.errors import Cancelled, VaeExplorerError

log = logging.getLogger(__name__)

Deliver = Callable[[Any, int, Any], None]  # (key, ticket, result)
Fail = Callable[[Any, int, str], None]  # (key, ticket, one-line message)


class LatestWins:
    """Runs the newest job submitted under each key on one worker thread.

    ``submit(key, job)`` returns a ticket (growing with every submission); the
    worker calls ``on_result(key, ticket, result)`` or ``on_failed(key, ticket,
    message)`` on its own thread. The receiver calls :meth:`accept` (on its thread)
    before using a result: False means the result is late and must be dropped.
    """

    def __init__(self, name: str, on_result: Deliver, on_failed: Fail | None = None) -> None:
        self._on_result, self._on_failed = on_result, on_failed
        self._pending: dict[Any, tuple[int, Callable[[], Any]]] = {}
        self._accepted: dict[Any, int] = {}  # per key: the newest ticket delivered, or the last one cancelled
        self._ticket = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: Any, job: Callable[[], Any]) -> int:
        """Run ``job()`` for ``key`` once the worker is free, unless a newer job for ``key`` comes first."""
        with self._cond:
            self._ticket += 1
            self._pending.pop(key, None)  # re-insert: the newest job goes to the back
            self._pending[key] = (self._ticket, job)
            self._idle.clear()
            self._cond.notify()
            return self._ticket

    def cancel(self, key: Any) -> None:
        """Forget the job waiting under ``key``; results of jobs submitted so far will not be accepted."""
        with self._cond:
            self._pending.pop(key, None)
            self._accepted[key] = self._ticket

    def accept(self, key: Any, ticket: int) -> bool:
        """Whether the result of ``ticket`` is still wanted; accepting it makes older ones late."""
        with self._cond:
            if self._stopping or ticket <= self._accepted.get(key, 0):
                return False
            self._accepted[key] = ticket
            return True

    def _next(self) -> tuple[Any, int, Callable[[], Any]] | None:
        with self._cond:
            while not self._pending and not self._stopping:
                self._idle.set()
                self._cond.wait()
            if self._stopping:
                return None
            key = next(iter(self._pending))
            ticket, job = self._pending.pop(key)
            return key, ticket, job

    def _loop(self) -> None:
        while (item := self._next()) is not None:
            key, ticket, job = item
            try:
                result = job()
            except Cancelled:  # a model that never arrived (its load failed, or was replaced): nothing to show
                continue
            except VaeExplorerError as exc:
                self._hand(self._on_failed, key, ticket, str(exc))
            except Exception as exc:  # a bug: one line for the user, the details in the log
                log.error("job %r failed:\n%s", key, traceback.format_exc())
                self._hand(self._on_failed, key, ticket, f"{exc.__class__.__name__}: {exc}")
            else:
                self._hand(self._on_result, key, ticket, result)

    @staticmethod
    def _hand(handler: Deliver | Fail | None, key: Any, ticket: int, payload: Any) -> None:
        """Give a result or a failure to its handler; what the handler raises is logged, and the worker goes on."""
        if handler is None:
            return
        try:
            handler(key, ticket, payload)
        except Exception:  # noqa: BLE001 - a broken receiver must not end the decoding of every later request
            log.error("the handler of job %r failed:\n%s", key, traceback.format_exc())

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no job runs or waits; False if that took longer than ``timeout`` seconds."""
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        """Drop what waits, accept no more results, and let the worker end."""
        with self._cond:
            self._stopping = True
            self._pending.clear()
            self._cond.notify()
        self._thread.join(timeout)


Post = Callable[[Callable[[], None]], None]  # runs a callable on the receiving thread (the GUI's), later
Receive = Callable[[Any], None]


class ThreadLanes:
    """Latest-wins lanes, one :class:`LatestWins` thread each, whose results reach the receiver through ``post``.

    ``latest(lane, key, fn, on_result, on_failed)`` runs ``fn()`` on ``lane``'s thread;
    ``post`` carries each result to the receiving thread (a queued Qt signal in the
    window), where the late ones are dropped and the others go to their callbacks.
    """

    def __init__(self, post: Post) -> None:
        self._post = post
        self._lanes: dict[str, LatestWins] = {}
        self._receivers: dict[tuple[str, Any], tuple[Receive, Receive]] = {}

    def latest(self, lane: str, key: Any, fn: Callable[[], Any], on_result: Receive, on_failed: Receive) -> None:
        """Run ``fn()`` on ``lane`` unless a newer job for ``key`` comes first; ``on_result`` or ``on_failed`` then."""
        queue = self._lanes.get(lane)
        if queue is None:
            queue = self._lanes[lane] = LatestWins(lane, self._handing(lane, 0), self._handing(lane, 1))
        self._receivers[(lane, key)] = (on_result, on_failed)
        queue.submit(key, fn)

    def _handing(self, lane: str, which: int) -> Deliver:
        """What ``lane``'s worker calls with a result (``which`` 0) or a failure (1): post it to the receiver."""

        def hand(key: Any, ticket: int, payload: Any) -> None:
            self._post(lambda: self._arrived(lane, key, ticket, payload, which))

        return hand

    def _arrived(self, lane: str, key: Any, ticket: int, payload: Any, which: int) -> None:
        """On the receiving thread: hand a result or a failure to its callback, unless it is late."""
        if self._lanes[lane].accept(key, ticket):
            self._receivers[(lane, key)][which](payload)

    def idle(self) -> bool:
        """No job waits or runs on any lane."""
        return all(queue.wait_idle(0) for queue in self._lanes.values())

    def stop(self, timeout: float = 2.0) -> None:
        for queue in self._lanes.values():
            queue.stop(timeout)
