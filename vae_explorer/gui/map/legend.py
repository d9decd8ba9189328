"""One legend for both maps: what the colours mean (classes, or an attribute with its colour bar), and the marks.

A class's entry is a link: a click hides the class in both maps (or shows it
again), a click with Ctrl or Shift shows it alone (again: every class).
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from vae_explorer.core.latent.marks import Colouring
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.palette import CLASS_COLORS, HIGHLIGHT, HOVER, MUTED, SCALE_COLORS

from .marks import fades

BAR_SIZE = (140, 10)
DOT = "<span style='color:{color}; font-size:14px'>●</span>&nbsp;"


def scale_bar(width: int, height: int) -> QPixmap:
    """The colour scale of numeric attributes, low on the left, as a ``width x height`` picture."""
    steps = palette.rgba_table(SCALE_COLORS, 255)[:, :3]
    row = steps[np.round(np.linspace(0, len(steps) - 1, width)).astype(int)]
    rgb = np.ascontiguousarray(np.repeat(row[None], height, axis=0))
    return QPixmap.fromImage(QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy())


class Legend(QWidget):
    """A line of coloured dots with class names (links that hide or isolate a class), or an attribute's colours."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entries = QLabel()
        self.entries.setWordWrap(True)
        self.entries.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.entries.linkActivated.connect(self._on_link)
        self.entries.installEventFilter(self)
        self._modifiers = Qt.KeyboardModifier.NoModifier  # of the click that activates a link
        self.entries.setToolTip("Click a class to hide it in both maps (again: show it); Ctrl+click to show it alone")
        self.bar = QLabel()
        self.bar.setPixmap(scale_bar(*BAR_SIZE))
        self.low, self.high = QLabel(), QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for w in (self.low, self.bar, self.high):
            layout.addWidget(w)
        layout.addWidget(self.entries, 1)
        session.data_changed.connect(self.refresh)
        session.marks.changed.connect(lambda what: self.refresh())
        theme.follow(self, lambda t: self.refresh())

    def text(self) -> str:
        return self.entries.text()

    def _class_entries(self, colouring: Colouring) -> list[str]:
        data, hidden = self.session.dataset, self.session.marks.hidden
        if data is None or data.labels is None:
            return []
        parts = []
        for k, name in enumerate(data.label_names):
            color = MUTED if k in hidden else CLASS_COLORS[k % len(CLASS_COLORS)]
            shown = f"<s>{html.escape(name)}</s>" if k in hidden else html.escape(name)
            link = f"<a href='class:{k}' style='color:{palette.current().title}; text-decoration:none'>{shown}</a>"
            parts.append(DOT.format(color=color) + link)
        if hidden:
            parts.append(f"<a href='all' style='color:{palette.current().title}'>show all</a>")
        return parts

    def refresh(self) -> None:
        colouring = self.session.marks.colouring()
        numeric = colouring.kind == "numeric"
        for w in (self.low, self.bar, self.high):
            w.setVisible(numeric)
        if numeric:
            self.low.setText(f"{html.escape(colouring.name)}: {colouring.low:g}")
            self.high.setText(f"{colouring.high:g}")
            parts = []
        elif colouring.kind == "binary":
            name = html.escape(colouring.name)
            parts = [DOT.format(color=SCALE_COLORS[0]) + f"not {name}", DOT.format(color=SCALE_COLORS[-1]) + name]
        else:
            parts = self._class_entries(colouring)
        hidden = self.session.marks.hidden
        if hidden and colouring.kind != "class":
            link = f"<a href='all' style='color:{palette.current().title}'>show all</a>"
            parts.append(f"{len(hidden)} classes hidden: {link}")
        parts.append(f"<span style='color:{palette.current().ink}'>◯</span>&nbsp;selected")
        parts.append(f"<span style='color:{HOVER}'>◯</span>&nbsp;hovered")
        found = len(self.session.marks.highlight)
        if found and fades(self.session.marks):  # too many to ring: the others are faded
            parts.append(f"{found:,} found")
        elif found:
            parts.append(f"<span style='color:{HIGHLIGHT}'>◯</span>&nbsp;found")
        parts.append("✛&nbsp;cursor (drag it)")
        self.entries.setText("&nbsp;&nbsp; ".join(parts))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self._modifiers = event.modifiers()  # type: ignore[attr-defined]
        return False

    def _on_link(self, href: str) -> None:
        marks = self.session.marks
        if href == "all":
            marks.show_all()
            return
        k = int(href.split(":", 1)[1])
        if self._modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            marks.isolate_class(k)
        else:
            marks.toggle_class(k)
