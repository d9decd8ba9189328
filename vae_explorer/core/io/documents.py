"""Small JSON documents the user keeps (morph recipes, attribute vectors): versioned, atomic."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.safe_read import MiB, read_text
from vae_explorer.core.io.safe_write import check_writable, write_bytes

MAX_BYTES = 64 * MiB  # a recipe is a few hundred bytes, a vector a few KB per model


def write_document(path: str | Path, blob: dict[str, Any], indent: int = 2, inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``blob`` as JSON to ``path`` atomically; ExportError when it cannot, or ``path`` is one of ``inputs``.

    JSON has no NaN or infinity: a document holding one is refused, never written
    as a file other programs cannot read.
    """
    inputs = list(inputs)
    path = check_writable(path, inputs)
    try:
        text = json.dumps(blob, indent=indent, allow_nan=False)
    except ValueError:
        raise ExportError(f"cannot write {path}: it would hold a value that is not a finite number") from None
    write_bytes(path, (text + "\n").encode("utf-8"), inputs)
    return path


def read_document(path: str | Path, fmt: str, version: int, kind: str) -> dict[str, Any]:
    """Read a JSON document of format ``fmt`` and at most ``version``; ``kind`` names it in messages.

    Every failure is a one-line :class:`DataError` naming the file.
    """
    path = Path(path)
    text = read_text(path, kind, MAX_BYTES)
    try:
        blob = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DataError(f"{path}: not a readable {kind} file ({exc.__class__.__name__})") from None
    if not isinstance(blob, dict) or blob.get("format") != fmt:
        raise DataError(f"{path}: not a vae-explorer {kind} file")
    found = blob.get("format_version")
    if not isinstance(found, int) or isinstance(found, bool) or found > version:
        raise DataError(f"{path}: {kind} format {found} is newer than this vae-explorer reads")
    return blob
