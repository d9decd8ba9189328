"""Which model files may run: a model file is Python code, so it opens only when the user trusts it.

Trust is given for one file with one content: its path and a digest of its
bytes and of the modules beside it that it may import (see
:mod:`~vae_explorer.core.model.model_folder`). The command line gives it for a
run (``--trust``); the explorer asks once and keeps a yes in
``trusted-models.json`` in the user's config folder, so a file or a module that
changes is asked about again. A recipe pins the digests it recorded: other code
is refused even with ``--trust``, unless ``--trust-changed``. A checkpoint holds
only weights and never needs trust.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from vae_explorer.core.errors import DataError, ExportError, ModelFileError
from vae_explorer.core.io.documents import read_document, write_document
from vae_explorer.core.io.user_dirs import config_dir

FORMAT = "vae-explorer-trusted-models"
FORMAT_VERSION = 1
CLI_HINT = "add --trust to open it (only for a file you wrote or trust)"
CHANGED_FLAG = "--trust-changed"


def file_key(path: str | Path) -> str:
    """A file as trust knows it: its absolute path, links followed."""
    return str(Path(path).expanduser().resolve())


@dataclass
class TrustPolicy:
    """What may run now: any model file (``allow_any``: ``--trust``), or the files in ``approved``.

    ``approved`` maps a :func:`file_key` to the digest the user said yes to;
    ``pinned`` to the digest a recipe recorded, which no other content may replace
    unless ``allow_changed`` (``--trust-changed``); ``hint`` ends the refusal of a
    file that is neither approved nor allowed.
    """

    allow_any: bool = False
    approved: dict[str, str] = field(default_factory=dict)
    hint: str = CLI_HINT
    pinned: dict[str, str] = field(default_factory=dict)
    allow_changed: bool = False

    def check(self, path: Path, digest: str) -> None:
        """Raise a one-line :class:`ModelFileError` unless the file at ``path`` with this content may run."""
        recorded = self.pinned.get(file_key(path))
        if recorded and recorded != digest and not self.allow_changed:
            raise ModelFileError(
                f"{path}: its code (the file or a module beside it) is not what the recipe recorded; "
                f"add {CHANGED_FLAG} only if you trust the code as it is now"
            )
        if self.allow_any:
            return
        yes = self.approved.get(file_key(path))
        if yes == digest:
            return
        if yes is not None:
            raise ModelFileError(f"{path}: changed since you trusted it; open it again to be asked")
        raise ModelFileError(f"{path}: a model file runs the Python code in it; {self.hint}")


class TrustStore:
    """The model files the user said yes to, by path and content, kept across launches.

    A store that cannot be read (damaged, from a newer version) counts as empty and
    is replaced by the next yes.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else config_dir() / "trusted-models.json"

    def _files(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        try:
            files = read_document(self.path, FORMAT, FORMAT_VERSION, "trusted models").get("files")
        except DataError:
            return {}
        if not isinstance(files, dict):
            return {}
        return {k: v for k, v in files.items() if isinstance(v, dict) and isinstance(v.get("sha256"), str)}

    def trusted(self, path: str | Path, digest: str) -> bool:
        """Whether the user said yes to the file at ``path`` with exactly this content (its modules' too)."""
        entry = self._files().get(file_key(path))
        return entry is not None and entry["sha256"] == digest

    def remember(self, path: str | Path, digest: str) -> None:
        """Keep a yes for this file and content (a yes for its earlier content is dropped)."""
        files = self._files()
        files[file_key(path)] = {"sha256": digest, "trusted": dt.datetime.now().isoformat(timespec="seconds")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_document(self.path, {"format": FORMAT, "format_version": FORMAT_VERSION, "files": files})
        except ExportError as exc:
            raise ModelFileError(f"cannot remember that {path} is trusted: {exc}") from None
