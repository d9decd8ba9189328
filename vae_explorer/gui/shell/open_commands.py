"""The window's open commands: a pair, one model, data, a recent pair, and the dialogs that ask for them.

Each hands the work to the :class:`~vae_explorer.gui.shell.opener.Opener`, which loads on a
worker, asks before a model file's code runs, and keeps what was open when anything
fails. The window holds one (``window.open_commands``) and puts its items in the File menu.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from vae_explorer.core.model.shipped import StartupChoice
from vae_explorer.core.session import SLOTS, Session

from ..tasks import TaskRunner
from ..widgets.text import menu_text
from .dialogs import MODEL_FILTER, OpenDataDialog, OpenPairDialog
from .opener import Opener
from .own_data import ask_own_data
from .quick_start import QuickStart
from .settings import WindowSettings
from .trust import ask_trust as ask_trust_dialog

# action(menu, text, slot, shortcut) -> QAction: a menu item whose errors reach the window's message bar
AddAction = Callable[..., QAction]


class OpenCommands:
    """File > Open pair / model / data / recent, for the window and for the command line's start-up pair.

    ``window``: the dialogs' parent; ``ask_trust``: a model file not trusted yet is asked
    about in a dialog, else refused; ``trust_all``: run any model file (``--trust``).
    """

    def __init__(
        self,
        window: QWidget,
        session: Session,
        runner: TaskRunner,
        settings: WindowSettings,
        trust_all: bool = False,
        ask_trust: bool = True,
    ) -> None:
        self.window, self.session, self.runner, self.settings = window, session, runner, settings
        self.opener = Opener(session, runner, window, trust_all=trust_all)
        if ask_trust:
            self.opener.ask_trust = lambda sources, answered: ask_trust_dialog(window, sources, answered)
            self.opener.ask_data = lambda model, spec, shown, answered: ask_own_data(
                window, model, spec, shown, answered
            )
        self.opener.sigPairOpened.connect(self.remember)
        self.recent_menu: QMenu | None = None
        self._action: AddAction | None = None

    def add_to(self, file: QMenu, action: AddAction) -> None:
        """Put the open commands and the recent pairs at the top of the File menu ``file``."""
        action(file, "Open &pair…", self.open_pair_dialog, QKeySequence.StandardKey.Open)
        action(file, "Open model on the &left…", lambda: self.open_model_dialog(SLOTS[0]), "Ctrl+L")
        action(file, "Open model on the &right…", lambda: self.open_model_dialog(SLOTS[1]), "Ctrl+R")
        action(file, "Open &data…", self.open_data_dialog, "Ctrl+Shift+O")
        self.recent_menu, self._action = file.addMenu("Open &recent"), action
        self._update_recent_menu()

    def open_startup(
        self,
        choice: StartupChoice,
        data_dir: str | None = None,
        split: str = "test",
        test_fraction: float | None = None,
        image_size: int | None = None,
    ) -> None:
        """The command line's pair: from the cache when it can be, its networks loading after (:mod:`.quick_start`)."""
        quick = QuickStart(self.session, self.runner, self.opener, self.window)
        quick.open_startup(choice, data_dir, split, test_fraction, image_size)

    @property
    def open_pair(self) -> Callable[..., None]:
        """Load both models and a data set in the background, then show them; on any error keep what was open.

        The :class:`Opener`'s own method (see :meth:`Opener.open_pair` for its arguments).
        """
        return self.opener.open_pair

    def open_model(self, slot: str, path: str, own_data: bool = False) -> None:
        """Load one checkpoint or model file into ``slot`` in the background; on any error keep what was open.

        ``own_data``: offer to open it with the data it was trained on, when that is not the data on show.
        """
        self.opener.open_model(slot, path, own_data)

    def open_data(
        self, spec: str, split: str = "test", test_fraction: float | None = None, image_size: int | None = None
    ) -> None:
        self.opener.open_data(spec, split, test_fraction, image_size)

    @property
    def pair(self) -> tuple[str, str]:
        """The files of the models on show (however they were opened), for the Open pair dialog."""
        models = (self.session.slots[slot].model for slot in SLOTS)
        return tuple(str(m.path) if m is not None and m.path else "" for m in models)  # type: ignore[return-value]

    @property
    def data_on_show(self) -> str:
        """The data on show as Open data takes it (``fashion-mnist``, ``digits``, a folder), for the dialogs."""
        return self.session.dataset.name if self.session.dataset is not None else ""

    def open_pair_dialog(self) -> None:
        dialog = OpenPairDialog(*self.pair, self.data_on_show, parent=self.window)
        if dialog.exec():
            left, right, data, _ = dialog.values()
            if not left or not right:
                self.session.report("choose a model for each side")
                return
            split, fraction, size = dialog.split.values()  # a bad test share is reported, nothing opens
            self.open_pair(left, right, data, split, test_fraction=fraction, image_size=size)

    def open_model_dialog(self, slot: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, f"Open model on the {slot}", "", MODEL_FILTER)
        if path:
            self.open_model(slot, path)

    def open_data_dialog(self) -> None:
        dialog = OpenDataDialog(self.data_on_show, parent=self.window)
        if dialog.exec():
            spec, _ = dialog.values()
            if spec:
                self.open_data(spec, *dialog.split.values())

    # -- recent pairs ------------------------------------------------------------------------------
    def recent_pairs(self) -> list[dict[str, str]]:
        return self.settings.recent_pairs()

    def remember(self, left: str, right: str, data: str) -> None:
        """Put a pair that opened first among the recent pairs."""
        self.settings.remember_pair(left, right, data)
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        if self.recent_menu is None or self._action is None:
            return
        self.recent_menu.clear()
        items = self.recent_pairs()
        for item in items:
            text = menu_text(f"{Path(item['left']).name} + {Path(item['right']).name} on {Path(item['data']).name}")
            self._action(self.recent_menu, text, lambda i=item: self.open_pair(i["left"], i["right"], i["data"]))
        self.recent_menu.setEnabled(bool(items))
