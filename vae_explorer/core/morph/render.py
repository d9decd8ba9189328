"""A morph's frames as pictures: each model's frame side by side, enlarged, optionally labelled."""

from __future__ import annotations

import numpy as np
from PIL import Image

from vae_explorer.core.io.images import scaled

LABEL_HEIGHT = 14
GAP = 4  # pixels between two models' frames


def frame_size(models: int, image_shape: tuple[int, ...], scale: int, labels: bool) -> tuple[int, int]:
    """``(width, height)`` of one frame :func:`morph_frame_images` draws, known before anything is decoded."""
    h, w = int(image_shape[-2]), int(image_shape[-1])
    return models * w * scale + (models - 1) * GAP, h * scale + (LABEL_HEIGHT if labels else 0)


def morph_frame_images(
    rows: list[np.ndarray],
    scale: int = 4,
    resample: str = "nearest",
    titles: list[str] | None = None,
    labels: bool = False,
    gap: int = GAP,
) -> list[Image.Image]:
    """One picture per frame: each model's frame, side by side, enlarged ``scale`` times.

    ``rows``: one ``(n, C, H, W)`` array per model (float in [0, 1] or uint8), all of
    one shape. With ``labels`` a band under the images names each model (from
    ``titles``) and the frame number. Returns ``n`` PIL images (L or RGB) of size
    ``(m W scale + (m - 1) gap, H scale [+ band])``. ``scale`` and ``resample`` come from checked
    :class:`~vae_explorer.core.morph.pipeline.GifOptions`.
    """
    from PIL import ImageDraw, ImageFont

    if not rows:
        raise ValueError("no frames to draw")
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
            frame.paste(scaled(row[i], scale, resample), (m * (cell_w + gap), 0))
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
