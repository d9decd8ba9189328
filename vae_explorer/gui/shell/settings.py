"""The window's saved settings, read so that a damaged file never stops a launch.

A value that cannot be read (a hand-edited file, a file from another version) is
removed and its key kept in :attr:`WindowSettings.dropped`, for the window to
say so; the launch goes on with the default.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
MAX_RECENT_READ = 4 * MAX_RECENT  # entries looked at, readable or not: the rest of a longer list is never parsed
PAIR_KEYS = ("left", "right", "data")
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's white space


def absolute_data(spec: str) -> str:
    """A data set as Open recent stores it: a folder as an absolute path, a built-in name as it is."""
    return str(Path(spec).resolve()) if spec and Path(spec).exists() else spec


def _recent_entries(value: Any) -> tuple[list[Any], bool]:
    """The first ``MAX_RECENT_READ`` entries of a saved JSON list, parsed one at a time, and whether more follow.

    However long a hand-edited or hostile list is, only its beginning is parsed.
    """
    if not isinstance(value, str):
        raise ValueError("not a list")
    decoder, space = json.JSONDecoder(), _SPACE
    pos = space.match(value, 0).end()
    if value[pos : pos + 1] != "[":
        raise ValueError("not a list")
    items: list[Any] = []
    pos = space.match(value, pos + 1).end()
    if value[pos : pos + 1] == "]":
        return items, False
    while len(items) < MAX_RECENT_READ:
        item, pos = decoder.raw_decode(value, pos)
        items.append(item)
        pos = space.match(value, pos).end()
        if value[pos : pos + 1] == "]":
            return items, False
        if value[pos : pos + 1] != ",":
            raise ValueError("not a list")
        pos = space.match(value, pos + 1).end()
    return items, True


def _is_pair(item: Any) -> bool:
    return isinstance(item, dict) and all(isinstance(item.get(k), str) and item[k] for k in PAIR_KEYS[:2])


def _flag(value: Any) -> bool:
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ValueError(f"not true or false: {value!r}")
    return text == "true"


def _bytes(value: Any) -> QByteArray:
    if not isinstance(value, (QByteArray, bytes, bytearray)):
        raise TypeError(f"not bytes: {type(value).__name__}")
    return QByteArray(value)


class WindowSettings:
    """Typed, self-healing access to the window's QSettings: recent pairs, geometry, dock layout, linked cursors."""

    def __init__(self, settings: QSettings) -> None:
        self.qsettings = settings
        self.dropped: list[str] = []  # keys whose values could not be read, and were removed

    def _read(self, key: str, parse: Callable[[Any], Any]) -> Any:
        """The parsed value of ``key``, or None when absent; an unreadable value is dropped."""
        if not self.qsettings.contains(key):
            return None
        try:
            return parse(self.qsettings.value(key))
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a saved value must not stop a launch
            self.drop(key)
            return None

    def drop(self, key: str) -> None:
        self.qsettings.remove(key)
        self._note(key)

    def _note(self, key: str) -> None:
        if key not in self.dropped:
            self.dropped.append(key)

    def recent_pairs(self) -> list[dict[str, str]]:
        """Pairs that opened, newest first (at most ``MAX_RECENT``): ``{"left", "right", "data"}``, absolute paths."""
        items, more = self._read("recent_pairs", _recent_entries) or ([], False)
        readable = ({k: str(item.get(k) or "") for k in PAIR_KEYS} for item in items if _is_pair(item))
        pairs = list(itertools.islice(readable, MAX_RECENT))
        if more or len(pairs) != len(items):  # keep the readable ones, as many as the menu shows
            self.qsettings.setValue("recent_pairs", json.dumps(pairs))
            self._note("recent_pairs")
        return pairs

    def remember_pair(self, left: str, right: str, data: str) -> None:
        entry = {"left": str(Path(left).resolve()), "right": str(Path(right).resolve()), "data": absolute_data(data)}
        items = [entry] + [i for i in self.recent_pairs() if i != entry]
        self.qsettings.setValue("recent_pairs", json.dumps(items[:MAX_RECENT]))

    def link_cursors(self) -> bool:
        """Whether a drag in one map moves both cursors (the View menu's Link cursors); on unless turned off."""
        value = self._read("link_cursors", _flag)
        return True if value is None else value

    def set_link_cursors(self, on: bool) -> None:
        self.qsettings.setValue("link_cursors", "true" if on else "false")

    def layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        """The saved window geometry and dock layout (each None when absent or unreadable)."""
        return self._read("geometry", _bytes), self._read("explorer_state", _bytes)

    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("geometry", geometry)
        self.qsettings.setValue("explorer_state", state)
        self.qsettings.sync()
