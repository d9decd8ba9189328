"""How the app presents itself to the desktop: its icon, its names, and the icon's PNG sizes.

``python -m vae_explorer.gui.shell.desktop`` draws ``resources/icons/*.png`` again from the
SVG, after the SVG has changed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from vae_explorer._version import __version__
from vae_explorer.core.io.resources import APP_ID, ICON_SIZES, icon_png, icon_svg
from vae_explorer.core.io.safe_write import write_bytes

APP_NAME = "vae-explorer"


def app_icon() -> QIcon:
    """The app icon: the PNG of each size (sharp at 16 px), and the SVG for every other size."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)))
    icon.addFile(str(icon_svg()))
    return icon


def dress(app: QGuiApplication) -> None:
    """Give the application its names and icon, which every window and dialog then shows.

    The display name ends every window title (``Open pair — vae-explorer 0.1.0``), and
    Qt adds it to a title that does not already end with it, as the main window's does;
    the desktop file name ties the windows to the installed desktop entry (the task
    bar's icon and grouping).
    """
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(f"{APP_NAME} {__version__}")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


def render_png(size: int) -> bytes:
    """The SVG icon drawn at ``size`` x ``size`` pixels, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(icon_svg())).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def render_icons() -> None:
    """Write every PNG size of the icon from the SVG."""
    for size in ICON_SIZES:
        write_bytes(icon_png(size), render_png(size))
        print(icon_png(size))


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    render_icons()
