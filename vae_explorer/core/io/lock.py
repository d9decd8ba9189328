"""An exclusive lock on an output file, so that two processes never write one file at the same time.

The lock is a small file beside the output (``.model.pt.lock``) holding the
owner's process id, locked with ``flock``: the kernel lets it go when its owner
dies however it dies, so a lock left by a killed process is simply taken over.
It is the one file not written through :mod:`safe_write`: it must stay the same
file while locked, never be replaced by a rename. It follows the same rules
all the same: a lock file is always one this process created (``O_EXCL``),
never a link followed (``O_NOFOLLOW``) nor a file someone else made truncated;
a link, FIFO, device or folder in its place is refused in one line, and of an
existing lock file at most a few bytes are read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.safe_write import file_kind, name_tag, process_alive

NAME_MAX = 255  # bytes in a file name on Linux, macOS and Windows file systems
READ_LIMIT = 32  # bytes of a lock file read: a process id and a line break
CMDLINE_LIMIT = 64 * 1024
MARKERS = (b"vae_explorer", b"vae-explorer")  # in the command line of every process that takes a lock
_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_TRIES = 20  # a lock file that keeps being swapped under us is given up on, not chased forever

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


def _not_a_lock(path: Path, lock: Path, mode: int) -> VaeExplorerError:
    what = "a symbolic link" if stat.S_ISLNK(mode) else file_kind(mode)
    return VaeExplorerError(
        f"cannot lock {path}: {lock} is {what}, not a lock file; remove it if no training run is using it"
    )


def _open_existing(path: Path, lock: Path) -> int | None:
    """A read-only descriptor of the lock file already there (``None``: there is none); anything else refused."""
    try:
        mode = os.lstat(lock).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_lock(path, lock, mode)
        fd = os.open(lock, os.O_RDONLY | _FLAGS)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a link after the check
            raise _not_a_lock(path, lock, stat.S_IFLNK) from None
        raise VaeExplorerError(f"cannot lock {path} ({lock}): {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_a_lock(path, lock, mode)
    return fd


def _read_pid(fd: int) -> int | None:
    """The process id at the start of an open lock file: its first few bytes, however large the file."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, READ_LIMIT).decode("ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and len(text) < 12 else None


def runs_vae_explorer(pid: int) -> bool:
    """Whether process ``pid`` lives and is a vae-explorer run (its command line names the package).

    Where the command line cannot be read (no ``/proc``, another user's hidden
    process), a live process counts as one, so no run is ever taken for dead.
    """
    if not process_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read(CMDLINE_LIMIT)
    except FileNotFoundError:
        return not os.path.isdir("/proc/self")  # with /proc: it has just ended; without: cannot tell
    except OSError:
        return True
    return any(marker in cmdline for marker in MARKERS)


def lock_holder(path: str | Path) -> int | None:
    """The process id of a live vae-explorer run that holds ``path``'s lock, or ``None``.

    Advisory (for a form that warns early): it reads the lock file without taking
    the lock, so the answer may change a moment later. A lock file that is not a
    regular file has no holder here; :func:`check_lockable` says what is wrong with it.
    """
    if not Path(path).name:
        return None  # "/" or "": no file, no lock
    try:
        fd = _open_existing(Path(path), lock_path(path))
    except VaeExplorerError:
        return None
    if fd is None:
        return None
    try:
        pid = _read_pid(fd)
    finally:
        os.close(fd)
    if pid is None or pid == os.getpid() or not runs_vae_explorer(pid):
        return None
    return pid


def check_lockable(path: str | Path) -> None:
    """Raise the one line :func:`exclusive_lock` would when ``path``'s lock file is a link, FIFO, device or folder."""
    if Path(path).name:
        fd = _open_existing(Path(path), lock_path(path))
        if fd is not None:
            os.close(fd)


def _refuse(path: Path, pid: int | None) -> LockedError:
    who = f"process {pid}" if pid else "another process"
    return LockedError(
        f"{path}: another training run ({who}) writes this file; wait for it to end or choose another output file"
    )


def _same(fd: int, lock: Path) -> bool:
    """Whether the open ``fd`` is still the file at ``lock`` (not removed or replaced meanwhile)."""
    try:
        return os.path.samestat(os.fstat(fd), os.lstat(lock))
    except OSError:
        return False


def _create(lock: Path) -> int | None:
    """A new lock file, created by us and open for writing; ``None`` when one is there already."""
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | _FLAGS | getattr(os, "O_BINARY", 0), 0o644)
    except FileExistsError:
        return None


def _clear_stale(path: Path, lock: Path) -> None:
    """Remove the lock file there when no one holds it (its owner died); refuse when a live process does."""
    fd = _open_existing(path, lock)
    if fd is None:
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise _refuse(path, _read_pid(fd)) from None
        else:
            pid = _read_pid(fd)
            if pid is not None and runs_vae_explorer(pid):
                raise _refuse(path, pid)
        if _same(fd, lock):
            lock.unlink()  # while holding it, so no one else is using the file we remove
    finally:
        os.close(fd)


def _acquire(path: Path, lock: Path) -> int:
    """Create and lock a fresh lock file; the file descriptor that holds it."""
    for _ in range(_TRIES):
        fd = _create(lock)
        if fd is None:
            _clear_stale(path, lock)
            continue
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # another process took our new file first: it is the writer
                os.close(fd)
                raise _refuse(path, None) from None
        if _same(fd, lock):
            return fd
        os.close(fd)  # cleared by another process between our create and our lock: try again
    raise _refuse(path, None)


@contextlib.contextmanager
def exclusive_lock(path: str | Path) -> Iterator[Path]:
    """Hold ``path``'s lock for the block; raise :class:`LockedError` at once when a live process has it.

    A lock whose owner died is taken over; a link, FIFO, device or folder where the
    lock file goes is refused in one line. The lock file is removed when the block ends.
    """
    path = Path(path)
    lock = lock_path(path)
    try:
        fd = _acquire(path, lock)
    except VaeExplorerError:
        raise
    except OSError as exc:
        raise VaeExplorerError(f"cannot lock {path} ({lock}): {exc.strerror or exc}") from None
    try:
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield lock
    finally:
        if _same(fd, lock):
            with contextlib.suppress(OSError):
                lock.unlink()  # while still holding it, so no one locks the file we remove
        os.close(fd)
