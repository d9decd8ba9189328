"""Codes a user takes away: ``.npz`` arrays and the Embedding Projector's TSV files."""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vae_explorer.core.io.images import image_grid, to_pil
from vae_explorer.core.io.safe_write import check_folder_writable, check_writable, write_bytes, write_folder
from vae_explorer.core.io.text import inert_cell

SPRITE_MAX_SIDE = 8192  # the Embedding Projector's limit for a sprite image
MIN_DIMS = 3  # codes of fewer dimensions get zero columns: the projector's PCA needs three


def save_codes(path: str | Path, *, inputs: Iterable[str | Path] = (), **arrays: np.ndarray) -> Path:
    """Write arrays to one ``.npz`` file, atomically (never over one of ``inputs``)."""
    inputs = list(inputs)
    path = check_writable(path, inputs)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    write_bytes(path, buf.getvalue(), inputs)
    return path


def tsv_field(text: str) -> str:
    """``text`` as one TSV field: tabs and line breaks (which would split it) become spaces, and a cell
    a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@`` first) starts with ``'``."""
    return inert_cell(re.sub(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", " ", text))


def pbtxt_string(text: str) -> str:
    """``text`` as a quoted protocol-buffer text string, quotes, backslashes and line breaks escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def tensor_name_for(name: str) -> str:
    """A tensor name the projector can ask its server for: ``vae+beta4.pt`` -> ``vae_beta4.pt``.

    Letters, digits, ``_``, ``.`` and ``-`` are kept: TensorBoard puts the name into a
    URL unencoded, so ``+``, spaces, ``&`` or ``#`` would name another tensor, or none.
    """
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "codes"


def sprite_layout(n: int, side: int) -> int | None:
    """Cells per row and per column of the square sprite of ``n`` images ``side`` pixels wide, or ``None``.

    The projector reads a sprite as a square grid of ``ceil(sqrt(n))`` cells a side,
    so the sprite is padded to a square even when fewer rows would hold the images;
    ``None`` when it would exceed the projector's 8192 pixels.
    """
    cols = max(1, math.ceil(math.sqrt(n)))
    return cols if cols * side <= SPRITE_MAX_SIDE else None


def _metadata(n: int, columns: dict[str, Sequence[str]]) -> bytes:
    """``metadata.tsv``: a header, then one row per point, the row's index first."""
    names = ["index", *columns]
    lines = ["\t".join(tsv_field(c) for c in names)]
    lines += ["\t".join([str(i), *(tsv_field(str(values[i])) for values in columns.values())]) for i in range(n)]
    return utf8("\n".join(lines) + "\n")


def utf8(text: str) -> bytes:
    """``text`` as UTF-8 that any reader takes: bytes of a file name that are not UTF-8 (which Python holds as
    surrogate escapes) are written as ``\\xNN``, never raised as an error."""
    try:
        raw = text.encode("utf-8", "surrogateescape")  # a file name's own bytes, valid UTF-8 or not
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return text.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace").encode("utf-8")


def projector_files(
    codes: np.ndarray,
    labels: list[str] | None = None,
    images: np.ndarray | None = None,
    tensor_name: str = "codes",
    columns: dict[str, Sequence[str]] | None = None,
) -> dict[str, bytes]:
    """The Embedding Projector's files, name -> contents (see :func:`write_projector_tsv`)."""
    codes = np.asarray(codes)
    if codes.shape[1] < MIN_DIMS:  # the projector's PCA shows nothing for fewer than 3 dimensions
        codes = np.pad(codes, ((0, 0), (0, MIN_DIMS - codes.shape[1])))
    n, d = codes.shape
    name = tensor_name_for(tensor_name)
    files = {"vectors.tsv": ("\n".join("\t".join(f"{v:.6g}" for v in row) for row in codes) + "\n").encode()}
    config = [f'embeddings {{\n  tensor_name: {pbtxt_string(name)}\n  tensor_path: "vectors.tsv"']
    standalone: dict[str, Any] = {"tensorName": name, "tensorShape": [n, d], "tensorPath": "vectors.tsv"}
    meta = {**({"label": labels} if labels is not None else {}), **(columns or {})}
    if meta:
        files["metadata.tsv"] = _metadata(n, meta)
        config.append('  metadata_path: "metadata.tsv"')
        standalone["metadataPath"] = "metadata.tsv"
    cols = sprite_layout(n, max(images.shape[2:])) if images is not None and len(images) else None
    if cols is not None:
        _, _, h, w = images.shape  # type: ignore[union-attr]
        sprite = image_grid(images, cols, cols, pad=0, fill=0)  # type: ignore[arg-type]
        buf = io.BytesIO()
        to_pil(sprite).save(buf, format="PNG")
        files["sprite.png"] = buf.getvalue()
        config.append(
            f'  sprite {{\n    image_path: "sprite.png"\n    single_image_dim: {w}\n    single_image_dim: {h}\n  }}'
        )
        standalone["sprite"] = {"imagePath": "sprite.png", "singleImageDim": [w, h]}
    config.append("}\n")
    files["projector_config.pbtxt"] = "\n".join(config).encode("utf-8")
    files["projector_config.json"] = (json.dumps({"embeddings": [standalone]}, indent=1) + "\n").encode("utf-8")
    return files


PROJECTOR_FILES = ("vectors.tsv", "metadata.tsv", "sprite.png", "projector_config.pbtxt", "projector_config.json")


def check_projector_folder(folder: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Raise :class:`ExportError` unless ``folder`` can take a projector export (new, empty, or an earlier one)."""
    return check_folder_writable(folder, PROJECTOR_FILES, inputs)


def write_projector_tsv(
    folder: str | Path,
    codes: np.ndarray,
    labels: list[str] | None = None,
    images: np.ndarray | None = None,
    tensor_name: str = "codes",
    inputs: Iterable[str | Path] = (),
    columns: dict[str, Sequence[str]] | None = None,
) -> list[Path]:
    """TensorBoard Embedding Projector files: ``vectors.tsv``, ``metadata.tsv``, a sprite and two configs.

    ``codes: (N, d)`` (with zero columns up to 3 for a smaller ``d``: the projector's
    PCA draws nothing for fewer); ``labels``: one name per row; ``columns``: more metadata
    columns by name (file names, attributes), one value per row; ``images: uint8
    (N, C, H, W)`` adds ``sprite.png`` (a square grid, when it fits the projector's
    8192-pixel limit). ``projector_config.pbtxt`` ties them together for TensorBoard
    (``tensorboard --logdir FOLDER``), ``projector_config.json`` for the standalone
    projector. The tensor is named after ``tensor_name``, made URL-safe. The folder
    is replaced whole or not at all, and must be new, empty, or an earlier export.
    Returns the files written.
    """
    inputs = list(inputs)
    check_projector_folder(folder, inputs)
    files = projector_files(codes, labels, images, tensor_name, columns)
    return write_folder(folder, files, inputs, PROJECTOR_FILES)
