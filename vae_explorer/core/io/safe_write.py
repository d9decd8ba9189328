"""The one way files are written: atomically, to a temporary file beside the target, then renamed.

A crash or a full disk mid-write never leaves a broken file and never destroys
the previous one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from vae_explorer.core.errors import ExportError

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: str | Path, write: Callable[[IO[bytes]], object]) -> None:
    """Call ``write(file_object)`` on a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OSError(f"{folder}: no such folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes a private file; give the result the permissions a plain write would.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; a failure is one :class:`ExportError` line."""
    try:
        atomic_write(path, lambda fh: fh.write(data))
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_writable(path: str | Path) -> Path:
    """Raise :class:`ExportError` unless ``path``'s folder exists and is writable."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {path}: folder {folder} is not writable")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    return path
