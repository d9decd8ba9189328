"""Mouse gestures on pyqtgraph views, sent as real Qt events to the viewport."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

LEFT = Qt.MouseButton.LeftButton


def view_to_widget(panel, x: float, y: float) -> QPoint:
    """A point in a map's data coordinates -> a pixel of its plot widget's viewport."""
    scene = panel.vb.mapViewToScene(QPointF(x, y))
    return panel.plot.mapFromScene(scene)


def steady_pixel(panel, x: float, y: float, polls: int = 3, interval_ms: int = 50, timeout_s: float = 10.0) -> QPoint:
    """The pixel of a map point once it has stopped moving: the same over ``polls`` paints ``interval_ms`` apart.

    Late results (a title, the sliders, decoded images) can still resize the map after the
    window counts as settled, and on a busy machine they come later still.
    """
    deadline = time.monotonic() + timeout_s
    last, same = None, 0
    while time.monotonic() < deadline:
        panel.window().grab()  # paint: the axes size their labels, and the layout follows
        QTest.qWait(interval_ms)
        pos = view_to_widget(panel, x, y)
        same = same + 1 if pos == last else 0
        if same >= polls:
            return pos
        last = pos
    raise AssertionError(f"the map point ({x}, {y}) kept moving on screen for {timeout_s} s")


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


def wheel(panel, pos: QPoint, clicks: int) -> None:
    """Turn the mouse wheel over a map pixel: ``clicks`` notches away from the user zoom in, towards them out."""
    from PySide6.QtGui import QWheelEvent

    local = QPointF(pos)
    event = QWheelEvent(
        local,
        panel.plot.viewport().mapToGlobal(local),
        QPoint(0, 0),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(panel.plot.viewport(), event)


def isolated_index(panel) -> int:
    """A data point whose nearest neighbour is far away on screen, so a click hits only it."""
    pts = panel.shown_points
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    np.fill_diagonal(d, np.inf)
    return int(np.argmax(d.min(axis=1)))
