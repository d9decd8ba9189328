"""The code a model file may run besides its own: the modules an import can reach in its folder.

A model file runs with its folder first on the import path, so ``import helper``
runs ``helper.py`` beside it and ``import pkg.part`` runs files below it. Trust
covers those too: their digests join the file's own in the digest the user says
yes to (:func:`trust_digest`), so a changed helper is asked about again. Bytecode
in ``__pycache__`` is never read while a model file runs (:func:`fresh_bytecode`),
so only sources, sourceless ``.pyc`` files and extension modules are hashed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vae_explorer.core.errors import ModelFileError
from vae_explorer.core.io.safe_read import MiB, open_input

MAX_FILES = 2_000
MAX_BYTES = 256 * MiB
MAX_ENTRIES = 100_000  # directory entries looked at in all
MAX_DEPTH = 8
SUFFIXES = tuple(sorted(importlib.machinery.all_suffixes(), key=len, reverse=True))  # .py, .pyc, .so, ...
DIGEST_FORMAT = b"vae-explorer model file and modules 1\n"


def _module_name(name: str) -> bool:
    """Whether a file of this name can be imported: an identifier before an import suffix."""
    suffix = next((s for s in SUFFIXES if name.endswith(s)), None)
    return suffix is not None and name[: -len(suffix)].split(".")[0].isidentifier()


def _too_many(folder: Path, what: str) -> ModelFileError:
    return ModelFileError(
        f"{folder}: holds {what} to check what a model file there may import; "
        "put the model file and its modules in a folder of their own"
    )


def importable_files(folder: Path, skip: Path) -> list[Path]:
    """The files below ``folder`` that ``import`` may run (relative paths, sorted), but ``skip``.

    Sub-folders count when their name can be a package's (``__pycache__`` and hidden
    ones cannot); links are followed, once each. More than the limits is one line.
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    entries = 0
    pending = [(folder, 0)]
    while pending:
        current, depth = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(current) as listing:
                children = list(listing)
        except OSError:
            continue  # a folder that cannot be listed cannot be imported from either
        entries += len(children)
        if entries > MAX_ENTRIES:
            raise _too_many(folder, f"more than {MAX_ENTRIES:,} files and folders")
        for entry in children:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir and entry.name.isidentifier() and entry.name != "__pycache__" and depth < MAX_DEPTH:
                pending.append((path, depth + 1))
            elif not is_dir and _module_name(entry.name) and path != skip:
                found.append(path.relative_to(folder))
        if len(found) > MAX_FILES:
            raise _too_many(folder, f"more than {MAX_FILES:,} Python modules")
    return sorted(found)


def module_digests(model: Path) -> tuple[tuple[str, str], ...]:
    """``(relative path, SHA-256)`` of every module beside the model file at ``model`` that it may import."""
    folder = model.resolve().parent
    digests, total = [], 0
    for rel in importable_files(folder, model.resolve()):
        with open_input(folder / rel, "Python module", ModelFileError) as fh:
            total += os.fstat(fh.fileno()).st_size
            if total > MAX_BYTES:
                raise _too_many(folder, f"more than {MAX_BYTES // MiB} MiB of Python modules")
            digests.append((rel.as_posix(), hashlib.file_digest(fh, "sha256").hexdigest()))
    return tuple(digests)


def trust_digest(own: str, modules: tuple[tuple[str, str], ...]) -> str:
    """The digest trust is given to: the file's own SHA-256 alone, or with its modules' (names and contents)."""
    if not modules:
        return own  # a model file alone: the digest earlier versions kept a yes for
    h = hashlib.sha256(DIGEST_FORMAT + own.encode() + b"\n")
    for name, digest in modules:
        h.update(f"{digest}  {name}\n".encode())
    return h.hexdigest()


@contextlib.contextmanager
def fresh_bytecode() -> Iterator[None]:
    """Imports in the block compile from the sources that were hashed: no ``__pycache__`` is read or written."""
    prefix, written = sys.pycache_prefix, sys.dont_write_bytecode
    empty = tempfile.mkdtemp(prefix="vae-explorer-bytecode-")
    os.chmod(empty, stat.S_IRWXU)
    sys.pycache_prefix, sys.dont_write_bytecode = empty, True
    try:
        yield
    finally:
        sys.pycache_prefix, sys.dont_write_bytecode = prefix, written
        shutil.rmtree(empty, ignore_errors=True)
