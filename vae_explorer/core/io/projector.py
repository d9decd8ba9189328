"""Codes a user takes away: ``.npz`` arrays and the Embedding Projector's TSV files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from vae_explorer.core.errors import ExportError
from vae_explorer.core.io.images import image_grid, to_pil
from vae_explorer.core.io.safe_write import check_writable, write_bytes

SPRITE_MAX_SIDE = 8192  # the Embedding Projector's limit for a sprite image


def save_codes(path: str | Path, **arrays: np.ndarray) -> Path:
    """Write arrays to one ``.npz`` file, atomically."""
    path = check_writable(path)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    write_bytes(path, buf.getvalue())
    return path


def write_projector_tsv(
    folder: str | Path,
    codes: np.ndarray,
    labels: list[str] | None = None,
    images: np.ndarray | None = None,
    tensor_name: str = "codes",
) -> list[Path]:
    """TensorBoard Embedding Projector files: ``vectors.tsv``, ``metadata.tsv``, and a sprite.

    ``codes: (N, d)``; ``labels``: one name per row; ``images: uint8 (N, C, H, W)``
    adds ``sprite.png`` (when it fits the projector's 8192-pixel limit) and a
    ``projector_config.pbtxt`` tying them together. Returns the files written.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
    written = []
    vec = "\n".join("\t".join(f"{v:.6g}" for v in row) for row in np.asarray(codes)) + "\n"
    write_bytes(folder / "vectors.tsv", vec.encode())
    written.append(folder / "vectors.tsv")
    config = [f'embeddings {{\n  tensor_name: "{tensor_name}"\n  tensor_path: "vectors.tsv"']
    if labels is not None:
        meta = "index\tlabel\n" + "".join(f"{i}\t{name}\n" for i, name in enumerate(labels))
        write_bytes(folder / "metadata.tsv", meta.encode())
        written.append(folder / "metadata.tsv")
        config.append('  metadata_path: "metadata.tsv"')
    if images is not None and len(images):
        n, _, h, w = images.shape
        cols = int(np.ceil(np.sqrt(n)))
        if cols * max(h, w) <= SPRITE_MAX_SIDE:
            sprite = image_grid(images, int(np.ceil(n / cols)), cols, pad=0, fill=0)
            buf = io.BytesIO()
            to_pil(sprite).save(buf, format="PNG")
            write_bytes(folder / "sprite.png", buf.getvalue())
            written.append(folder / "sprite.png")
            config.append(
                f'  sprite {{\n    image_path: "sprite.png"\n    single_image_dim: {w}\n    single_image_dim: {h}\n  }}'
            )
    config.append("}\n")
    write_bytes(folder / "projector_config.pbtxt", "\n".join(config).encode())
    written.append(folder / "projector_config.pbtxt")
    return written
