"""The Qt application behind the viewers, and its event loop: IPython's where there is one, else :func:`run_windows`."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication

from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


def application(theme: str = "auto") -> QApplication:
    """The application the windows live in, made once per process, with IPython's Qt event loop on where it runs.

    Made as the command line makes it, one torch thread per worker included: the window's
    encoders and decoders run beside the caller's training loop, and teams of threads that
    wait for a core each would leave every one of them crawling on a busy machine
    (``torch.set_num_threads`` after ``view`` gives the training more).
    """
    app = make_app(theme)
    start_ipython_loop()
    return app


def ipython_shell():
    """The IPython shell this code runs in (a Jupyter kernel, a terminal), or None in a plain script."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if callable(get) else None


def start_ipython_loop() -> bool:
    """Let IPython run Qt's events between cells, as ``%gui qt`` does; whether it does (False: no IPython here)."""
    shell = ipython_shell()
    if shell is None:
        return False
    if getattr(shell, "active_eventloop", None) is None:
        try:
            shell.enable_gui("qt")
        except Exception as exc:  # noqa: BLE001 - a shell without Qt support: run() still shows the windows
            log.warning("IPython cannot run Qt's event loop (%s): call vae_explorer.run() to use the windows", exc)
            return False
    return True


def open_windows() -> list[MainWindow]:
    app = QApplication.instance()
    return [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()] if app else []


def run_windows() -> None:
    """Process the windows' events until they are all closed; at once when IPython runs the loop already."""
    shell = ipython_shell()
    if shell is not None and getattr(shell, "active_eventloop", None) is not None:
        return
    if open_windows():
        QApplication.instance().exec()
