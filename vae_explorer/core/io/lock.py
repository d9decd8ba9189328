"""An exclusive lock on an output file, so that two processes never write one file at the same time.

The lock is a small file beside the output (``.model.pt.lock``) holding the
owner's process id, locked with ``flock``: the kernel lets it go when its owner
dies however it dies, so a lock left by a killed process is simply taken over.
It is the one file not written through :mod:`safe_write`: it must stay the same
file while locked, never be replaced by a rename.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.safe_write import name_tag, process_alive

NAME_MAX = 255  # bytes in a file name on Linux, macOS and Windows file systems

try:
    import fcntl
except ImportError:  # Windows: a lock file made with O_EXCL, its owner's process id checked instead
    fcntl = None  # type: ignore[assignment]


class LockedError(VaeExplorerError):
    """Another live process holds the lock of this output."""


def lock_path(path: str | Path) -> Path:
    """The lock file of ``path``: ``.NAME.lock`` in the same folder.

    For a name too long to take the dot and the suffix (file names end at 255
    bytes), ``.vx-TAG.lock`` with a tag of the name, still one lock per output.
    """
    path = Path(path)
    name = f".{path.name}.lock"
    if len(os.fsencode(name)) > NAME_MAX:
        name = f".vx-{name_tag(path)}.lock"
    return path.with_name(name)


def _read_pid(lock: Path) -> int | None:
    try:
        text = lock.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def lock_holder(path: str | Path) -> int | None:
    """The process id of a live process that holds ``path``'s lock, or ``None``.

    Advisory (for a form that warns early): it reads the lock file without taking
    the lock, so the answer may change a moment later.
    """
    if not Path(path).name:
        return None  # "/" or "": no file, no lock
    pid = _read_pid(lock_path(path))
    if pid is None or pid == os.getpid() or not process_alive(pid):
        return None
    return pid


def _refuse(path: Path, pid: int | None) -> LockedError:
    who = f"process {pid}" if pid else "another process"
    return LockedError(
        f"{path}: another training run ({who}) writes this file; wait for it to end or choose another output file"
    )


def _flock(path: Path, lock: Path) -> int:
    """Open and lock ``lock``; the file descriptor that holds it."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise _refuse(path, _read_pid(lock)) from None
        try:  # its last owner may have removed the file between our open and our lock: lock the new one
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _exclusive_create(path: Path, lock: Path) -> int:
    """Without ``flock``: create the lock file exclusively, taking over one whose owner is gone."""
    for _ in range(2):
        try:
            return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            pid = _read_pid(lock)
            if pid is not None and process_alive(pid):
                raise _refuse(path, pid) from None
            lock.unlink(missing_ok=True)
    raise _refuse(path, _read_pid(lock))


@contextlib.contextmanager
def exclusive_lock(path: str | Path) -> Iterator[Path]:
    """Hold ``path``'s lock for the block; raise :class:`LockedError` at once when a live process has it.

    A lock whose owner died is taken over. The lock file is removed when the block ends.
    """
    path = Path(path)
    lock = lock_path(path)
    try:
        fd = _flock(path, lock) if fcntl is not None else _exclusive_create(path, lock)
    except LockedError:
        raise
    except OSError as exc:
        raise VaeExplorerError(f"cannot lock {path} ({lock}): {exc.strerror or exc}") from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()  # while still holding it, so no one locks the file we remove
        os.close(fd)
