"""Windows as a test opens them: a first launch, and a window whose layout has settled."""

from __future__ import annotations

import argparse

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vae_explorer.gui.shell.app import make_app, make_window


def settle_layout(window) -> None:
    """Paint once and apply the layout that follows: the maps' axes size their labels when painted,
    which moves the plot area; a test that points at data pixels must come after that."""
    window.grab()
    QApplication.processEvents()


def settled_with_maps(window) -> bool:
    return window.is_settled() and all(p.shown_points is not None for p in window.explorer.maps.values())


def launch(qtbot, ini, checkpoints_dir):
    """``vae-explorer --ae digits-ae.pt --vae digits-vae.pt`` as a first launch, with its own settings file."""
    make_app()
    args = argparse.Namespace(
        ae=str(checkpoints_dir / "digits-ae.pt"),
        vae=str(checkpoints_dir / "digits-vae.pt"),
        data="digits",
        data_dir=None,
        screenshot=None,
        view=None,
        select=None,
        device="cpu",
        theme="light",
    )
    window = make_window(args, QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.session.selection is not None and window.is_settled(), timeout=30_000)
    settle_layout(window)
    return window
