"""The log of past training runs: one JSON file in the user's config folder, written atomically.

Each record is :meth:`RunState.entry <vae_explorer.core.train_job.RunState.entry>`:
settings, final test metrics, checkpoint file, exit status. A record is written
when a run starts and again when it ends, so a run whose explorer went away
mid-run is still listed (as ``lost``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.safe_write import atomic_write
from vae_explorer.core.io.user_dirs import config_dir

FORMAT = "vae-explorer-runs"
MAX_ENTRIES = 200


def run_log_path() -> Path:
    return config_dir() / "training-runs.json"


class RunLog:
    """Records of past runs, oldest first, kept in ``path`` (default: :func:`run_log_path`).

    ``problem`` holds a one-line reason when the file could not be read (it is then
    treated as empty and replaced on the next write).
    """

    def __init__(self, path: str | Path | None = None, live_ids: set[str] | None = None) -> None:
        self.path = Path(path) if path else run_log_path()
        self.live_ids = live_ids if live_ids is not None else set()
        self.problem = ""
        self.entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.reload()

    def _read(self) -> tuple[list[dict[str, Any]], str]:
        """The records in the file, and a reason when it could not be read."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return [], ""
        except OSError as exc:
            return [], f"cannot read the run log {self.path}: {exc.strerror or exc}"
        try:
            blob = json.loads(text)
            runs = blob["runs"] if isinstance(blob, dict) and blob.get("format") == FORMAT else None
            if not isinstance(runs, list):
                raise ValueError("not a run log")
        except (ValueError, KeyError) as exc:
            return [], f"the run log {self.path} is unreadable ({exc}); it starts anew"
        return [e for e in runs if isinstance(e, dict) and isinstance(e.get("id"), str)], ""

    def _shown(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # A record still "running" whose run no window here watches: its explorer went away.
        # Only shown so; the file keeps what its own window wrote.
        shown = []
        for e in entries:
            if e.get("status") in ("starting", "running", "stopping") and e["id"] not in self.live_ids:
                e = {**e, "status": "lost", "exit": "the explorer closed while it ran"}
            shown.append(e)
        return shown

    def reload(self) -> list[dict[str, Any]]:
        raw, self.problem = self._read()
        self.entries = self._shown(raw)
        return self.entries

    def record(self, entry: dict[str, Any]) -> None:
        """Add or replace (by ``id``) one record in :attr:`entries`, without touching the file."""
        self.entries = self._shown(_upsert(self.entries, entry))

    def write(self, entry: dict[str, Any]) -> None:
        """Add or replace one record in the file, atomically; safe to call from a worker thread.

        Re-reads the file first, so two explorer windows do not drop each other's
        runs. Raises :class:`VaeExplorerError` when the file cannot be written.
        """
        with self._lock:
            raw, _ = self._read()
            blob = {"format": FORMAT, "version": 1, "runs": _upsert(raw, entry)}
            data = json.dumps(blob, indent=1).encode("utf-8")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(self.path, lambda fh: fh.write(data))
            except OSError as exc:
                raise VaeExplorerError(f"cannot write the run log {self.path}: {exc.strerror or exc}") from None

    def put(self, entry: dict[str, Any]) -> None:
        """:meth:`record` and :meth:`write` in one."""
        self.record(entry)
        self.write(entry)

    def find(self, entry_id: str) -> dict[str, Any] | None:
        return next((e for e in self.entries if e["id"] == entry_id), None)


def _upsert(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """``entries`` with ``entry`` replacing the one of its id in place, or appended; the newest kept."""
    out = [dict(entry) if e["id"] == entry["id"] else e for e in entries]
    if not any(e["id"] == entry["id"] for e in entries):
        out.append(dict(entry))
    return out[-MAX_ENTRIES:]
