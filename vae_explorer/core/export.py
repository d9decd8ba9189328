"""Files a user takes away: image grids, PNG strips, codes, Embedding Projector TSV.

Every write goes to a temporary file beside the target and is renamed over it,
so a failed export never leaves a broken file or destroys an older one.
"""

from __future__ import annotations

import io
import os
import re
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


def file_stem(name: str | None, default: str) -> str:
    """A file name made from a user's ``name`` (a vector's, say): runs of other characters become ``_``."""
    return re.sub(r"[^\w.-]+", "_", name or default).strip("_") or default


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
    im = _scaled(image, scale, "nearest")
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


# -- morphs: animated GIF and PNG strip ------------------------------------------------------------
RESAMPLING = {"nearest": Image.Resampling.NEAREST, "smooth": Image.Resampling.BICUBIC}
MAX_SCALE = 16
GIF_MAX_FPS = 50.0  # GIF delays are whole hundredths of a second, and viewers slow down delays under 2
LABEL_HEIGHT = 14


def gif_frame_ms(fps: float) -> int:
    """How long one frame shows, in ms, for ``fps`` frames a second: GIF stores hundredths of a second."""
    if not 0 < fps <= GIF_MAX_FPS:
        raise ExportError(f"a GIF plays at more than 0 and at most {GIF_MAX_FPS:g} frames a second, not {fps:g}")
    return 10 * max(2, round(100.0 / fps))


def pingpong_order(n: int) -> list[int]:
    """Frames ``0 .. n-1`` then back ``n-2 .. 1``: looping it never shows an end frame twice."""
    return list(range(n)) + list(range(n - 2, 0, -1))


def _scaled(image: np.ndarray, scale: int, resample: str) -> Image.Image:
    im = to_pil(image)
    if scale > 1:
        im = im.resize((im.width * scale, im.height * scale), RESAMPLING[resample])
    return im


def check_scaling(scale: int, resample: str) -> None:
    """Raise :class:`ExportError` unless frames can be enlarged ``scale`` times with ``resample``."""
    if not 1 <= scale <= MAX_SCALE:
        raise ExportError(f"scale must be 1 to {MAX_SCALE}, not {scale}")
    if resample not in RESAMPLING:
        raise ExportError(f"unknown resampling {resample!r}: use {' or '.join(RESAMPLING)}")


def morph_frame_images(
    rows: list[np.ndarray],
    scale: int = 4,
    resample: str = "nearest",
    titles: list[str] | None = None,
    labels: bool = False,
    gap: int = 4,
) -> list[Image.Image]:
    """One picture per frame: each model's frame, side by side, enlarged ``scale`` times.

    ``rows``: one ``(n, C, H, W)`` array per model (float in [0, 1] or uint8), all of
    one shape. With ``labels`` a band under the images names each model (from
    ``titles``) and the frame number. Returns ``n`` PIL images (L or RGB) of size
    ``(m W scale + (m - 1) gap, H scale [+ band])``.
    """
    from PIL import ImageDraw, ImageFont

    if not rows:
        raise ValueError("no frames to draw")
    check_scaling(scale, resample)
    n, c, h, w = rows[0].shape
    mode = "L" if c == 1 else "RGB"
    cell_w, cell_h = w * scale, h * scale
    width = len(rows) * cell_w + (len(rows) - 1) * gap
    height = cell_h + (LABEL_HEIGHT if labels else 0)
    font = ImageFont.load_default(size=11) if labels else None
    white, black = (255 if mode == "L" else (255, 255, 255)), (0 if mode == "L" else (0, 0, 0))
    out = []
    for i in range(n):
        frame = Image.new(mode, (width, height), white)
        for m, row in enumerate(rows):
            frame.paste(_scaled(row[i], scale, resample), (m * (cell_w + gap), 0))
        if labels:
            draw = ImageDraw.Draw(frame)
            number = f"{i + 1}/{n}"
            number_w = draw.textlength(number, font=font)
            for m, title in enumerate(titles or []):
                x0 = m * (cell_w + gap) + 2
                room = cell_w - 4 - (number_w + 6 if m == len(rows) - 1 else 0)
                if draw.textlength(title, font=font) <= room:
                    draw.text((x0, cell_h + 1), title, fill=black, font=font)
            draw.text((width - number_w - 2, cell_h + 1), number, fill=black, font=font)
        out.append(frame)
    return out


def _palette_frames(frames: list[Image.Image]) -> list[Image.Image]:
    """Colour frames on one shared 256-colour palette (grey frames are written as they are)."""
    if frames[0].mode == "L":
        return frames
    sheet = Image.new("RGB", (frames[0].width, frames[0].height * min(len(frames), 16)))
    step = max(1, len(frames) // 16)
    for k, frame in enumerate(frames[::step][:16]):
        sheet.paste(frame, (0, k * frames[0].height))
    palette = sheet.quantize(256, method=Image.Quantize.MEDIANCUT)
    return [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]


def save_gif(
    path: str | Path, frames: list[Image.Image], fps: float = 20.0, loop: bool = True, pingpong: bool = False
) -> Path:
    """Write an animated GIF of ``frames`` at ``fps``, atomically.

    ``loop`` plays it forever, else once; ``pingpong`` plays it forward then back
    (:func:`pingpong_order`). The encoder merges a frame identical to the one before
    into that one, shown for both frames' time, so the animation plays the same.
    """
    path = check_writable(path)
    duration = gif_frame_ms(fps)
    if len(frames) < 2:
        raise ExportError(f"cannot write {path}: an animation needs at least 2 frames")
    order = pingpong_order(len(frames)) if pingpong else list(range(len(frames)))
    frames = _palette_frames(frames)
    seq = [frames[i] for i in order]
    buf = io.BytesIO()
    # optimize=False: for these frames the palette and transparency search costs time and saves nothing.
    options = {"save_all": True, "append_images": seq[1:], "duration": duration, "disposal": 1, "optimize": False}
    if loop:
        options["loop"] = 0
    seq[0].save(buf, format="GIF", **options)
    _write_bytes(path, buf.getvalue())
    return path


def save_strip(path: str | Path, rows: list[np.ndarray], scale: int = 1, pad: int = 1) -> Path:
    """Write a PNG of every frame in a row, one row per model (``rows``: ``(n, C, H, W)`` each)."""
    stacked = np.concatenate([r if r.dtype == np.uint8 else to_uint8(r) for r in rows])
    return save_png(path, image_grid(stacked, len(rows), len(rows[0]), pad=pad), scale=scale)
