"""The one way a user's file is opened for reading: regular files only, with a size budget.

A FIFO would make a read wait forever, a device such as ``/dev/zero`` never ends,
and a folder is no file: each is refused in one line naming the path before a
byte is read. A file larger than what its kind may hold is refused before it is
read into memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from vae_explorer.core.errors import DataError, VaeExplorerError
from vae_explorer.core.io.safe_write import file_kind

MiB = 1 << 20
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a FIFO does not wait for a writer


def _a(what: str) -> str:
    return f"{'an' if what[:1].lower() in 'aeiou' else 'a'} {what}"


def _refuse(path: Path, mode: int, what: str, error: type[VaeExplorerError]) -> VaeExplorerError:
    return error(f"{path}: is {file_kind(mode)}, not {_a(what)} file")


def open_input(path: str | Path, what: str, error: type[VaeExplorerError] = DataError) -> BinaryIO:
    """Open ``path`` for reading in binary; refuse anything but a regular file with one ``error`` line.

    ``what`` names the kind of file in messages (``checkpoint``, ``image``). The
    file is opened without blocking, so a FIFO cannot hang the open, and checked
    again once open, so nothing can be swapped in between.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse(path, mode, what, error)
        fd = os.open(path, os.O_RDONLY | NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise error(f"{path}: no such {what} file") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _refuse(path, mode, what, error)
    if NONBLOCK:
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_input(path: str | Path, what: str, max_bytes: int, error: type[VaeExplorerError] = DataError) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is one ``error`` line."""
    path = Path(path)
    with open_input(path, what, error) as fh:
        size = os.fstat(fh.fileno()).st_size
        # read(n) allocates n bytes first: ask for what the file holds (one more shows it grew meanwhile)
        data = b"" if size > max_bytes else _read(fh, path, size + 1, error)
    if size > max_bytes or len(data) > max_bytes:
        raise error(
            f"{path}: {max(size, len(data)) / MiB:,.1f} MiB is more than {_a(what)} file may hold "
            f"({max_bytes / MiB:,.0f} MiB)"
        )
    return data


def _read(fh: BinaryIO, path: Path, n: int, error: type[VaeExplorerError]) -> bytes:
    try:
        return fh.read(n)
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_text(path: str | Path, what: str, max_bytes: int, error: type[VaeExplorerError] = DataError) -> str:
    """A regular file of UTF-8 text (a byte-order mark is allowed); other encodings are one ``error`` line."""
    data = read_input(path, what, max_bytes, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
