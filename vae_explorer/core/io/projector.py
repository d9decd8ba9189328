"""Codes a user takes away: ``.npz`` arrays and the Embedding Projector's TSV files."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from vae_explorer.core.io.images import image_grid, to_pil
from vae_explorer.core.io.safe_write import check_folder_writable, check_writable, write_bytes, write_folder

SPRITE_MAX_SIDE = 8192  # the Embedding Projector's limit for a sprite image


def save_codes(path: str | Path, *, inputs: Iterable[str | Path] = (), **arrays: np.ndarray) -> Path:
    """Write arrays to one ``.npz`` file, atomically (never over one of ``inputs``)."""
    inputs = list(inputs)
    path = check_writable(path, inputs)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    write_bytes(path, buf.getvalue(), inputs)
    return path


def tsv_field(text: str) -> str:
    """``text`` as one TSV field: tabs and line breaks (which would split it) become spaces."""
    return re.sub(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", " ", text)


def pbtxt_string(text: str) -> str:
    """``text`` as a quoted protocol-buffer text string, quotes, backslashes and line breaks escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def projector_files(
    codes: np.ndarray,
    labels: list[str] | None = None,
    images: np.ndarray | None = None,
    tensor_name: str = "codes",
) -> dict[str, bytes]:
    """The Embedding Projector's files, name -> contents (see :func:`write_projector_tsv`)."""
    files = {
        "vectors.tsv": ("\n".join("\t".join(f"{v:.6g}" for v in row) for row in np.asarray(codes)) + "\n").encode()
    }
    config = [f'embeddings {{\n  tensor_name: {pbtxt_string(tensor_name)}\n  tensor_path: "vectors.tsv"']
    if labels is not None:
        meta = "index\tlabel\n" + "".join(f"{i}\t{tsv_field(name)}\n" for i, name in enumerate(labels))
        files["metadata.tsv"] = meta.encode("utf-8")
        config.append('  metadata_path: "metadata.tsv"')
    if images is not None and len(images):
        n, _, h, w = images.shape
        cols = int(np.ceil(np.sqrt(n)))
        if cols * max(h, w) <= SPRITE_MAX_SIDE:
            sprite = image_grid(images, int(np.ceil(n / cols)), cols, pad=0, fill=0)
            buf = io.BytesIO()
            to_pil(sprite).save(buf, format="PNG")
            files["sprite.png"] = buf.getvalue()
            config.append(
                f'  sprite {{\n    image_path: "sprite.png"\n    single_image_dim: {w}\n    single_image_dim: {h}\n  }}'
            )
    config.append("}\n")
    files["projector_config.pbtxt"] = "\n".join(config).encode("utf-8")
    return files


PROJECTOR_FILES = ("vectors.tsv", "metadata.tsv", "sprite.png", "projector_config.pbtxt")


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
) -> list[Path]:
    """TensorBoard Embedding Projector files: ``vectors.tsv``, ``metadata.tsv``, and a sprite.

    ``codes: (N, d)``; ``labels``: one name per row; ``images: uint8 (N, C, H, W)``
    adds ``sprite.png`` (when it fits the projector's 8192-pixel limit) and a
    ``projector_config.pbtxt`` tying them together. The folder is replaced whole or
    not at all, and must be new, empty, or an earlier export. Returns the files written.
    """
    inputs = list(inputs)
    check_projector_folder(folder, inputs)
    return write_folder(folder, projector_files(codes, labels, images, tensor_name), inputs, PROJECTOR_FILES)
