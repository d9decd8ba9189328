"""Keeping the end of a scroll area in view while its content grows (until the user scrolls)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QScrollArea


class ScrollToEnd(QObject):
    """After :meth:`start`, ``scroll`` shows the end of its content, again each time the content grows.

    It lets go as soon as the user scrolls, so it never fights a hand on the scroll bar.
    """

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__(scroll)
        self.bar, self.on = scroll.verticalScrollBar(), False
        self.bar.rangeChanged.connect(lambda low, high: self.on and self.bar.setValue(high))
        self.bar.actionTriggered.connect(self.stop)  # the user dragged, clicked or wheeled

    def start(self) -> None:
        self.on = True
        self.bar.setValue(self.bar.maximum())

    def stop(self, *args: object) -> None:
        self.on = False
