"""The GUI's executor: tasks on threads with progress and cancel, latest-wins lanes, results on the GUI thread.

It decides nothing: what to run and which results are stale is the session's work
(:mod:`vae_explorer.core.session.work`), which runs on :class:`TaskRunner`.

A task function gets a :class:`TaskState`, its only link to the GUI: it reports
progress and partial results and checks for cancellation. Starting a task under
a name cancels the one running under that name, whose result is then dropped.
Results arrive on the GUI thread through queued Qt signals. The runner is the
boundary for errors: whatever a task or its callbacks raise ends as one
``sigFailed(text, details)``, a :class:`VaeExplorerError` as its message, anything
else (a bug) as its type and message with the traceback as details, and logged.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from vae_explorer.core.errors import Cancelled, VaeExplorerError
from vae_explorer.core.latest import ThreadLanes

from .lanes import source_deleted

log = logging.getLogger(__name__)


def describe_exception(exc: BaseException, context: str = "") -> tuple[str, str]:
    """What to show for an exception -> ``(one line, details)``.

    A :class:`VaeExplorerError` is the user's to read: its message, with the traceback of
    the exception it was raised from (if any) as details. Anything else is a bug: its
    type and message after ``context`` ("Loading x failed"), with its traceback.
    """
    if isinstance(exc, VaeExplorerError):
        cause = exc.__cause__
        return str(exc), "" if cause is None else "".join(traceback.format_exception(cause))
    head = f"{context}: " if context else ""
    return f"{head}{exc.__class__.__name__}: {exc}", "".join(traceback.format_exception(exc))


class TaskState:
    """What a running task sees: ``progress``, ``partial``, ``cancel`` (a threading.Event)."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self.cancel = threading.Event()
        self._last = 0.0

    def progress(self, fraction: float, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= 0.05 or fraction >= 1.0:  # at most 20 updates a second
            self._last = now
            self._task.sigProgress.emit(float(fraction), text)

    def partial(self, result: Any) -> None:
        self._task.sigPartial.emit(result)

    def check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()


class Task(QObject):
    """One run of a function on a worker thread.

    Signals: ``sigProgress(fraction, text)``, ``sigPartial(obj)``, ``sigDone(obj)``,
    ``sigFailed(message, details)``, ``sigCancelled()``, and ``sigEnded()`` after any of the last three.
    """

    sigProgress = Signal(float, str)
    sigPartial = Signal(object)
    sigDone = Signal(object)
    sigFailed = Signal(str, str)
    sigCancelled = Signal()
    sigEnded = Signal()

    def __init__(self, name: str, title: str, fn: Callable[[TaskState], Any]) -> None:
        super().__init__()
        self.name, self.title, self.fn = name, title, fn
        self.fraction = 0.0  # the last progress reported, as the GUI thread has seen it
        self.note = ""  # ... and what it said it was doing ("compiling UMAP on first use")
        self.state = TaskState(self)
        self.thread = threading.Thread(target=self._run, name=f"task-{name}", daemon=True)
        self.sigProgress.connect(self._record_progress)

    def _record_progress(self, fraction: float, text: str) -> None:
        self.fraction, self.note = fraction, text

    @property
    def cancelled(self) -> bool:
        return self.state.cancel.is_set()

    def cancel(self) -> None:
        self.state.cancel.set()

    def _run(self) -> None:
        signal, args = self._outcome()
        try:
            signal.emit(*args)
            self.sigEnded.emit()
        except RuntimeError as exc:
            if not source_deleted(exc):  # the window went meanwhile: nobody waits for the result
                raise

    def _outcome(self) -> tuple[Any, tuple]:
        """Run the function -> ``(the signal that reports it, its arguments)``."""
        try:
            result = self.fn(self.state)
        except Cancelled:
            return self.sigCancelled, ()
        except Exception as exc:  # noqa: BLE001 - the boundary: every failure is reported, a bug also logged
            if not isinstance(exc, VaeExplorerError):
                log.error("task %s failed:\n%s", self.name, traceback.format_exc())
            return self.sigFailed, describe_exception(exc, f"{self.title} failed")
        return (self.sigCancelled, ()) if self.cancelled else (self.sigDone, (result,))


class TaskRunner(QObject):
    """Runs named tasks; a new task under a name cancels the old one.

    Signals: ``sigStarted(task)``, ``sigEnded(task)``, ``sigFailed(message, details)``
    for a task that failed without an ``on_failed`` of its own (the window shows it).

    ``on_done`` and ``on_partial`` run on the GUI thread; whatever they raise (a
    :class:`VaeExplorerError` when the result did not fit, say, or a bug) is reported
    like a failure of the task itself.
    """

    sigStarted = Signal(object)
    sigEnded = Signal(object)
    sigFailed = Signal(str, str)
    _sigPosted = Signal(object)  # a callable from a lane's thread, run on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks: dict[str, Task] = {}
        self._sigPosted.connect(self._run_posted)
        self.lanes = ThreadLanes(self._post)  # latest-wins threads; their results come back through _post
        self.latest = self.lanes.latest
        lanes = self.lanes
        self.destroyed.connect(lambda *_: lanes.stop(0))  # the window went: no lane takes more jobs

    def start(
        self,
        name: str,
        title: str,
        fn: Callable[[TaskState], Any],
        on_done: Callable[[Any], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Task:
        self.cancel(name)
        task = Task(name, title, fn)
        task.setParent(self)

        def failed(text: str, details: str = "") -> None:
            if on_failed is None:
                self.sigFailed.emit(text, details)
            else:
                self._call(on_failed, title, self.sigFailed.emit, text)

        def guarded(callback: Callable[..., None]) -> Callable[..., None]:
            # A replaced or cancelled task's late results are dropped; what the callback raises is reported.
            def call(*args: Any) -> None:
                if not task.cancelled and self.tasks.get(name) is task:
                    self._call(callback, title, failed, *args)

            return call

        if on_done is not None:
            task.sigDone.connect(guarded(on_done))
        if on_partial is not None:
            task.sigPartial.connect(guarded(on_partial))
        task.sigFailed.connect(guarded(failed))
        if on_cancelled is not None:
            task.sigCancelled.connect(on_cancelled)
        task.sigEnded.connect(lambda: self._ended(task))
        self.tasks[name] = task
        self.sigStarted.emit(task)
        task.thread.start()
        return task

    @staticmethod
    def _call(callback: Callable[..., None], title: str, failed: Callable[[str, str], None], *args: Any) -> None:
        """Run a task's callback on the GUI thread; whatever it raises goes to ``failed(text, details)``."""
        try:
            callback(*args)
        except Exception as exc:  # noqa: BLE001 - the boundary between a task and the window
            if not isinstance(exc, VaeExplorerError):
                log.error("a callback of %r failed:\n%s", title, traceback.format_exc())
            failed(*describe_exception(exc, f"{title} failed"))

    def _ended(self, task: Task) -> None:
        if self.tasks.get(task.name) is task:  # a cancelled task was reported ended already
            del self.tasks[task.name]
            self.sigEnded.emit(task)
        task.deleteLater()

    def cancel(self, name: str) -> None:
        task = self.tasks.pop(name, None)
        if task is not None:
            task.cancel()
            self.sigEnded.emit(task)

    def cancel_all(self) -> None:
        for name in list(self.tasks):
            self.cancel(name)

    def busy(self) -> bool:
        return bool(self.tasks)

    def running(self, name: str) -> bool:
        return name in self.tasks

    def _post(self, fn: Callable[[], None]) -> None:
        """On a lane's thread: run ``fn`` on the GUI thread, unless the window went meanwhile."""
        try:
            self._sigPosted.emit(fn)
        except RuntimeError as exc:
            if not source_deleted(exc):
                raise

    def _run_posted(self, fn: Callable[[], None]) -> None:
        self._call(fn, "a background result", self.sigFailed.emit)

    def idle(self) -> bool:
        """No latest-wins job waits or runs."""
        return self.lanes.idle()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel everything and wait (bounded) for the threads, e.g. when the window closes."""
        threads = [t.thread for t in self.tasks.values()]
        self.cancel_all()
        self.lanes.stop()
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
