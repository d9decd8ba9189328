"""Telling the user what is going on: the message bar for errors, the status line, the running tasks,
and the boundary where an exception nothing else caught is shown instead of lost."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget

from ...core.errors import VaeExplorerError
from ..tasks import Task, TaskRunner, describe_exception
from ..widgets.text import plain
from ..widgets.theme import use_style_sheet
from .dialogs import DetailsDialog

log = logging.getLogger(__name__)
STATUS_MS = 10_000  # how long a status note stays before the line goes back to what is on show


class MessageBar(QWidget):
    """A dismissable line at the top of the window for errors (never a modal box).

    An error that came with details (the traceback of a bug) gets a "Details…" button
    that shows them in a dialog.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = ""
        self.dialog: DetailsDialog | None = None
        self.label = plain(QLabel())  # errors name files and values: never read as markup
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton("Details…")
        self.details_button.setToolTip("What went wrong, in full (to copy into a bug report)")
        self.details_button.clicked.connect(self.show_details)
        self.close_button = QToolButton(text="✕", autoRaise=True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)
        layout.addWidget(self.close_button)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        use_style_sheet(self)
        self.hide()

    def show_message(self, text: str, details: str = "") -> None:
        plain(self.label, text)
        self.details = details
        self.details_button.setVisible(bool(details))
        self.show()

    def show_details(self) -> None:
        self.dialog = DetailsDialog(self.label.text(), self.details, self.window())
        self.dialog.open()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class StatusLine(QLabel):
    """The status bar's line: what is on show, and for a while after each note, the note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plain(self)  # names of models, data and files
        self.base = ""
        self._timer = QTimer(self, singleShot=True, interval=STATUS_MS, timeout=lambda: self.setText(self.base))

    def set_base(self, text: str) -> None:
        """What the line says when no note is showing (the models and data on show)."""
        self.base = text
        if not self._timer.isActive():
            self.setText(text)

    def note(self, text: str) -> None:
        self.setText(text)
        self._timer.start()


class ErrorBoundary:
    """Where an exception that nothing else caught ends: logged, and reported with its traceback.

    ``report(text, details)`` shows it (the window's message bar). :meth:`guard`
    wraps a Qt slot; :meth:`excepthook` is for ``sys.excepthook``, where PySide
    sends an exception raised in any slot.
    """

    def __init__(self, report: Callable[[str, str], None]) -> None:
        self.report = report

    def handle(self, exc: BaseException) -> None:
        if not isinstance(exc, Exception):
            raise exc  # KeyboardInterrupt, SystemExit: not ours to swallow
        text, details = describe_exception(exc, "Unexpected error")
        if not isinstance(exc, VaeExplorerError):
            log.error("%s\n%s", text, details)
        try:
            self.report(text, details)
        except Exception:  # noqa: BLE001 - showing it failed too: the log and stderr still have it
            log.exception("could not show an error")
            sys.__excepthook__(type(exc), exc, exc.__traceback__)

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(exc_type, Exception):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.handle(exc.with_traceback(tb))

    def guard(self, slot: Callable[..., Any]) -> Callable[..., None]:
        """``slot`` as a Qt slot that reports what it raises instead of letting it escape into Qt."""

        @functools.wraps(slot)
        def call(*args: Any) -> None:
            try:
                slot(*args)
            except Exception as exc:  # noqa: BLE001 - the boundary between a slot and Qt
                self.handle(exc)

        return call


class TaskStatus(QWidget):
    """Status-bar widget: the running tasks' title, a progress bar and a cancel button."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = plain(QLabel())  # task titles name files
        self.bar = QProgressBar(maximumWidth=180, textVisible=True)
        self.bar.setRange(0, 1000)
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Cancel the running work (Esc)")
        self.cancel.clicked.connect(self.cancel_current)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.bar, self.cancel):
            layout.addWidget(w)
        runner.sigStarted.connect(self._on_started)
        runner.sigEnded.connect(lambda task: self._refresh())
        self._refresh()

    def _on_started(self, task: Task) -> None:
        task.sigProgress.connect(lambda fraction, text, t=task: self._on_progress(t))
        self._refresh()

    def _on_progress(self, task: Task) -> None:
        if self.runner.tasks.get(task.name) is task:  # not a replaced or cancelled task's late report
            self._refresh()

    def current(self) -> Task | None:
        """The first running task: the one the bar shows."""
        return next(iter(self.runner.tasks.values()), None)

    def cancel_current(self) -> None:
        for name in list(self.runner.tasks):
            if not name.startswith("samples"):
                self.runner.cancel(name)

    def _refresh(self) -> None:
        task = self.current()
        self.setVisible(task is not None)
        if task is None:
            return
        others = len(self.runner.tasks) - 1
        note = f": {task.note}" if task.note else ""
        self.label.setText(task.title + note + (f" (+{others} more)" if others > 0 else ""))
        self.bar.setValue(int(1000 * task.fraction))
