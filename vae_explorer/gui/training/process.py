"""The child process that trains: ``python -m vae_explorer train ... --progress json`` under QProcess.

QProcess delivers output on the GUI thread's event loop without blocking it;
this object turns it into one signal per JSON event and keeps the last lines
of the error output for the report when the child fails.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

from vae_explorer.core.training.protocol import LineSplitter, parse_event

ERROR_LINES = 40
log = logging.getLogger(__name__)


def package_root() -> Path:
    """The folder holding the ``vae_explorer`` package this process runs, for the child's ``PYTHONPATH``."""
    return Path(__file__).resolve().parents[3]


class TrainProcess(QObject):
    """One training child.

    Signals: ``sigEvent(dict)`` per JSON line, ``sigFinished(code, crashed)`` once,
    after the last event; ``code`` is the exit status, or the signal's number when
    ``crashed``. Other lines (stdout or stderr) are kept in ``error_lines``.
    """

    sigEvent = Signal(dict)
    sigFinished = Signal(int, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        paths = [str(package_root()), *filter(None, [env.value("PYTHONPATH")])]
        env.insert("PYTHONPATH", os.pathsep.join(paths))
        env.insert("PYTHONUNBUFFERED", "1")
        self.proc.setProcessEnvironment(env)
        self.proc.readyReadStandardOutput.connect(self._read_stdout)
        self.proc.readyReadStandardError.connect(self._read_stderr)
        self.proc.finished.connect(self._on_finished)
        self.proc.errorOccurred.connect(self._on_error)
        self._out, self._err = LineSplitter(), LineSplitter()
        self.error_lines: deque[str] = deque(maxlen=ERROR_LINES)
        self.stop_requested = False
        self.killed = False  # ended at once on purpose (Kill now, or no clean stop in time): not a failure
        self._done = False

    def start(self, args: list[str]) -> None:
        self.proc.start(sys.executable, ["-m", "vae_explorer", *args])

    def running(self) -> bool:
        return self.proc.state() != QProcess.ProcessState.NotRunning

    def pid(self) -> int:
        return int(self.proc.processId())

    def stop(self) -> None:
        """Ask for a clean stop: the child ends after its current step, keeping the last epoch's file."""
        if self.running() and not self.stop_requested:
            self.stop_requested = True
            self.proc.write(b"stop\n")

    def wait(self, msecs: int) -> bool:
        """Block (bounded) until the child has exited; True when it has."""
        return not self.running() or self.proc.waitForFinished(msecs)

    def kill(self) -> None:
        if self.running():
            self.killed = True
            self.proc.kill()

    def end(self, wait_ms: int) -> None:
        """Stop cleanly and wait (bounded) for the child, killing it past the bound; ``sigFinished`` has fired after."""
        self.stop()  # a no-op when already asked
        if not self.wait(wait_ms):
            log.warning("the training process did not stop within %d ms: killing it", wait_ms)
            self.kill()
            self.wait(5000)
        self.finish_now()

    def finish_now(self) -> None:
        """After a blocking :meth:`wait`: report the end now if Qt has not yet (``sigFinished`` fires once)."""
        if not self.running() and not self._done:
            self._on_finished(self.proc.exitCode(), self.proc.exitStatus())

    # -- output -----------------------------------------------------------------------------
    def _read_stdout(self) -> None:
        self._lines(self._out.feed(bytes(self.proc.readAllStandardOutput().data())), keep=False)

    def _read_stderr(self) -> None:
        self._lines(self._err.feed(bytes(self.proc.readAllStandardError().data())), keep=True)

    def _lines(self, lines: list[str], keep: bool) -> None:
        for line in lines:
            event = None if keep else parse_event(line)
            if event is not None:
                self.sigEvent.emit(event)
            elif line.strip():
                self.error_lines.append(line)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        self._read_stderr()
        self._lines(self._out.flush(), keep=False)
        self._lines(self._err.flush(), keep=True)
        self._finish(code, status == QProcess.ExitStatus.CrashExit)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.error_lines.append(f"could not start {sys.executable}: {self.proc.errorString()}")
            self._finish(127, False)

    def _finish(self, code: int, crashed: bool) -> None:
        if not self._done:
            self._done = True
            self.sigFinished.emit(int(code), bool(crashed))
