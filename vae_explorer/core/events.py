"""A minimal observer: the session's way to tell panels what changed, without Qt."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


class Signal:
    """A list of callbacks called in order by :meth:`emit`.

    The GUI connects Qt-side handlers here; tests connect plain functions. Emitting
    happens on the thread that changed the session, which is always the GUI thread.
    A callback that raises does not keep the others from running: each failure is
    logged with its traceback, and the first is raised again once all have run, so
    the code that emitted (a task's result handler, a test) still sees it.
    """

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._slots: list[Callable[..., Any]] = []

    def connect(self, slot: Callable[..., Any]) -> None:
        if slot not in self._slots:
            self._slots.append(slot)

    def disconnect(self, slot: Callable[..., Any]) -> None:
        if slot in self._slots:
            self._slots.remove(slot)

    def emit(self, *args: Any) -> None:
        first: Exception | None = None
        for slot in list(self._slots):  # a copy: a slot may disconnect itself
            try:
                slot(*args)
            except Exception as exc:  # noqa: BLE001 - every listener hears of the change; the failure is kept
                log.error("a callback of %s failed: %r", self, slot, exc_info=True)
                first = first or exc
        if first is not None:
            raise first

    def __repr__(self) -> str:
        return f"<Signal {self.name} with {len(self._slots)} slots>"


@dataclass(frozen=True)
class Notice:
    """One line for the user: a status note, or an error (``error``) with optional ``details`` (a traceback)."""

    text: str
    error: bool = False
    details: str = ""
