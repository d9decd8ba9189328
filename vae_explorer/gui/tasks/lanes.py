"""A lane: one worker thread that runs, per key, only the newest job, its results handed to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from vae_explorer.core.latest import LatestWins

SOURCE_DELETED = "Signal source has been deleted"  # what Qt raises on emitting from a deleted object


def source_deleted(exc: BaseException) -> bool:
    """Whether ``exc`` is Qt's error for a signal emitted by an object deleted since (the window closed)."""
    return isinstance(exc, RuntimeError) and str(exc) == SOURCE_DELETED


class LatestLane(QObject):
    """The Qt side of :class:`vae_explorer.core.latest.LatestWins`: results arrive on the GUI thread.

    Per key only the newest job runs, so a fast drag never queues stale frames;
    ``cancel(key)`` drops what was asked for under ``key`` so far. Signals:
    ``sigResult(key, result)``, ``sigFailed(key, message)``, on the GUI thread,
    late results left out.
    """

    sigResult = Signal(object, object)
    sigFailed = Signal(object, str)
    _sigArrived = Signal(object, object, object, bool)  # (key, ticket, result or message, failed), from the worker

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sigArrived.connect(self._on_arrived)
        self._core = LatestWins(
            name,
            lambda key, ticket, result: self._hand_over(key, ticket, result, False),
            lambda key, ticket, message: self._hand_over(key, ticket, message, True),
        )
        core = self._core
        self.destroyed.connect(lambda *_: core.stop(0))  # the window went: its worker takes no more jobs

    def _hand_over(self, key: Any, ticket: int, payload: Any, failed: bool) -> None:
        """On the worker: send a result to the GUI thread, unless this object went while the job ran.

        Only that one error is dropped; any other goes to the worker, which logs it and keeps decoding.
        """
        try:
            self._sigArrived.emit(key, ticket, payload, failed)
        except RuntimeError as exc:
            if not source_deleted(exc):
                raise

    def _on_arrived(self, key: Any, ticket: int, payload: Any, failed: bool) -> None:
        if not self._core.accept(key, ticket):
            return
        if failed:
            self.sigFailed.emit(key, payload)
        else:
            self.sigResult.emit(key, payload)

    def submit(self, key: Any, job: Callable[[], Any]) -> int:
        return self._core.submit(key, job)

    def cancel(self, key: Any) -> None:
        self._core.cancel(key)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        return self._core.wait_idle(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        self._core.stop(timeout)
