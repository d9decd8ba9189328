"""The main window: menus, tabs, the message bar and the status bar around the explorer.

It is the one place the user is told things: the session's notices (status notes
and errors from every panel), the task runner's failures, and whatever a slot
raised that nothing caught (:class:`ErrorBoundary`) all end here. Its open
commands and their dialogs are in :mod:`.open_commands`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from vae_explorer.core.io.safe_write import write_bytes
from vae_explorer.core.session.work import SessionWork

from ..._version import __version__
from ...core.errors import VaeExplorerError
from ...core.events import Notice
from ...core.session import SLOTS, Session
from ..tasks import TaskRunner
from ..training import TrainTab
from ..undo import recorder_for
from ..views.commands import ViewCommands
from ..views.opener import ViewOpener
from .explorer_view import ExplorerView
from .help import show_about, show_shortcuts
from .lesson_runner import LessonRunner
from .model_info import ModelInfoDialog
from .open_commands import OpenCommands
from .settings import WindowSettings
from .status import ErrorBoundary, MessageBar, StatusLine, TaskStatus

log = logging.getLogger(__name__)
LAYOUT_VERSION = 4  # raise when the docks change, so an older saved layout is ignored


def write_picture(widget: QWidget, path: str | Path) -> None:
    """A picture of ``widget`` as the file ``path`` (its suffix picks the format), written like every other file."""
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not widget.grab().save(buf, (Path(path).suffix.lstrip(".") or "png").upper()):  # encoded in memory
        raise VaeExplorerError(f"cannot write screenshot {path}")
    write_bytes(path, bytes(buf.data()))


class MainWindow(QMainWindow):
    """The explorer window: the Explore and Train tabs over one session."""

    def __init__(
        self,
        session: Session,
        settings: QSettings | None = None,
        persist: bool = True,
        trust_all: bool = False,
        ask_trust: bool = True,
    ) -> None:
        """``trust_all``: run any model file (``--trust``); ``ask_trust``: False refuses untrusted ones unasked."""
        super().__init__()
        self.setWindowTitle(f"vae-explorer {__version__}")
        self.session = session
        self.settings = WindowSettings(settings or QSettings("vae-explorer", "vae-explorer"))
        self.persist = persist  # False: neither restore nor save the layout (screenshots)
        self.boundary = ErrorBoundary(session.report)
        self.runner = TaskRunner(self)
        self.work = SessionWork(session, self.runner)  # what to compute on each change, run on the runner
        self.open_commands = OpenCommands(self, session, self.runner, self.settings, trust_all, ask_trust)
        self.opener = self.open_commands.opener
        self.model_info: ModelInfoDialog | None = None
        self._build_central()
        self._connect_signals()
        self.lessons = LessonRunner(self)
        self.explorer.lesson.sigGo.connect(self.boundary.guard(self.start_lesson))
        self.views = ViewOpener(self)
        self.view_commands = ViewCommands(self, self.views)
        self.undo = recorder_for(self)
        self._build_menus()
        session.set_linked(self.settings.link_cursors())
        session.linked_changed.connect(self.settings.set_link_cursors)
        self.resize(1400, 900)
        self._restore_layout()
        if self.settings.dropped:
            session.say(f"saved settings that could not be read were reset: {', '.join(self.settings.dropped)}")

    def _build_central(self) -> None:
        """The message bar over the Explore and Train tabs; the status line and the task status below."""
        self.messages = MessageBar()
        self.explorer = ExplorerView(self.session, self.runner, self.work)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.explorer, "Explore")
        self.train_tab = TrainTab(self.session, self)
        self.tabs.addTab(self.train_tab, "Train")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.messages)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.status_text = StatusLine()
        self.statusBar().addWidget(self.status_text, 1)
        self.task_status = TaskStatus(self.runner)
        self.statusBar().addPermanentWidget(self.task_status)

    def _connect_signals(self) -> None:
        """What the window does when the session, the runner, the opener or the Train tab speaks."""
        session = self.session
        self._maps_pending = set(SLOTS)
        for slot, panel in self.explorer.maps.items():
            panel.sigScatterDrawn.connect(lambda n, s=slot: self._on_scatter_drawn(s))
        session.notice.connect(self._on_notice)
        session.model_changed.connect(lambda slot: self._update_title())
        self.runner.sigFailed.connect(session.report)
        self.opener.sigOpened.connect(self._on_opened)
        self.opener.sigModelOpened.connect(lambda slot, path: self.tabs.setCurrentWidget(self.explorer))
        open_result = self.boundary.guard(lambda slot, path: self.open_model(slot, path, own_data=True))
        self.train_tab.sigOpenRequested.connect(open_result)  # a run on other data: with its own data, if wished

    # -- menus ---------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut: str | QKeySequence | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(self.boundary.guard(lambda checked=False: slot()))
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self.open_commands.add_to(file, self._action)
        file.addSeparator()
        self._action(file, "Open &view…", self.view_commands.open_dialog, "Ctrl+Alt+O", "a saved view: models to zoom")
        self._action(file, "Sa&ve view…", self.view_commands.save_dialog, "Ctrl+Alt+S", "the window's state to a file")
        file.addSeparator()
        self._action(file, "Save &screenshot…", self.save_screenshot_dialog, "Ctrl+Shift+S")
        self.explorer.add_export_actions(file.addMenu("&Export"), self._action)
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = self.menuBar().addMenu("&Edit")
        self.undo_action, self.redo_action = self.undo.actions(self)
        edit.addActions([self.undo_action, self.redo_action])
        self.view_menu = self.menuBar().addMenu("&View")
        for action in self.explorer.view_actions.values():
            self.view_menu.addAction(action)
        self.view_menu.addAction(self.explorer.view_all_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.explorer.tiles_action)
        self.view_menu.addAction(self.explorer.link_action)
        self.view_menu.addAction(self.explorer.hide_points_action)
        self.view_menu.addAction(self.explorer.lasso_action)
        self.view_menu.addSeparator()
        for dock in self.explorer.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self._action(
            self.view_menu, "Model &info…", self.show_model_info, "Ctrl+I", "the models, and their MIG on the faces"
        )
        cancel = self._action(self.view_menu, "&Cancel running work", self.task_status.cancel_current, "Esc")
        cancel.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.bookmarks_menu = self.menuBar().addMenu("&Bookmarks")
        self.view_commands.fill_menu(self.bookmarks_menu, self._action)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(
            help_menu, "&Keyboard shortcuts", lambda: show_shortcuts(self), QKeySequence.StandardKey.HelpContents
        )
        self.lessons_menu = help_menu.addMenu("&Lessons")
        self.lessons.fill_menu(self.lessons_menu, lambda text, slot: self._action(self.lessons_menu, text, slot))
        help_menu.addSeparator()
        self._action(help_menu, "&About vae-explorer", lambda: show_about(self, self.session.device))

    # -- opening (the window's open commands, for the command line, the lessons and scripts) -------------
    def open_pair(self, *args, **kwargs) -> None:
        """Load both models and a data set in the background (:meth:`Opener.open_pair`); errors keep what was open."""
        self.opener.open_pair(*args, **kwargs)

    def open_model(self, slot: str, path: str, own_data: bool = False) -> None:
        """Load one checkpoint or model file into ``slot`` in the background."""
        self.opener.open_model(slot, path, own_data)

    def open_data(self, *args, **kwargs) -> None:
        """Open a data set with the models on show, in the background (see :meth:`Opener.open_data`)."""
        self.opener.open_data(*args, **kwargs)

    def open_startup(self, *args, **kwargs) -> None:
        """Open the command line's start-up pair (see :meth:`OpenCommands.open_startup`)."""
        self.open_commands.open_startup(*args, **kwargs)

    def start_lesson(self, number: int) -> bool:
        """Show lesson ``number``: its models, data, view, selection, overlays and sentences."""
        self.tabs.setCurrentWidget(self.explorer)
        return self.lessons.start(number)

    # -- telling the user ----------------------------------------------------------------------
    def _on_notice(self, notice: Notice) -> None:
        """The one place a status note or an error reaches the user."""
        if notice.error:
            log.warning("%s", notice.text)
            self.messages.show_message(notice.text, notice.details)
        else:
            self.status_text.note(notice.text)

    def _update_title(self) -> None:
        """The models on show, then the app: ``fashion-ae.pt and PyTorch examples VAE — vae-explorer 0.1.0``."""
        names = " and ".join(s.model.name for s in self.session.slots.values() if s.model is not None)
        self.setWindowTitle(f"{names} — vae-explorer {__version__}" if names else f"vae-explorer {__version__}")

    def _on_opened(self, text: str) -> None:
        self.messages.hide()  # an earlier error is about something no longer on show
        self.status_text.set_base(text)

    # -- dialogs ----------------------------------------------------------------------------------
    def show_model_info(self) -> ModelInfoDialog:
        """The Model info dialog (one per window, kept up to date while open)."""
        if self.model_info is None:
            self.model_info = ModelInfoDialog(self.session, self)
        self.model_info.show()
        self.model_info.raise_()
        return self.model_info

    # -- layout ---------------------------------------------------------------------
    def _restore_layout(self) -> None:
        """The saved window geometry and dock layout, else the first-launch layout."""
        geometry, state = self.settings.layout() if self.persist else (None, None)
        if geometry is not None and not self.restoreGeometry(geometry):
            self.settings.drop("geometry")
        if state is None or not self.explorer.restoreState(state, LAYOUT_VERSION):
            self.explorer.arrange_docks()

    def _save_layout(self) -> None:
        if self.persist:
            self.settings.save_layout(self.saveGeometry(), self.explorer.saveState(LAYOUT_VERSION))

    # -- screenshots and state ------------------------------------------------------------------------
    def _on_scatter_drawn(self, slot: str) -> None:
        if self._maps_pending:
            self._maps_pending.discard(slot)
            if not self._maps_pending:
                self.repaint()  # paint now, so "shown" means on screen
                log.info("maps shown")

    def is_settled(self) -> bool:
        """Everything asked for is loaded, computed and decoded: the window is ready to be captured."""
        opening = self.lessons.pending is not None or self.views.pending is not None
        if self.runner.busy() or not self.work.idle() or opening:
            return False
        if any(panel.tiles.waiting() for panel in self.explorer.maps.values()):
            return False
        slots = [s for s in self.session.slots.values() if s.loaded]  # one side may be left empty on purpose
        if not slots:
            return False
        for s in slots:
            if s.codes is None or self.session.projection(s.name) is None:
                return False
            if s.cursor_z is not None and (s.decoded is None or (s.decoded.z != s.cursor_z).any()):
                return False
        return True

    def save_screenshot(self, path: str) -> bool:
        """Save a picture of the window; a file that cannot be written is reported in the window (False)."""
        try:
            write_picture(self, path)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        return True

    def save_screenshot_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "vae-explorer.png", "PNG images (*.png)")
        if path:
            self.save_screenshot(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.train_tab.confirm_close():  # training: ask, then stop the run cleanly
            event.ignore()
            return
        self.lessons.end()  # the layout saved is the user's, not a lesson's
        self._save_layout()
        self.work.shutdown()
        super().closeEvent(event)
