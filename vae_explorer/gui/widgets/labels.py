"""Labels whose text changes all the time (on every cursor move, every frame) at a size that does not.

A label that may change size asks the whole window to lay itself out again; a fixed
size stops that at the label, so only the label repaints.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def steady_label(longest: str, lines: int = 1, parent: QWidget | None = None) -> QLabel:
    """An empty label fixed at the size of ``longest``, ``lines`` lines high (word-wrapped when more than 1)."""
    label = QLabel(parent)
    fm = label.fontMetrics()
    label.setFixedSize(fm.horizontalAdvance(longest) + 4, lines * fm.lineSpacing())
    label.setWordWrap(lines > 1)
    return label
