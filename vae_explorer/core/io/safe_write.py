"""The one way files are written: checked, then atomically, through a temporary file beside the target.

A write never replaces anything but a regular file: a device, a FIFO, a socket or
a folder in the way is refused in one line. A symbolic link is followed and its
target written (the link stays a link). An output that is one of the command's
inputs is refused, so no command destroys what it reads. The temporary file has a
short name of its own (``.vx-<tag>-<pid>-<random>.tmp``); one left behind by a
writer that was killed is removed on the next write to the same target. A crash
or a full disk mid-write never leaves a broken file and never destroys the
previous one; a folder of several files (:func:`write_folder`) is replaced whole
or not at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO

from vae_explorer.core.errors import ExportError

_UMASK = os.umask(0o022)
os.umask(_UMASK)

PREFIX = ".vx-"
STALE_SECONDS = 3600  # a temp file this old is stale even if its writer's process id is in use again
_OURS = re.compile(r"^\.vx-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}\.tmp(dir)?$")
PathLike = str | Path

KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (``a FIFO (named pipe)``) from its ``st_mode``."""
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def resolve_output(path: PathLike) -> Path:
    """The file a write to ``path`` replaces: a symbolic link is followed to its target, which is written."""
    return Path(os.path.realpath(Path(path).expanduser()))


def same_file(a: PathLike, b: PathLike) -> bool:
    """Whether ``a`` and ``b`` name one file (through links, ``..`` or hard links)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def _check_target(path: Path, target: Path, inputs: Iterable[PathLike], folder_ok: bool = False) -> None:
    folder = _folder(target)
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {path}: folder {folder} is not writable")
    limit = os.pathconf(folder, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    if len(os.fsencode(target.name)) > limit:
        raise ExportError(f"cannot write {path}: the name is longer than the {limit} bytes a file name may have")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISLNK(mode):
        raise ExportError(f"cannot write {path}: it is a symbolic link that leads nowhere (a loop)")
    if mode is not None and not stat.S_ISREG(mode) and not (folder_ok and stat.S_ISDIR(mode)):
        raise ExportError(f"cannot write {path}: it is {file_kind(mode)}; vae-explorer replaces only regular files")
    for source in inputs:
        if source and same_file(target, source):
            raise ExportError(f"cannot write {path}: it is an input of this command ({source}); write elsewhere")


def check_writable(path: PathLike, inputs: Iterable[PathLike] = ()) -> Path:
    """Raise :class:`ExportError` unless ``path`` can be written; returns ``path`` as given.

    ``path`` must be absent or a regular file (a link to one is followed), in a
    folder that exists and is writable, and none of ``inputs``.
    """
    path = Path(path)
    _check_target(path, resolve_output(path), list(inputs))
    return path


def check_outputs(paths: Iterable[PathLike | None], inputs: Iterable[PathLike] = ()) -> None:
    """:func:`check_writable` for each of a command's outputs (``None`` skipped); no two may be one file."""
    given = [Path(p) for p in paths if p]
    inputs = [p for p in inputs if p]
    for k, path in enumerate(given):
        check_writable(path, inputs)
        for other in given[:k]:
            if same_file(resolve_output(path), resolve_output(other)):
                raise ExportError(f"cannot write {path}: {other} is written by this command too; give two names")


def name_tag(target: Path) -> str:
    """Eight hex digits standing for ``target``'s file name, for short names of files kept beside it."""
    return hashlib.sha1(os.fsencode(target.name)).hexdigest()[:8]


def _temp_path(target: Path, suffix: str = ".tmp") -> Path:
    """A short, unique name beside ``target``: the tag of its name, our process id, random digits."""
    return _folder(target) / f"{PREFIX}{name_tag(target)}-{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` may still run (on a system where that cannot be asked: yes)."""
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl-C there: leave it to the age of the file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _stale(name: str, tag: str, legacy: re.Pattern[str], age: float) -> bool:
    m = _OURS.match(name)
    if m:
        pid = int(m.group(2))
        return m.group(1) == tag and pid != os.getpid() and (age > STALE_SECONDS or not process_alive(pid))
    return legacy.match(name) is not None and age > STALE_SECONDS  # ``.<name>.<8 random>.tmp`` of older versions


def clean_stale(target: Path) -> list[Path]:
    """Remove the temporary files and folders a killed writer left beside ``target``; returns them."""
    tag, removed = name_tag(target), []
    legacy = re.compile(rf"^\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp$")
    try:
        names = [n for n in os.listdir(_folder(target)) if n.startswith(".")]
    except OSError:
        return removed
    for name in names:
        leftover = _folder(target) / name
        try:
            if _stale(name, tag, legacy, time.time() - os.lstat(leftover).st_mtime):
                shutil.rmtree(leftover) if name.endswith("dir") else leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue
    return removed


def _match_owner_and_mode(tmp: Path, target: Path) -> None:
    """Give the new file the permissions (and, where allowed, the owner) of the one it replaces."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~_UMASK)
        return
    os.chmod(tmp, st.st_mode & 0o7777)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        with contextlib.suppress(OSError):
            os.chown(tmp, st.st_uid, st.st_gid)


def atomic_write(path: PathLike, write: Callable[[IO[bytes]], object], inputs: Iterable[PathLike] = ()) -> None:
    """Call ``write(file_object)`` on a temporary file beside ``path``'s target, then rename it over the target.

    Refusals (see :func:`check_writable`) raise :class:`ExportError`; a failing
    write raises the ``OSError`` and leaves the old file as it was.
    """
    path = Path(path)
    target = resolve_output(path)
    inputs = list(inputs)
    _check_target(path, target, inputs)
    clean_stale(target)
    tmp = _temp_path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            _match_owner_and_mode(tmp, target)
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _check_target(path, target, inputs)  # nothing special slipped in while we wrote
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: PathLike, data: bytes, inputs: Iterable[PathLike] = ()) -> None:
    """Write ``data`` to ``path`` atomically; a failure is one :class:`ExportError` line."""
    try:
        atomic_write(path, lambda fh: fh.write(data), inputs)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_folder_writable(folder: PathLike, names: Iterable[str], inputs: Iterable[PathLike] = ()) -> Path:
    """Raise :class:`ExportError` unless :func:`write_folder` may replace ``folder`` with files ``names``.

    The folder must be absent, or hold nothing but files of those names (an
    earlier export of the same kind): the swap replaces the folder whole, so a
    folder with anything else in it is refused, never emptied.
    """
    folder = Path(folder)
    target = resolve_output(folder)
    _check_target(folder, target, list(inputs), folder_ok=True)
    if target.is_dir():
        allowed = set(names)
        others = sorted(n for n in os.listdir(target) if n not in allowed)
        if others:
            raise ExportError(
                f"cannot write into {folder}: it holds other files ({others[0]!r}"
                f"{f' and {len(others) - 1} more' if len(others) > 1 else ''}); choose a new or empty folder"
            )
        for name in allowed:
            _check_target(folder / name, target / name, list(inputs))
    return folder


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _write_plain(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_folder(
    folder: PathLike,
    files: Mapping[str, bytes],
    inputs: Iterable[PathLike] = (),
    replaces: Iterable[str] = (),
) -> list[Path]:
    """Make ``folder`` hold exactly ``files`` (name -> contents), all or nothing.

    The files are written to a sibling folder that is then swapped with
    ``folder``, so a failure half-way leaves the old folder as it was, never a mix
    of old and new files. An existing ``folder`` may hold only files of these
    names or of ``replaces`` (an earlier export). Returns the paths written.
    Failures are one :class:`ExportError` line.
    """
    folder = check_folder_writable(folder, [*files, *replaces], inputs)
    target = resolve_output(folder)
    clean_stale(target)
    staging = _temp_path(target, ".tmpdir")
    try:
        staging.mkdir()
        if target.is_dir():
            os.chmod(staging, os.stat(target).st_mode & 0o7777)
        for name, data in files.items():
            _write_plain(staging / name, data)
        if not target.exists():
            os.rename(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now the old folder
        else:
            old = _temp_path(target, ".tmpdir")
            os.rename(target, old)
            os.rename(staging, target)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"cannot write {folder}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in files]
