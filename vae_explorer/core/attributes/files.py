"""Attribute vectors saved by name: one JSON file with the definition, the diagnostics and the values.

A file holds one vector made in one or two models' spaces. Each entry names the
checkpoint it was made with (file name and content digest), so loading it
beside another model can say so, and recompute it there when its groups allow.
Writes are atomic.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from vae_explorer._version import __version__
from vae_explorer.core.attributes.spec import groups_from_dict
from vae_explorer.core.attributes.vectors import AttributeVector, VectorEntry
from vae_explorer.core.errors import DataError
from vae_explorer.core.io.documents import read_document, write_document

FORMAT = "vae-explorer-attribute-vector"
FORMAT_VERSION = 1


def _entry_to_dict(slot: str, e: VectorEntry) -> dict[str, Any]:
    return {
        "slot": slot,
        "model": e.model,
        "digest": e.digest,
        "kind": e.kind,
        "latent_dim": e.latent_dim,
        "n_pos": e.n_pos,
        "n_neg": e.n_neg,
        "norm": e.norm,
        "auc": None if math.isnan(e.auc) else e.auc,
        "values": [float(x) for x in np.asarray(e.values, dtype=np.float32)],
    }


def vector_to_dict(vector: AttributeVector) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": vector.name,
        "groups": None if vector.groups is None else vector.groups.to_dict(),
        "description": vector.description,
        "data": vector.data,
        "balanced": vector.balanced,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": __version__,
        "vectors": [_entry_to_dict(slot, e) for slot, e in vector.entries.items()],
    }


def save_vector(path: str | Path, vector: AttributeVector) -> Path:
    """Write ``vector`` as JSON, atomically; raises :class:`ExportError` when it cannot."""
    return write_document(path, vector_to_dict(vector), indent=1)


def _entry_from_dict(d: dict[str, Any]) -> VectorEntry:
    values = np.asarray(d["values"], dtype=np.float32)
    if values.ndim != 1 or not len(values) or not np.all(np.isfinite(values)):
        raise ValueError("values must be a non-empty list of finite numbers")
    auc = d.get("auc")
    return VectorEntry(
        values,
        str(d.get("model", "")),
        str(d.get("digest", "")),
        str(d.get("kind", "")),
        int(d.get("n_pos", 0)),
        int(d.get("n_neg", 0)),
        float("nan") if auc is None else float(auc),
    )


def load_vector(path: str | Path) -> AttributeVector:
    """Read a vector file; every failure is a one-line :class:`DataError` naming the file."""
    path = Path(path)
    blob = read_document(path, FORMAT, FORMAT_VERSION, "attribute vector")
    try:
        groups = groups_from_dict(blob["groups"]) if blob.get("groups") else None
    except (DataError, KeyError, TypeError):
        groups = None  # the values are still usable
    try:
        entries = {}
        for i, d in enumerate(blob["vectors"]):
            entries[str(d.get("slot") or i)] = _entry_from_dict(d)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: invalid vector entry ({exc})") from None
    if not entries:
        raise DataError(f"{path}: holds no vector values")
    name = str(blob.get("name") or path.stem)
    description, data = str(blob.get("description", "")), str(blob.get("data", ""))
    return AttributeVector(name, groups, description, data, entries, blob.get("balanced") is True)


def find_entry(vector: AttributeVector, digest: str, kind: str, latent_dim: int) -> tuple[VectorEntry | None, bool]:
    """The entry made with the checkpoint ``digest`` (``exact=True``), else one of the same kind and size.

    Returns ``(entry or None, exact)``.
    """
    entries = [e for e in vector.entries.values() if e.latent_dim == latent_dim]
    for e in entries:
        if digest and e.digest == digest:
            return e, True
    same_kind = [e for e in entries if e.kind == kind]
    pick = same_kind or entries
    return (pick[0], False) if pick else (None, False)
