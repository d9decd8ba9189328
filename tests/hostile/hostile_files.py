"""Builders of hostile inputs, and checks of what a refused command must leave behind.

Special files are made only inside a test's own temporary folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import stat
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

# Hypothesis profile of the suite: few enough examples to stay fast, no deadline on a busy machine.
SETTINGS = {"max_examples": 40, "deadline": None, "derandomize": True, "database": None}


def snapshot(folder: Path) -> dict[str, tuple[str, str]]:
    """Every entry under ``folder``: kind and content hash (files), target (links). Equal snapshots: nothing changed."""
    seen = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            mode = os.lstat(p).st_mode
            if stat.S_ISLNK(mode):
                seen[str(p)] = ("link", os.readlink(p))
            elif stat.S_ISREG(mode):
                seen[str(p)] = ("file", hashlib.sha1(p.read_bytes()).hexdigest())
            else:
                seen[str(p)] = (oct(stat.S_IFMT(mode)), "")
    return seen


def make_char_device(path: Path, minor: int = 3) -> Path:
    """A character device like ``/dev/null`` (minor 3) or ``/dev/zero`` (minor 5), at ``path``."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width x height`` pixels (a decompression bomb's shape)."""
    buf = io.BytesIO()
    Image.new("L", (8, 8)).save(buf, format="PNG")
    data = bytearray(buf.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def idx_bytes(shape: tuple[int, ...], payload: bytes = b"", magic_type: int = 0x08) -> bytes:
    """An IDX file declaring ``shape``, followed by ``payload`` (maybe shorter than declared)."""
    head = struct.pack(">BBBB", 0, 0, magic_type, len(shape)) + b"".join(struct.pack(">I", s) for s in shape)
    return head + payload


def assert_one_line(message: str, *names: str) -> None:
    """A user's error: one line that names each of ``names`` (a file or a value)."""
    assert "\n" not in message.strip(), message
    assert "Traceback" not in message
    for name in names:
        assert name in message, f"{name!r} not in {message!r}"
