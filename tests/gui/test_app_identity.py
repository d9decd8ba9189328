"""The window, its dialogs and the task bar show the app's icon and name."""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from vae_explorer import __version__
from vae_explorer.core.io.resources import ICON_SIZES, icon_png
from vae_explorer.gui.shell.desktop import app_icon
from vae_explorer.gui.shell.dialogs import OpenPairDialog

ARGB = QImage.Format.Format_ARGB32


def test_the_window_and_its_dialogs_carry_the_icon_and_the_name(make_window, qtbot):
    w = make_window(None, wait=False)
    app = QApplication.instance()
    assert app.applicationDisplayName() == f"vae-explorer {__version__}" and app.desktopFileName() == "vae-explorer"
    assert w.windowTitle().endswith(app.applicationDisplayName())  # so the title bar does not say it twice
    dialog = OpenPairDialog("", "", "", parent=w)
    qtbot.addWidget(dialog)
    for widget in (w, dialog):
        assert not widget.windowIcon().isNull() and widget.windowIcon().cacheKey() == app.windowIcon().cacheKey()
    assert sorted(s.width() for s in app_icon().availableSizes()) == sorted(ICON_SIZES)
    # at 16 px the task bar shows the PNG drawn for that size, not the SVG scaled down
    shown = app.windowIcon().pixmap(16, 16).toImage().convertToFormat(ARGB)
    assert shown == QImage(str(icon_png(16))).convertToFormat(ARGB)
