"""The window's layout during lessons: only the docks a lesson needs, sized for its pictures; the user's back after.

The layout the user had is kept when the first lesson starts and given back when
the lessons end (End lessons, closing the Lesson bar, closing the window), so a
lesson never leaves its docks behind.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from vae_explorer.core.lessons import Lesson

# Where a lesson puts each dock it opens: beside the maps, or below them (the morph's strips are wide).
AREAS = {
    "sliders": Qt.DockWidgetArea.RightDockWidgetArea,
    "samples": Qt.DockWidgetArea.RightDockWidgetArea,
    "attributes": Qt.DockWidgetArea.RightDockWidgetArea,
    "morph": Qt.DockWidgetArea.BottomDockWidgetArea,
}
LESSON_BAR = "lessons"


class Stage(Protocol):
    """What the stage uses of the explorer: its docks and its public layout methods."""

    docks: dict[str, QDockWidget]

    def width(self) -> int: ...

    def height(self) -> int: ...

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...  # noqa: N802 (Qt's name)

    def resizeDocks(self, docks: list, sizes: list[int], orientation: Qt.Orientation) -> None: ...  # noqa: N802

    def save_layout(self) -> tuple[QByteArray, QByteArray]: ...

    def restore_layout(self, layout: tuple[QByteArray, QByteArray]) -> None: ...

    def show_decoded(self, shown: bool) -> None: ...


class LessonStage:
    """Sets the explorer's docks for one lesson after another, and gives the user's layout back at the end."""

    def __init__(self, explorer: Stage) -> None:
        self.explorer = explorer
        self.saved: tuple[QByteArray, QByteArray] | None = None  # the user's layout, while lessons are on

    @property
    def active(self) -> bool:
        return self.saved is not None

    def set(self, item: Lesson) -> None:
        """Open the Lesson bar and the docks ``item`` needs where it wants them; close every other dock."""
        view = self.explorer
        if self.saved is None:
            self.saved = view.save_layout()
            view.docks[LESSON_BAR].setTitleBarWidget(QWidget())  # no title: the bar has its own, and End lessons
        for key, dock in view.docks.items():
            wanted = key == LESSON_BAR or key in item.docks
            if wanted and dock.isFloating():
                dock.setFloating(False)
            if wanted and key in AREAS:
                view.addDockWidget(AREAS[key], dock)  # out of any tab group, where the lesson wants it
            dock.setVisible(wanted)
        view.show_decoded(item.decoded)
        self.size(item)

    def size(self, item: Lesson) -> None:
        """Give the lesson's docks their share of the window (again once the window has its size).

        The Lesson bar takes the height its text needs, no more.
        """
        view = self.explorer
        bar = view.docks[LESSON_BAR]
        view.resizeDocks([bar], [bar.widget().minimumHeight()], Qt.Orientation.Vertical)
        for key in item.docks:
            if not item.share:
                continue
            if AREAS[key] == Qt.DockWidgetArea.BottomDockWidgetArea:
                view.resizeDocks([view.docks[key]], [int(item.share * view.height())], Qt.Orientation.Vertical)
            else:
                view.resizeDocks([view.docks[key]], [int(item.share * view.width())], Qt.Orientation.Horizontal)

    def end(self) -> bool:
        """Give back the layout the user had before the lessons; False when no lesson was on."""
        if self.saved is None:
            return False
        layout, self.saved = self.saved, None
        self.explorer.restore_layout(layout)
        bar = self.explorer.docks[LESSON_BAR]
        bar.setTitleBarWidget(None)
        bar.hide()
        return True
