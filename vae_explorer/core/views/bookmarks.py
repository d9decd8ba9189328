"""Bookmarks: named views kept in the user's config folder (``<config>/bookmarks.json``), in the order added.

The user made them, so their paths may lie anywhere; each is still read through the
view's checks, and a bookmark that no longer reads is reported by name, never opened.
Every change writes the whole file again through safe-write.
"""

from __future__ import annotations

from pathlib import Path

from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.documents import read_document, write_document
from vae_explorer.core.io.user_dirs import config_dir

from .files import portable_view, view_from_json
from .state import ViewState

FORMAT = "vae-explorer-bookmarks"
FORMAT_VERSION = 1
MAX_NAME = 200


def bookmarks_file() -> Path:
    return config_dir() / "bookmarks.json"


class Bookmarks:
    """The bookmarks in ``path`` (default :func:`bookmarks_file`): names and their views' JSON."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or bookmarks_file()

    def _read(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        blob = read_document(self.path, FORMAT, FORMAT_VERSION, "bookmarks")
        items = blob.get("bookmarks")
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("name"), str) for i in items
        ):
            raise DataError(f"{self.path}: invalid bookmarks: bookmarks is not a list of named views")
        return {i["name"]: i.get("view") for i in items}

    def _write(self, items: dict[str, dict]) -> None:
        blob = {"format": FORMAT, "format_version": FORMAT_VERSION}
        blob["bookmarks"] = [{"name": name, "view": view} for name, view in items.items()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # the first bookmark of a new config folder
        except OSError as exc:
            raise ExportError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        write_document(self.path, blob)

    def names(self) -> list[str]:
        return list(self._read())

    def view(self, name: str) -> ViewState:
        """The view bookmarked as ``name``, checked; a one-line :class:`DataError` naming it otherwise."""
        blob = self._read().get(name)
        if not isinstance(blob, dict):
            raise DataError(f"{self.path}: no bookmark named {name!r}")
        return view_from_json(blob, self.path.parent / f"bookmark {name}", allow_outside=True)

    @staticmethod
    def _name(name: str) -> str:
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise DataError(f"a bookmark's name must be 1 to {MAX_NAME} characters, not {len(name)}")
        return name

    def add(self, name: str, state: ViewState) -> str:
        """Keep ``state`` as ``name`` (replacing a bookmark of that name); the name kept."""
        name, items = self._name(name), self._read()
        items[name] = portable_view(state, None).to_json()  # absolute paths: the user's own bookmark
        self._write(items)
        return name

    def rename(self, old: str, new: str) -> str:
        new, items = self._name(new), self._read()
        if old not in items:
            raise DataError(f"no bookmark named {old!r}")
        if new != old and new in items:
            raise DataError(f"a bookmark named {new!r} exists already")
        self._write({new if k == old else k: v for k, v in items.items()})
        return new

    def remove(self, name: str) -> None:
        items = self._read()
        if items.pop(name, None) is not None:
            self._write(items)
