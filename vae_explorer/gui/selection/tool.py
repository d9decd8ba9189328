"""The maps' toolbar's Lasso: a drag around points in either map selects them (the selection ``S``)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from vae_explorer.core.session import Session

KEY = "S"  # the attribute state's selection the toolbar's lasso fills
SHORTCUT = "Ctrl+Shift+L"


def lasso_action(session: Session, parent: QObject) -> QAction:
    """A checkable action that turns the lasso on for the maps' selection, and follows the selection tool."""
    state = session.attributes
    action = QAction("Lasso", parent, checkable=True)
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setToolTip(
        f"Draw around points in a map to select them (Shift adds); the Selection dock counts their labels ({SHORTCUT})"
    )
    action.toggled.connect(lambda on: _toggle(session, on))
    state.tool_changed.connect(lambda tool: action.setChecked(tool == "lasso" and state.tool_target == KEY))
    return action


def _toggle(session: Session, on: bool) -> None:
    state = session.attributes
    if on and not (state.tool == "lasso" and state.tool_target == KEY):
        state.set_tool("lasso", KEY)
    elif not on and state.tool is not None and state.tool_target == KEY:
        state.set_tool(None)
