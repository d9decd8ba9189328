"""Text from files (a path, a file name, a label, a metadata value) shown in the window as text, never as markup.

Qt shows a label's or a tool tip's text as HTML when it looks like HTML, so a
file named ``<img src=...>.pt`` would otherwise turn into markup. A label that
shows such text is plain (:func:`plain`); where the window's own markup
surrounds it, the text is escaped (:func:`markup`); tool tips and menu entries
have their own forms. Control and bidirectional-override characters are shown
as escapes first (:func:`~vae_explorer.core.io.text.printable`), so a name
cannot pose as another.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from vae_explorer.core.io.text import printable


def plain(label: QLabel, text: object | None = None) -> QLabel:
    """Make ``label`` show its text as plain text (and set ``text``, made printable, when given)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    if text is not None:
        label.setText(printable(text, lines=True))
    return label


def markup(text: object) -> str:
    """``text`` ready to go inside the window's own rich text: printable, and ``<``, ``>``, ``&`` escaped."""
    return html.escape(printable(text, lines=True), quote=False)


def tooltip(text: object) -> str:
    """A tool tip that shows ``text`` as it is (a tool tip, too, would read markup in it)."""
    return "<qt>" + markup(text).replace("\n", "<br>") + "</qt>" if text else ""


def menu_text(text: object) -> str:
    """A menu entry or button text showing ``text`` as it is: ``&`` would underline the next letter."""
    return printable(text).replace("&", "&&")
