"""A lesson's claim measured on a worker, its progress and then its row shown in the Lesson bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from vae_explorer.core.lessons import Lesson
from vae_explorer.core.lessons.measured import LessonRows, measure_lesson
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import Task, TaskRunner, TaskState

from .panel import LessonPanel

TASK = "lesson-claim"


class LessonMeasure(QObject):
    """Measures the claim of the lesson on show on the session's pair (or reads it from the cache)."""

    def __init__(
        self, session: Session, runner: TaskRunner, panel: LessonPanel, shown: Callable[[], None] = lambda: None
    ) -> None:
        """``shown()``: called after a row is shown (the bar may have grown)."""
        super().__init__(panel)
        self.session, self.runner, self.panel, self.shown = session, runner, panel, shown
        self.task: Task | None = None
        self.rows: LessonRows | None = None  # the last rows shown

    def start(self, item: Lesson) -> None:
        """Measure ``item``'s claim on the models and data on show; the bar shows its progress, then the row."""
        s = self.session
        models = [s.slots[slot].model for slot in SLOTS]
        codes = [s.slots[slot].codes for slot in SLOTS]
        data, folder = s.dataset, checkpoints_dir()
        if data is None or any(m is None for m in models) or any(c is None for c in codes):
            return
        self.rows = None
        self.panel.show_progress(0.0)

        def work(state: TaskState) -> LessonRows:
            def progress(fraction: float, text: str) -> None:
                state.check()  # a newer lesson, or Esc: stop here
                state.progress(fraction, text)

            return measure_lesson(item, *models, data, tuple(codes), folder, progress)  # type: ignore[arg-type]

        def done(rows: LessonRows) -> None:
            if self.panel.number == item.number:
                self.rows = rows
                self.panel.show_rows(rows)
                self.shown()

        def failed(message: str) -> None:
            if self.panel.number == item.number:
                self.panel.show_failure(message)

        task = self.runner.start(TASK, f"Measuring lesson {item.number}'s claim", work, done, on_failed=failed)
        self.task = task
        task.sigProgress.connect(lambda f, text: self.task is task and self.panel.show_progress(f, text))
        task.sigCancelled.connect(lambda: self.task is task and self.panel.show_failure("stopped before the end"))

    def stop(self) -> None:
        """Stop measuring (another lesson, or none)."""
        self.task = None
        self.runner.cancel(TASK)
