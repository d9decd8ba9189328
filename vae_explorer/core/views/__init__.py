"""Saved views: the window's whole state in a small JSON file (:mod:`.state`), read and written (:mod:`.files`)."""

from .files import load_view, save_view
from .state import FORMAT, Cursor, SavedVector, ViewState

__all__ = ["FORMAT", "Cursor", "SavedVector", "ViewState", "load_view", "save_view"]
