"""Mouse gestures on pyqtgraph views, sent as real Qt events to the viewport."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

LEFT = Qt.MouseButton.LeftButton


def view_to_widget(panel, x: float, y: float) -> QPoint:
    """A point in a map's data coordinates -> a pixel of its plot widget's viewport."""
    scene = panel.vb.mapViewToScene(QPointF(x, y))
    return panel.plot.mapFromScene(scene)


def _send(widget, kind, pos: QPoint, button, buttons) -> None:
    local = QPointF(pos)
    event = QMouseEvent(kind, local, widget.mapToGlobal(local), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def press(panel, pos: QPoint) -> None:
    _send(panel.plot.viewport(), QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)


def move(panel, pos: QPoint, held: bool = True) -> None:
    _send(
        panel.plot.viewport(),
        QEvent.Type.MouseMove,
        pos,
        Qt.MouseButton.NoButton,
        LEFT if held else Qt.MouseButton.NoButton,
    )


def release(panel, pos: QPoint) -> None:
    _send(panel.plot.viewport(), QEvent.Type.MouseButtonRelease, pos, LEFT, Qt.MouseButton.NoButton)


def click(panel, pos: QPoint) -> None:
    press(panel, pos)
    release(panel, pos)


def drag(panel, start: QPoint, end: QPoint, steps: int = 8) -> None:
    press(panel, start)
    for i in range(1, steps + 1):
        t = i / steps
        move(panel, QPoint(round(start.x() + (end.x() - start.x()) * t), round(start.y() + (end.y() - start.y()) * t)))
    release(panel, end)


def right_click(panel, pos: QPoint) -> None:
    right = Qt.MouseButton.RightButton
    _send(panel.plot.viewport(), QEvent.Type.MouseButtonPress, pos, right, right)
    _send(panel.plot.viewport(), QEvent.Type.MouseButtonRelease, pos, right, Qt.MouseButton.NoButton)
