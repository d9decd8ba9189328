"""Results kept on disk between launches: t-SNE maps and the codes of a data set.

Entries are ``.npz`` files named by a hash of everything they depend on (the
checkpoint's digest, the data's fingerprint, parameters), written atomically.
A missing or mismatched entry is simply recomputed; an unreadable one (damaged,
truncated, not a file) is deleted first, so it cannot stand in the way again. A
cache that cannot be written only costs time on the next launch. The oldest entries are
removed once a kind of entry takes more than ``MAX_BYTES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.safe_read import open_input
from vae_explorer.core.io.safe_write import atomic_write
from vae_explorer.core.io.user_dirs import cache_dir

MAX_BYTES = 512 * 1024 * 1024


def entry_path(kind: str, key: dict[str, Any]) -> Path:
    """The file of one entry: ``<cache>/<kind>/<hash of key>.npz``."""
    digest = hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]
    return cache_dir() / kind / f"{digest}.npz"


def load_entry(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of one entry, or ``None`` when it is missing or unreadable (and then deleted)."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        with open_input(path, "cache") as fh, np.load(fh, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except Exception:  # a damaged zip fails in many ways: BadZipFile, EOFError, zlib.error, ValueError, ...
        _discard(path)
        return None


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def save_entry(path: Path, **arrays: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or (path.exists() and not path.is_file()):
            _discard(path)  # whatever stands in the way of an entry is the cache's own, never followed
        atomic_write(path, lambda fh: np.savez(fh, **arrays))  # streamed: no copy of the arrays in memory
        prune(path.parent)
    except (OSError, VaeExplorerError):
        pass


def prune(folder: Path, max_bytes: int = MAX_BYTES) -> None:
    """Remove the least recently written entries until ``folder`` holds at most ``max_bytes``."""
    files = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    total = 0
    for f in files:
        total += f.stat().st_size
        if total > max_bytes:
            f.unlink(missing_ok=True)
