"""The Lesson dock: what a lesson shows and what to look at, with Previous and Next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vae_explorer.core.lessons import LESSONS, Lesson
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets.palette import NOTE

from ..widgets.text import markup
from .replay import EpochReplay

TEXT_LINES = 3  # room for a lesson's sentences in a window of ordinary width


class LessonPanel(QWidget):
    """Shows one lesson's title and sentences, and a training replay's epoch slider; the window applies lessons.

    Signals: ``sigGo(number)`` when the user asks for another lesson (Previous, Next).
    """

    sigGo = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = 0
        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumHeight(TEXT_LINES * self.text.fontMetrics().lineSpacing())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.previous = QPushButton("◀ Previous")
        self.next = QPushButton("Next ▶")
        self.previous.clicked.connect(lambda: self.sigGo.emit(self.number - 1))
        self.next.clicked.connect(lambda: self.sigGo.emit(self.number + 1))
        self.replay = EpochReplay(session)
        self.replay.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        buttons.addWidget(self.previous)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.text)
        layout.addWidget(self.note)
        layout.addWidget(self.replay)

    def show_lesson(self, lesson: Lesson, note: str = "") -> None:
        """Show ``lesson``; ``note``: why it cannot be shown as meant (files it needs), or nothing."""
        self.number = lesson.number
        self.title.setText(f"<b>Lesson {lesson.heading}</b> ({lesson.number} of {len(LESSONS)})")
        self.text.setText(" ".join(lesson.text))
        self.note.setText(f"<span style='color:{NOTE}'>{markup(note)}</span>")
        self.note.setVisible(bool(note))
        self.previous.setEnabled(lesson.number > 1)
        self.next.setEnabled(lesson.number < len(LESSONS))
