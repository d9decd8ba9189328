"""Files a user takes away: image grids, PNG strips, codes, Embedding Projector TSV.

Every write goes to a temporary file beside the target and is renamed over it,
so a failed export never leaves a broken file or destroys an older one.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image

from .checkpoint import atomic_write
from .codes import to_uint8
from .errors import ExportError

SPRITE_MAX_SIDE = 8192  # the Embedding Projector's limit for a sprite image


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, lambda fh: fh.write(data))
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_writable(path: str | Path) -> Path:
    """Raise :class:`ExportError` unless ``path``'s folder exists and is writable."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {path}: folder {folder} is not writable")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    return path


def to_pil(image: np.ndarray) -> Image.Image:
    """One image, ``(C, H, W)`` float in [0, 1] or uint8, -> a PIL image (L or RGB)."""
    arr = image if image.dtype == np.uint8 else to_uint8(image)
    return Image.fromarray(arr[0] if arr.shape[0] == 1 else arr.transpose(1, 2, 0))


def image_grid(images: np.ndarray, rows: int, cols: int, pad: int = 1, fill: int = 255) -> np.ndarray:
    """Tile ``(rows * cols, C, H, W)`` images into one ``uint8 (C, H', W')`` image."""
    imgs = images if images.dtype == np.uint8 else to_uint8(images)
    n, c, h, w = imgs.shape
    if n > rows * cols:
        raise ValueError(f"{n} images do not fit a {rows}x{cols} grid")
    grid = np.full((c, rows * (h + pad) + pad, cols * (w + pad) + pad), fill, np.uint8)
    for k in range(n):
        r, q = divmod(k, cols)
        y, x = pad + r * (h + pad), pad + q * (w + pad)
        grid[:, y : y + h, x : x + w] = imgs[k]
    return grid


def save_png(path: str | Path, image: np.ndarray, scale: int = 1) -> Path:
    """Write one ``(C, H, W)`` image as PNG, enlarged ``scale`` times with nearest neighbours."""
    path = check_writable(path)
    im = to_pil(image)
    if scale > 1:
        im = im.resize((im.width * scale, im.height * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    _write_bytes(path, buf.getvalue())
    return path


def save_codes(path: str | Path, **arrays: np.ndarray) -> Path:
    """Write arrays to one ``.npz`` file, atomically."""
    path = check_writable(path)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    _write_bytes(path, buf.getvalue())
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
    _write_bytes(folder / "vectors.tsv", vec.encode())
    written.append(folder / "vectors.tsv")
    config = [f'embeddings {{\n  tensor_name: "{tensor_name}"\n  tensor_path: "vectors.tsv"']
    if labels is not None:
        meta = "index\tlabel\n" + "".join(f"{i}\t{name}\n" for i, name in enumerate(labels))
        _write_bytes(folder / "metadata.tsv", meta.encode())
        written.append(folder / "metadata.tsv")
        config.append('  metadata_path: "metadata.tsv"')
    if images is not None and len(images):
        n, _, h, w = images.shape
        cols = int(np.ceil(np.sqrt(n)))
        if cols * max(h, w) <= SPRITE_MAX_SIDE:
            sprite = image_grid(images, int(np.ceil(n / cols)), cols, pad=0, fill=0)
            buf = io.BytesIO()
            to_pil(sprite).save(buf, format="PNG")
            _write_bytes(folder / "sprite.png", buf.getvalue())
            written.append(folder / "sprite.png")
            config.append(
                f'  sprite {{\n    image_path: "sprite.png"\n    single_image_dim: {w}\n    single_image_dim: {h}\n  }}'
            )
    config.append("}\n")
    _write_bytes(folder / "projector_config.pbtxt", "\n".join(config).encode())
    written.append(folder / "projector_config.pbtxt")
    return written
