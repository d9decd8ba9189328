"""The Attributes dock's building blocks: a titled box of widgets, and a row of them."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget


def box(title: str, *widgets: QWidget) -> QGroupBox:
    """``widgets`` one under another in a box titled ``title``."""
    group = QGroupBox(title)
    layout = QVBoxLayout(group)
    layout.setContentsMargins(6, 6, 6, 6)
    for w in widgets:
        layout.addWidget(w)
    return group


def row(*widgets: QWidget, stretch: QWidget | None = None) -> QWidget:
    """Widgets side by side without margins; ``stretch`` takes the room left."""
    line = QWidget()
    layout = QHBoxLayout(line)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w, 1 if w is stretch else 0)
    return line
