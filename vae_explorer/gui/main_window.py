"""The main window: menus, tabs, the message bar and the status bar around the explorer."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from vae_explorer.core.io.safe_write import write_bytes
from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.model.shipped import StartupChoice
from vae_explorer.gui.explore.services import ExplorerServices

from .. import __version__
from ..core.data import load_dataset
from ..core.errors import VaeExplorerError
from ..core.session import SLOTS, Session
from .dialogs import CHECKPOINT_FILTER, OpenDataDialog, OpenPairDialog
from .explorer_view import ExplorerView
from .help import show_about, show_shortcuts
from .status import MessageBar, TaskStatus
from .tasks import TaskRunner, TaskState
from .training import TrainTab

log = logging.getLogger(__name__)
MAX_RECENT = 8
LAYOUT_VERSION = 2  # raise when the docks change, so an older saved layout is ignored


class MainWindow(QMainWindow):
    """The explorer window: the Explore and Train tabs over one session."""

    def __init__(self, session: Session, settings: QSettings | None = None, persist: bool = True) -> None:
        super().__init__()
        self.setWindowTitle(f"vae-explorer {__version__}")
        self.session = session
        self.settings = settings or QSettings("vae-explorer", "vae-explorer")
        self.persist = persist  # False: neither restore nor save the layout (screenshots)
        self.runner = TaskRunner(self)
        self.services = ExplorerServices(session, self.runner, self)
        self.messages = MessageBar()
        self.explorer = ExplorerView(session, self.runner, self.services)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.explorer, "Explore")
        self.train_tab = TrainTab(session, self)
        self.tabs.addTab(self.train_tab, "Train")
        self.train_tab.sigOpened.connect(lambda slot, path: self.tabs.setCurrentWidget(self.explorer))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.messages)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.status_text = QLabel()
        self.statusBar().addWidget(self.status_text, 1)
        self._status_timer = QTimer(self, singleShot=True, timeout=self.status_text.clear)
        self.task_status = TaskStatus(self.runner)
        self.statusBar().addPermanentWidget(self.task_status)
        self._maps_pending = set(SLOTS)
        for slot, panel in self.explorer.maps.items():
            panel.sigScatterDrawn.connect(lambda n, s=slot: self._on_scatter_drawn(s))
        session.message.connect(lambda text: self.say(text))
        session.error.connect(self.show_error)
        self.runner.sigFailed.connect(self.show_error)
        self._build_menus()
        self.resize(1400, 900)
        self._restore_layout()

    # -- menus ---------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut: str | QKeySequence | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self._action(file, "Open &pair…", self.open_pair_dialog, QKeySequence.StandardKey.Open)
        self._action(file, "Open model on the &left…", lambda: self.open_model_dialog(SLOTS[0]), "Ctrl+L")
        self._action(file, "Open model on the &right…", lambda: self.open_model_dialog(SLOTS[1]), "Ctrl+R")
        self._action(file, "Open &data…", self.open_data_dialog, "Ctrl+Shift+O")
        self.recent_menu = file.addMenu("Open &recent")
        file.addSeparator()
        self._action(file, "Save &screenshot…", self.save_screenshot_dialog, "Ctrl+Shift+S")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.view_menu = self.menuBar().addMenu("&View")
        for action in self.explorer.view_actions.values():
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.explorer.tiles_action)
        self.view_menu.addSeparator()
        for dock in self.explorer.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        cancel = self._action(self.view_menu, "&Cancel running work", self.task_status.cancel_current, "Esc")
        cancel.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(
            help_menu, "&Keyboard shortcuts", lambda: show_shortcuts(self), QKeySequence.StandardKey.HelpContents
        )
        self._action(help_menu, "&About vae-explorer", lambda: show_about(self, self.session.device))
        self._update_recent_menu()

    # -- messages ------------------------------------------------------------------------------
    def say(self, text: str, timeout_ms: int = 10_000) -> None:
        self.status_text.setText(text)
        if timeout_ms:
            self._status_timer.start(timeout_ms)
        else:
            self._status_timer.stop()

    def show_error(self, text: str) -> None:
        log.warning("%s", text)
        self.messages.show_message(text)

    # -- opening ----------------------------------------------------------------------------------
    def open_startup(self, choice: StartupChoice, data_dir: str | None = None) -> None:
        self.open_pair(str(choice.left), str(choice.right), choice.data, "test", data_dir, reason=choice.reason)

    def open_pair(
        self, left: str, right: str, data: str = "", split: str = "test", data_dir: str | None = None, reason: str = ""
    ) -> None:
        """Load both checkpoints and a data set in the background, then show them; on any error keep what was open."""

        device = self.session.device

        def work(state: TaskState):
            a, b = load_checkpoint(left, device), load_checkpoint(right, device)
            spec = data or str(a.metadata.get("data") or "")
            if not spec:
                raise VaeExplorerError(f"{left}: its metadata names no data set; choose one with Open data")
            return spec, a, b, load_dataset(spec, split, data_dir)

        def done(result) -> None:
            spec, a, b, dataset = result
            self.session.open_pair(a, b, dataset)  # an error leaves what was open, and is shown
            self.messages.hide()
            self._remember(left, right, spec)
            self.say(
                f"{Path(left).name} and {Path(right).name} on {dataset.description}"
                + (f": {reason}" if reason else ""),
                0,
            )

        self.runner.start("open", f"Loading {data or 'data'}", work, done)

    def open_data(self, spec: str, split: str = "test") -> None:
        def done(dataset) -> None:
            self.session.set_dataset(dataset)
            self.say(f"data: {dataset.description}", 0)

        self.runner.start("open", f"Loading {spec}", lambda state: load_dataset(spec, split), done)

    def open_model(self, slot: str, path: str) -> bool:
        try:
            self.session.load_model(slot, path)
        except VaeExplorerError as exc:
            self.show_error(str(exc))
            return False
        self.say(f"{Path(path).name} opened on the {slot}")
        return True

    @property
    def pair(self) -> tuple[str, str]:
        """The files of the models on show (however they were opened), for the Open pair dialog."""
        paths = (self.session.slots[slot].checkpoint for slot in SLOTS)
        return tuple(str(c.path) if c is not None and c.path else "" for c in paths)  # type: ignore[return-value]

    @property
    def data_spec(self) -> str:
        """The data on show as Open data takes it (``fashion-mnist``, ``digits``, a folder), for the dialogs."""
        return self.session.dataset.name if self.session.dataset is not None else ""

    def open_pair_dialog(self) -> None:
        dialog = OpenPairDialog(*self.pair, self.data_spec, parent=self)
        if dialog.exec():
            left, right, data, split = dialog.values()
            if not left or not right:
                self.show_error("choose a checkpoint for each side")
                return
            self.open_pair(left, right, data, split)

    def open_model_dialog(self, slot: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Open model on the {slot}", "", CHECKPOINT_FILTER)
        if path:
            self.open_model(slot, path)

    def open_data_dialog(self) -> None:
        dialog = OpenDataDialog(self.data_spec, parent=self)
        if dialog.exec():
            spec, split = dialog.values()
            if spec:
                self.open_data(spec, split)

    # -- recent pairs and layout ---------------------------------------------------------------------
    def recent_pairs(self) -> list[dict[str, str]]:
        try:
            items = json.loads(str(self.settings.value("recent_pairs", "[]")))
        except ValueError:
            return []
        return [i for i in items if isinstance(i, dict) and {"left", "right", "data"} <= set(i)]

    def _remember(self, left: str, right: str, data: str) -> None:
        entry = {"left": str(Path(left).resolve()), "right": str(Path(right).resolve()), "data": data}
        items = [entry] + [i for i in self.recent_pairs() if i != entry]
        self.settings.setValue("recent_pairs", json.dumps(items[:MAX_RECENT]))
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        items = self.recent_pairs()
        for item in items:
            text = f"{Path(item['left']).name} + {Path(item['right']).name} on {Path(item['data']).name}"
            self._action(
                self.recent_menu, text, lambda checked=False, i=item: self.open_pair(i["left"], i["right"], i["data"])
            )
        self.recent_menu.setEnabled(bool(items))

    def _restore_layout(self) -> None:
        """The saved window geometry and dock layout, else the first-launch layout."""
        state = None
        if self.persist:
            geometry = self.settings.value("geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
            state = self.settings.value("explorer_state")
        if state is None or not self.explorer.restoreState(state, LAYOUT_VERSION):
            self.explorer.arrange_docks()

    def _save_layout(self) -> None:
        if not self.persist:
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("explorer_state", self.explorer.saveState(LAYOUT_VERSION))
        self.settings.sync()

    # -- screenshots and state ------------------------------------------------------------------------
    def _on_scatter_drawn(self, slot: str) -> None:
        if self._maps_pending:
            self._maps_pending.discard(slot)
            if not self._maps_pending:
                self.repaint()  # paint now, so "shown" means on screen
                log.info("maps shown")

    def is_settled(self) -> bool:
        """Everything asked for is loaded, computed and decoded: the window is ready to be captured."""
        if self.runner.busy() or not self.services.decoder.wait_idle(0):
            return False
        for s in self.session.slots.values():
            if not s.loaded or s.codes is None or self.session.projection(s.name) is None:
                return False
            if s.cursor_z is not None and (s.decoded is None or (s.decoded.z != s.cursor_z).any()):
                return False
        return True

    def save_screenshot(self, path: str) -> bool:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        try:  # encoded in memory, written like every other file (safe_write)
            if not self.grab().save(buf, (Path(path).suffix.lstrip(".") or "png").upper()):
                raise VaeExplorerError(f"cannot write screenshot {path}")
            write_bytes(path, bytes(buf.data()))
        except VaeExplorerError as exc:
            self.show_error(str(exc))
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
        self._save_layout()
        self.services.shutdown()
        super().closeEvent(event)
