"""Help > Keyboard shortcuts lists the window's own actions; Help > About says what runs where."""

from __future__ import annotations

import pyqtgraph as pg
import PySide6
import torch
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from vae_explorer import __version__
from vae_explorer.core.io.user_dirs import cache_dir, config_dir, models_dir
from vae_explorer.gui.shell.help import ShortcutsSheet, keys, plain, shortcut_rows


def help_action(window, text: str) -> QAction:
    (menu,) = [a.menu() for a in window.menuBar().actions() if plain(a.text()) == "Help"]
    (action,) = [a for a in menu.actions() if plain(a.text()) == text]
    return action


def test_the_shortcuts_sheet_lists_every_shortcut_from_the_actions_themselves(make_window, qtbot):
    w = make_window(None, wait=False)
    help_action(w, "Keyboard shortcuts").trigger()
    sheet = w.findChild(ShortcutsSheet)
    qtbot.waitUntil(sheet.isVisible)
    text = sheet.text.toPlainText()
    with_keys = [a for a in w.findChildren(QAction) if a.shortcuts()]
    assert len(with_keys) >= 15
    lines = [line.strip() for line in text.splitlines()]
    pairs = set(zip(lines, lines[1:], strict=False))  # each shortcut's keys, then what it does
    for action in with_keys:
        assert (keys(action), plain(action.text())) in pairs
    rows = shortcut_rows(w)
    assert len(rows) == len(with_keys)  # each once
    assert ("View", "PCA", "Ctrl+1") in rows and ("File", "Open data…", "Ctrl+Shift+O") in rows
    assert ("Morph (when it has the focus)", "Play or pause", "Space") in rows
    assert ("Morph", "Selected sample as A", "Alt+A") in rows
    for row in (
        ("Edit", "Undo", "Ctrl+Z"),
        ("Edit", "Redo", "Ctrl+Shift+Z, Ctrl+Y"),
        ("File", "Save view…", "Ctrl+Alt+S"),
        ("File", "Open view…", "Ctrl+Alt+O"),
        ("Bookmarks", "Add current view…", "Ctrl+B"),
        ("View", "Lasso", "Ctrl+Shift+L"),
        ("View", "UMAP", "Ctrl+4"),
        ("File", "Left map (SVG, PDF, PNG)…", "Ctrl+E"),
        ("File", "Right map (SVG, PDF, PNG)…", "Ctrl+Shift+E"),
    ):
        assert row in rows

    # never a second copy: a changed shortcut shows when the sheet is opened again
    w.explorer.tiles_action.setShortcut("Ctrl+Shift+T")
    help_action(w, "Keyboard shortcuts").trigger()
    assert w.findChildren(ShortcutsSheet) == [sheet]
    assert ("View", "Decode the map", "Ctrl+Shift+T") in shortcut_rows(w)
    assert "Ctrl+Shift+T" in sheet.text.toPlainText() and "Ctrl+D" not in sheet.text.toPlainText()


def test_about_names_the_versions_the_device_the_folders_and_the_licence(make_window, qtbot):
    w = make_window(None, wait=False)
    help_action(w, "About vae-explorer").trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox)))
    (box,) = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    text = box.text()
    for expected in (__version__, torch.__version__, qVersion(), PySide6.__version__, pg.__version__, "MIT"):
        assert expected in text
    assert "<td style='white-space:pre'>cpu</td>" in text  # the device in use
    for folder in (config_dir(), cache_dir(), models_dir()):
        assert str(folder) in text
    assert not box.iconPixmap().isNull()  # the app's icon
    box.close()
