"""How the session's work is run: the executor protocol, and a synchronous executor for tests and scripts.

:class:`~vae_explorer.core.session.work.SessionWork` decides what to compute; an
executor only runs it. A *job* is named: starting another under its name cancels
it, and its late results never arrive. A *latest* job goes to a lane (one worker
thread) where, per key, only the newest waiting job runs. The GUI's executor
(``gui/tasks.py``) runs them on threads and hands results to the GUI thread; the
:class:`SyncExecutor` here runs them at once, on the caller's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from vae_explorer.core.errors import Cancelled, VaeExplorerError


class JobState(Protocol):
    """What a running job sees: ``progress(fraction, text)``, ``partial(result)``, ``cancel`` (an Event)."""

    cancel: threading.Event

    def progress(self, fraction: float, text: str = "") -> None: ...

    def partial(self, result: Any) -> None: ...


Job = Callable[[JobState], Any]
Done = Callable[[Any], None]
Failed = Callable[[str], None]


class Executor(Protocol):
    """Runs jobs: named ones with progress, partial results and cancel; latest-wins ones per lane and key."""

    def start(
        self,
        name: str,
        title: str,
        fn: Job,
        on_done: Done | None = None,
        on_partial: Done | None = None,
        on_failed: Failed | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Any:
        """Run ``fn(state)``; a job already under ``name`` is cancelled. Callbacks run on the caller's thread."""
        ...

    def cancel(self, name: str) -> None: ...

    def running(self, name: str) -> bool: ...

    def latest(self, lane: str, key: Hashable, fn: Callable[[], Any], on_result: Done, on_failed: Failed) -> None:
        """Run ``fn()`` on ``lane`` unless a newer job for ``key`` comes first; late results are dropped."""
        ...

    def idle(self) -> bool:
        """No latest-wins job waits or runs."""
        ...

    def shutdown(self) -> None: ...


class _SyncState:
    """A job's view of itself when it runs on the caller's thread."""

    def __init__(self, on_partial: Done | None) -> None:
        self.cancel = threading.Event()
        self._on_partial = on_partial

    def progress(self, fraction: float, text: str = "") -> None:
        """Nobody watches a job that runs before the call returns."""

    def partial(self, result: Any) -> None:
        if self._on_partial is not None:
            self._on_partial(result)


class SyncExecutor:
    """Runs every job at once on the caller's thread: the session's work without threads (tests, scripts).

    A job's :class:`VaeExplorerError` goes to its ``on_failed``; anything else (a bug) is raised to the caller.
    """

    def start(
        self,
        name: str,
        title: str,
        fn: Job,
        on_done: Done | None = None,
        on_partial: Done | None = None,
        on_failed: Failed | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        try:
            result = fn(_SyncState(on_partial))
        except Cancelled:
            if on_cancelled is not None:
                on_cancelled()
            return
        except VaeExplorerError as exc:
            if on_failed is None:
                raise
            on_failed(str(exc))
            return
        if on_done is not None:
            on_done(result)

    def cancel(self, name: str) -> None:
        """Nothing runs after its call returned."""

    def running(self, name: str) -> bool:
        return False

    def latest(self, lane: str, key: Hashable, fn: Callable[[], Any], on_result: Done, on_failed: Failed) -> None:
        self.start(f"{lane}-{key}", lane, lambda state: fn(), on_result, on_failed=on_failed)

    def idle(self) -> bool:
        return True

    def shutdown(self) -> None:
        """Nothing to stop."""
