"""File > Save view… / Open view… and the Bookmarks menu: the window's state to a file and back.

What is saved is read from the session (:func:`~vae_explorer.core.views.capture.capture`)
and from the maps (each map's zoom, whether a selection is shown alone); what is opened
goes through :class:`~.opener.ViewOpener`. Bookmarks are views kept in the user's
config folder (:class:`~vae_explorer.core.views.bookmarks.Bookmarks`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.session.slot import SLOTS
from vae_explorer.core.views import ViewState, save_view
from vae_explorer.core.views.bookmarks import Bookmarks
from vae_explorer.core.views.capture import capture

from ..widgets.text import menu_text
from .opener import ViewOpener, ViewWindow

VIEW_FILTER = "Saved views (*.json);;All files (*)"
Add = Callable[..., QAction]  # the window's _action(menu, text, slot, shortcut, tip)


class ViewCommands:
    """Saving and opening views, and the bookmarks, for one window."""

    def __init__(self, window: ViewWindow, opener: ViewOpener, bookmarks: Bookmarks | None = None) -> None:
        self.window, self.session, self.opener = window, window.session, opener
        self.bookmarks = bookmarks or Bookmarks()
        self.menu: QMenu | None = None
        self._add: Add | None = None

    def state(self) -> ViewState:
        """The window's state now: the session's, each map's zoom, whether a selection is shown alone."""
        maps = self.window.explorer.maps  # type: ignore[attr-defined]
        zoom = {slot: None if maps[slot].range.follow else maps[slot].range.region() for slot in SLOTS}
        return capture(self.session, zoom, isolated=self.session.marks.only is not None)

    def save(self, path: str | Path) -> bool:
        """Save the window's state to ``path``; False (and the window says why) when it cannot."""
        try:
            written = save_view(path, self.state())
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        self.session.say(f"view saved to {written}")
        return True

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save view", "view.json", VIEW_FILTER)  # type: ignore[arg-type]
        if path:
            self.save(path)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open view", "", VIEW_FILTER)  # type: ignore[arg-type]
        if path:
            self.opener.open_file(path)

    # -- bookmarks ---------------------------------------------------------------------------------
    def fill_menu(self, menu: QMenu, add: Add) -> None:
        """The Bookmarks menu: Add current view, then one submenu per bookmark (Go to, Rename…, Remove)."""
        self.menu, self._add = menu, add
        menu.aboutToShow.connect(self.refresh_menu)
        self.refresh_menu()

    def refresh_menu(self) -> None:
        menu, add = self.menu, self._add
        if menu is None or add is None:
            return
        menu.clear()
        add(menu, "&Add current view…", self.add_dialog, "Ctrl+B", "keep the window's state as a bookmark")
        try:
            names = self.bookmarks.names()
        except VaeExplorerError as exc:
            menu.addAction(menu_text(str(exc))).setEnabled(False)
            return
        if names:
            menu.addSeparator()
        for name in names:
            sub = menu.addMenu(menu_text(name))
            add(sub, "&Go to", lambda n=name: self.go_to(n))
            add(sub, "&Rename…", lambda n=name: self.rename_dialog(n))
            add(sub, "Re&move", lambda n=name: self.remove(n))

    def add_bookmark(self, name: str) -> bool:
        try:
            name = self.bookmarks.add(name, self.state())
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        self.session.say(f"bookmark {name!r} kept in {self.bookmarks.path}")
        self.refresh_menu()
        return True

    def go_to(self, name: str) -> bool:
        try:
            state = self.bookmarks.view(name)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        return self.opener.open_state(state, f"bookmark {name!r}")

    def rename(self, old: str, new: str) -> bool:
        try:
            self.bookmarks.rename(old, new)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        self.refresh_menu()
        return True

    def remove(self, name: str) -> None:
        try:
            self.bookmarks.remove(name)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
        self.refresh_menu()

    def _ask(self, title: str, text: str) -> str:
        parent: QWidget = self.window  # type: ignore[assignment]
        answer, ok = QInputDialog.getText(parent, title, "Name:", text=text)
        return answer if ok else ""

    def add_dialog(self) -> None:
        data = self.session.dataset
        name = self._ask("Add bookmark", f"{data.name} {self.session.view}" if data is not None else "view")
        if name:
            self.add_bookmark(name)

    def rename_dialog(self, old: str) -> None:
        new = self._ask("Rename bookmark", old)
        if new:
            self.rename(old, new)
