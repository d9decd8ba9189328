"""Start the Qt application and the explorer window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

import pyqtgraph as pg
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from vae_explorer.core.heap import return_freed_memory
from vae_explorer.core.lazy import on_import as on_torch_import
from vae_explorer.core.model.device import check_device_name
from vae_explorer.core.model.shipped import choose_startup

from ...core.session import Session
from ..widgets import theme
from . import desktop
from .main_window import MainWindow

SCREENSHOT_TIMEOUT_S = 600


def make_app(scheme: str = "auto") -> QApplication:
    """The application, named, with its icon, styled for a light or dark ``scheme`` (``auto``: the system's)."""
    # One intra-op thread per worker: a live decode of one image is fastest on one thread
    # (waking a team of sleeping threads costs more than the work), and the explorer gets its
    # parallelism from running tasks side by side (both models encode at once).
    on_torch_import(lambda torch: torch.set_num_threads(1))  # torch is imported later, on the worker that needs it
    return_freed_memory()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    desktop.dress(app)
    theme.install(app, scheme)
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    return app


def make_window(args: argparse.Namespace, settings: QSettings | None = None) -> MainWindow:
    """The window, with the startup pair loading in the background (errors shown in the window).

    Once both models have encoded the data, a sample is selected (``--select``, else the
    first), so the window opens with both cursors drawn and decoded. ``--lesson N``
    opens lesson N instead, with its own models, data, view and sample; ``--state FILE`` a saved view.
    """
    session = Session(check_device_name(getattr(args, "device", None)))  # whether it exists: said when models load
    trust = bool(getattr(args, "trust", False))
    # A screenshot waits for no one: a model file not trusted yet is refused, not asked about.
    window = MainWindow(session, settings, persist=not args.screenshot, trust_all=trust, ask_trust=not args.screenshot)
    if args.view:
        session.set_view(args.view)
    state = getattr(args, "state", None)
    if state:
        window.views.open_file(state, bool(getattr(args, "allow_outside", False)))  # its own models, data, sample
        return window
    lesson = getattr(args, "lesson", None)
    if lesson:
        window.start_lesson(lesson)  # the lesson opens its own models and picks its own sample
        return window
    index = args.select if args.select is not None else 0

    def select_when_ready(slot: str) -> None:
        if all(s.codes is not None for s in session.slots.values()):
            session.codes_changed.disconnect(guarded)  # once
            # after this turn of the event loop, when the maps are painted (decoding the cursors may load the
            # models), unless the user has chosen a sample by then; an index or name that is no sample is reported
            QTimer.singleShot(0, window.boundary.guard(lambda: session.selection is None and session.select(index)))

    guarded = window.boundary.guard(select_when_ready)
    session.codes_changed.connect(guarded)
    table = getattr(args, "attributes", None)
    if table:

        def read_table() -> None:  # once, for the data the window opens with
            session.data_changed.disconnect(read_guarded)
            window.explorer.attributes.define_form.load_table(table)

        read_guarded = window.boundary.guard(read_table)
        session.data_changed.connect(read_guarded)
    try:
        choice = choose_startup(args.ae, args.vae, args.data, args.data_dir)
    except Exception as exc:  # noqa: BLE001 - any startup problem is shown in the window
        window.boundary.handle(exc)
    else:
        options = (getattr(args, name, None) for name in ("split", "test_fraction", "image_size"))
        split, fraction, size = options
        window.open_startup(choice, args.data_dir, split or "test", fraction, size)
    return window


def capture_when_settled(app: QApplication, window: MainWindow, path: str) -> None:
    """Save a PNG of the window once everything is loaded and drawn, then quit.

    When something failed instead (the message bar shows an error), nothing is saved:
    the error goes to stderr and the exit status is 1.
    """
    start = time.monotonic()
    state = {"settled_polls": 0}

    def poll() -> None:
        if window.is_settled() or window.messages.text():
            state["settled_polls"] += 1  # settled twice in a row: the last paint has happened
        else:
            state["settled_polls"] = 0
        if state["settled_polls"] >= 2:
            if not window.messages.text():
                window.save_screenshot(path)  # a file that cannot be written is reported like any error
            error = window.messages.text()
            if error:
                sys.stderr.write(f"vae-explorer: error: {error}\n")
            app.exit(1 if error else 0)
        elif time.monotonic() - start > SCREENSHOT_TIMEOUT_S:
            sys.stderr.write(f"vae-explorer: error: gave up on the screenshot after {SCREENSHOT_TIMEOUT_S} s\n")
            app.exit(1)
        else:
            QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)


def run_gui(args: argparse.Namespace) -> int:
    level = os.environ.get("VAE_EXPLORER_LOG", "warning").upper()
    logging.basicConfig(level=getattr(logging, level, logging.WARNING), format="%(relativeCreated)8.0f ms %(message)s")
    app = make_app(args.theme)
    window = make_window(args)
    sys.excepthook = window.boundary.excepthook  # an exception in any Qt slot: shown, logged, survived
    window.show()
    if args.screenshot:
        capture_when_settled(app, window, args.screenshot)
    code = app.exec()
    window.close()
    return code
