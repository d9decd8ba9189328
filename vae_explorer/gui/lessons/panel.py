"""The Lesson bar: what a lesson shows and what to look at, its claim measured, Previous, Next and End."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vae_explorer.core.lessons import LESSONS, Lesson
from vae_explorer.core.lessons.measured import LessonRows
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets.palette import ERROR, MUTED, NOTE

from ..widgets.text import markup
from .replay import EpochReplay
from .row_text import row_html

TEXT_LINES = 2  # room for a lesson's sentences in a window of ordinary width


class LessonPanel(QWidget):
    """Shows one lesson's title, sentences and measured row, and a training replay's epoch slider.

    The window applies lessons. Signals: ``sigGo(number)`` when the user asks for
    another lesson (Previous, Next); ``sigEnd()`` for no more lessons (End lessons).
    """

    sigGo = Signal(int)
    sigEnd = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = 0
        self.holds = ""  # where the lesson's claim holds, when its row does not show it
        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumHeight(TEXT_LINES * self.text.fontMetrics().lineSpacing())
        self.measured = QLabel()  # the lesson's claim measured on the models on show
        self.measured.setWordWrap(True)
        self.measured.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.measured.setToolTip(
            "The lesson's claim measured on the two models, as `vae-explorer evaluate --ae A --vae B` prints it"
        )
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.previous = QPushButton("◀ Previous")
        self.next = QPushButton("Next ▶")
        self.end = QPushButton("End lessons")
        self.end.setToolTip("Close the Lesson bar and give back the docks as they were before the lessons")
        self.previous.clicked.connect(lambda: self.sigGo.emit(self.number - 1))
        self.next.clicked.connect(lambda: self.sigGo.emit(self.number + 1))
        self.end.clicked.connect(self.sigEnd)
        self.replay = EpochReplay(session)
        self.replay.hide()
        buttons = QVBoxLayout()  # beside the text, so the bar leaves the maps their height
        buttons.setSpacing(2)
        for button in (self.previous, self.next, self.end):
            buttons.addWidget(button)
        buttons.addStretch(1)
        texts = QVBoxLayout()
        texts.setSpacing(3)
        for w in (self.title, self.text, self.replay, self.measured, self.note):
            texts.addWidget(w)
        texts.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(texts, 1)
        layout.addLayout(buttons)

    def _fit(self) -> None:
        """Grow the bar to hold all of its text at its width (the row is longer once measured)."""
        margins = self.layout().contentsMargins()
        width = self.width() - self.end.sizeHint().width() - margins.left() - margins.right() - 12
        if width <= 0:
            return
        shown = [w for w in (self.title, self.text, self.replay, self.measured, self.note) if not w.isHidden()]
        height = sum(w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height() for w in shown)
        height += 3 * (len(shown) - 1) + margins.top() + margins.bottom()
        buttons = 3 * self.end.sizeHint().height() + margins.top() + margins.bottom()
        self.setMinimumHeight(max(height, buttons))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def show_lesson(self, lesson: Lesson, note: str = "") -> None:
        """Show ``lesson``; ``note``: why it cannot be shown as meant (files it needs), or nothing."""
        self.number = lesson.number
        self.holds = lesson.holds
        self.title.setText(f"<b>Lesson {markup(lesson.heading)}</b> ({lesson.number} of {len(LESSONS)})")
        self.text.setText(" ".join(lesson.text))
        self.show_note(note)
        self.measured.setText("")
        self.previous.setEnabled(lesson.number > 1)
        self.next.setEnabled(lesson.number < len(LESSONS))
        self._fit()

    def show_note(self, note: str) -> None:
        """A caveat under the measured row (what the lesson lacks), or nothing."""
        self.note.setText(f"<span style='color:{NOTE}'>{markup(note)}</span>")
        self.note.setVisible(bool(note))
        self._fit()

    def show_progress(self, fraction: float, text: str = "") -> None:
        """The claim is being measured on the models on show: how far it has got."""
        what = f" ({markup(text)})" if text else ""
        self.measured.setText(
            f"<span style='color:{MUTED}'>Measuring the lesson's claim on these models… {fraction:.0%}{what}</span>"
        )

    def show_rows(self, rows: LessonRows) -> None:
        """The lesson's claim measured: both models' numbers, whether they show it, and what they mean."""
        self.measured.setText(row_html(rows, self.holds))
        self._fit()

    def show_failure(self, message: str) -> None:
        self.measured.setText(f"<span style='color:{ERROR}'>The claim could not be measured: {markup(message)}</span>")
        self._fit()
