"""The Help menu's sheets: every keyboard shortcut of the window, read from its actions, and About.

The shortcuts sheet is built from the window's own actions each time it opens, so
it can never disagree with what the keys do.
"""

from __future__ import annotations

import platform
import sys

import numpy as np
import pyqtgraph as pg
import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from vae_explorer._version import __version__
from vae_explorer.core.io.user_dirs import cache_dir, config_dir, models_dir
from vae_explorer.core.lazy import torch

from ..widgets.text import markup

LICENCE = "MIT"


def plain(text: str) -> str:
    """A menu text without its ``&`` mnemonic marks: ``&Open pair…`` -> ``Open pair…``."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys(action: QAction) -> str:
    """An action's shortcuts as the user's platform writes them."""
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def _panel_of(action: QAction) -> str:
    """Where a panel's own shortcut works: the title of the dock it lives in, else the window."""
    widget = action.parent()
    while isinstance(widget, QWidget):
        if isinstance(widget, QDockWidget):
            title = widget.windowTitle()
            if action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut:
                return f"{title} (when it has the focus)"
            return title
        widget = widget.parentWidget()
    return "Window"


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """``(where, what, keys)`` for every action of ``window`` that has a shortcut.

    The menus' actions come first, in menu order under the menu's name; then the
    actions panels hold for themselves, under their dock's title.
    """
    rows: list[tuple[str, str, str]] = []
    seen: set[QAction] = set()

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), where)
            elif not action.isSeparator() and action.shortcuts():
                rows.append((where, plain(action.text()), keys(action)))
                seen.add(action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), plain(top.text()))
    for action in window.findChildren(QAction):
        if action not in seen and action.shortcuts():
            rows.append((_panel_of(action), plain(action.text()) or action.toolTip(), keys(action)))
            seen.add(action)
    return rows


def shortcuts_html(rows: list[tuple[str, str, str]]) -> str:
    """The rows as one table, a heading row where the section changes."""
    lines = ["<table cellspacing='0' cellpadding='3'>"]
    where = None
    for section, what, shortcut in rows:
        if section != where:
            where = section
            lines.append(f"<tr><td colspan='2'><br><b>{markup(section)}</b></td></tr>")
        lines.append(f"<tr><td><tt>{markup(shortcut)}</tt>&nbsp;&nbsp;</td><td>{markup(what)}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


class ShortcutsSheet(QDialog):
    """A window listing every keyboard shortcut; it stays open beside the explorer."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.text = QTextBrowser()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(460, 560)
        self.refresh(window)

    def refresh(self, window: QMainWindow) -> None:
        self.text.setHtml(shortcuts_html(shortcut_rows(window)))


def show_shortcuts(window: QMainWindow) -> ShortcutsSheet:
    """Open the shortcuts sheet (or bring the open one forward), read afresh from the window's actions."""
    sheet = window.findChild(ShortcutsSheet)
    if sheet is None:
        sheet = ShortcutsSheet(window)
    else:
        sheet.refresh(window)
    sheet.show()
    sheet.raise_()
    return sheet


def device_text(device: torch.device) -> str:
    """The device the models run on, with the GPU's name where there is one."""
    if device.type == "cuda" and torch.cuda.is_available():
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"{device} ({torch.cuda.get_device_name(index)})"
    return str(device)


def about_rows(device: torch.device) -> list[tuple[str, str]]:
    """What About says, as ``(label, value)`` rows."""
    cuda = f", CUDA {torch.version.cuda}" if torch.version.cuda else ""
    return [
        ("Device", device_text(device)),
        ("PyTorch", f"{torch.__version__}{cuda}"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pyqtgraph", pg.__version__),
        ("NumPy", np.__version__),
        ("Python", f"{platform.python_version()} on {sys.platform}"),
        ("Settings and run log", str(config_dir())),
        ("Cache", str(cache_dir())),
        ("Trained models", str(models_dir())),
        ("Licence", LICENCE),
    ]


def about_html(device: torch.device) -> str:
    cell = "<td style='white-space:pre'>{}</td>"  # one line each: a path is read whole
    rows = "".join(
        f"<tr>{cell.format(markup(label) + '  ')}{cell.format(markup(value))}</tr>"
        for label, value in about_rows(device)
    )
    return (
        f"<h3>vae-explorer {markup(__version__)}</h3>"
        "<p>An AE and a VAE, trained on the same images, side by side: the AE leaves gaps between its "
        "codes, the VAE's KL term fills them.</p>"
        f"<table cellspacing='0' cellpadding='2'>{rows}</table>"
    )


def show_about(window: QMainWindow, device: torch.device) -> QMessageBox:
    """Open About over ``window``: the version, what it runs on, where the user's files are, the licence."""
    box = QMessageBox(window)
    box.setWindowTitle("About vae-explorer")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(device))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
