"""The run log kept on screen and on disk: each run's record shown at once and written off the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from vae_explorer.core.training.job import RunState
from vae_explorer.core.training.run_log import RunLog

from ..tasks.lanes import LatestLane
from .log_view import RunLogView


class RunRecords(QObject):
    """Feeds ``view`` from ``run_log`` and writes the log's file on a worker (the newest record per run wins).

    ``sigFailed(message)`` when the file cannot be written.
    """

    sigFailed = Signal(str)

    def __init__(self, run_log: RunLog, view: RunLogView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log, self.view = run_log, view
        self._writer = LatestLane("run-log", self)
        self._writer.sigFailed.connect(lambda key, message: self.sigFailed.emit(message))
        view.set_entries(run_log.entries)
        if run_log.entries:
            view.select(run_log.entries[-1]["id"])

    def save(self, state: RunState, select: bool = True) -> dict[str, Any]:
        """Show the run's record in the log (selected, when it starts and ends) and write it on a worker."""
        entry = state.entry()
        self.log.record(entry)
        self._writer.submit(entry["id"], lambda: self.log.write(entry))
        if select:
            self.view.set_entries(self.log.entries, select=entry["id"])
        else:
            self.view.update_entry(self.log.find(entry["id"]) or entry)
        return entry

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait (bounded) until the log's file holds every record shown; True when it does."""
        return self._writer.wait_idle(timeout)

    def stop(self) -> None:
        """Write nothing more (the window closes)."""
        self._writer.stop()
