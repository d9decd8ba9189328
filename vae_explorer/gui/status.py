"""Telling the user what is going on: an inline message bar and the running-task indicator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget

from .tasks import Task, TaskRunner


class MessageBar(QWidget):
    """A dismissable line at the top of the window for errors (never a modal box)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(text="✕", autoRaise=True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class TaskStatus(QWidget):
    """Status-bar widget: the running tasks' title, a progress bar and a cancel button."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
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
        self.label.setText(task.title + (f" (+{others} more)" if others > 0 else ""))
        self.bar.setValue(int(1000 * task.fraction))
