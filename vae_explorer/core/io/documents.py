"""Small JSON documents the user keeps (morph recipes, attribute vectors): versioned, atomic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import DataError
from vae_explorer.core.io.safe_write import check_writable, write_bytes


def write_document(path: str | Path, blob: dict[str, Any], indent: int = 2) -> Path:
    """Write ``blob`` as JSON to ``path`` atomically; raises ExportError when it cannot."""
    path = check_writable(path)
    write_bytes(path, (json.dumps(blob, indent=indent) + "\n").encode("utf-8"))
    return path


def read_document(path: str | Path, fmt: str, version: int, kind: str) -> dict[str, Any]:
    """Read a JSON document of format ``fmt`` and at most ``version``; ``kind`` names it in messages.

    Every failure is a one-line :class:`DataError` naming the file.
    """
    path = Path(path)
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: no such {kind} file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: not a readable {kind} file ({exc.__class__.__name__})") from None
    if not isinstance(blob, dict) or blob.get("format") != fmt:
        raise DataError(f"{path}: not a vae-explorer {kind} file")
    found = blob.get("format_version")
    if not isinstance(found, int) or isinstance(found, bool) or found > version:
        raise DataError(f"{path}: {kind} format {found} is newer than this vae-explorer reads")
    return blob
