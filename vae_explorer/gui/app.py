"""Start the Qt application and the main window."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from .. import __version__


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"vae-explorer {__version__}")
        self.setCentralWidget(QLabel("vae-explorer"))
        self.resize(1200, 800)


def run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("vae-explorer")
    window = MainWindow()
    window.show()
    if args.screenshot:
        QTimer.singleShot(0, lambda: (window.grab().save(args.screenshot), app.quit()))
    return app.exec()
