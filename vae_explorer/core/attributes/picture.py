"""A traversal grid as a picture to keep: each model's block of samples (rows) by alphas (columns), labelled.

With labels, a band above each block names its model and the alpha of each
column, and a band on the left names each row's sample. A column (or row) is
widened past its image when its label needs the room, so no label overlaps
another and no image is cut. Without labels the picture is the bare grids side
by side, pixel for pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vae_explorer.core.attributes.vectors import side_by_side
from vae_explorer.core.io.images import image_grid, scaled
from vae_explorer.core.io.pixels import to_uint8

FONT_SIZE = 11
LINE = 14  # pixels per line of text
PAD = 1  # pixels between cells, before scaling
BLOCK_GAP = 6  # pixels between two models' bare grids, before scaling
BLOCK_SPACE = 16  # pixels between two models' labelled blocks
MARGIN = 4


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=FONT_SIZE)


def _width(text: str) -> int:
    return int(np.ceil(ImageDraw.Draw(Image.new("L", (1, 1))).textlength(text, font=_font())))


def alpha_text(alpha: float) -> str:
    return f"{alpha:+.2g}" if alpha else "0"


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in pixels of the picture."""

    left: int  # the band of row names
    top: int  # the bands of model names and alphas
    col: int  # pitch of a column (a cell and what follows it)
    row: int  # pitch of a row
    cell: tuple[int, int]  # (height, width) of one enlarged image
    blocks: int
    rows: int
    cols: int

    @property
    def block_width(self) -> int:
        return self.cols * self.col

    def block_x(self, b: int) -> int:
        """Where block ``b`` starts."""
        return self.left + b * (self.block_width + BLOCK_SPACE)

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)`` of the picture."""
        return self.block_x(self.blocks) - BLOCK_SPACE + MARGIN, self.top + self.rows * self.row + MARGIN


def layout(
    blocks: int, rows: int, alphas: np.ndarray, image_shape: tuple[int, int, int], scale: int, row_names: list[str]
) -> Layout:
    """The labelled picture's layout for ``blocks`` grids of ``rows`` x ``len(alphas)`` images of ``image_shape``."""
    h, w = image_shape[1] * scale, image_shape[2] * scale
    col = max(w + PAD * scale, max(_width(alpha_text(a)) for a in alphas) + MARGIN)
    left = max((_width(name) for name in row_names), default=0) + 2 * MARGIN
    return Layout(left, 2 * LINE + MARGIN, col, max(h + PAD * scale, LINE), (h, w), blocks, rows, len(alphas))


def traversal_picture(
    grids: list[np.ndarray],
    alphas: np.ndarray,
    titles: list[str],
    row_names: list[str],
    scale: int = 1,
    labels: bool = True,
) -> Image.Image:
    """One picture of every model's traversal: ``grids[b]: (rows * A, C, H, W)`` images, row by row.

    ``titles[b]`` names block ``b``'s model, ``row_names[r]`` row ``r``'s sample,
    ``alphas: (A,)`` the columns. Each image is enlarged ``scale`` times (nearest).
    """
    n_alpha = len(alphas)
    if not labels:
        tiles = [image_grid(g, len(g) // n_alpha, n_alpha, pad=PAD) for g in grids]
        return scaled(side_by_side(tiles, gap=BLOCK_GAP) if len(tiles) > 1 else tiles[0], scale, "nearest")
    c, h, w = grids[0].shape[1:]
    rows = len(grids[0]) // n_alpha
    lay = layout(len(grids), rows, alphas, (c, h, w), scale, row_names)
    mode = "L" if c == 1 else "RGB"
    white, black = (255, 0) if mode == "L" else ((255, 255, 255), (0, 0, 0))
    picture = Image.new(mode, lay.size, white)
    draw, font = ImageDraw.Draw(picture), _font()
    for r, name in enumerate(row_names[:rows]):
        y = lay.top + r * lay.row + (lay.cell[0] - LINE) // 2
        draw.text((lay.left - MARGIN - _width(name), y), name, fill=black, font=font)
    for b, (grid, title) in enumerate(zip(grids, titles, strict=True)):
        x0 = lay.block_x(b)
        draw.text((x0, 0), title, fill=black, font=font)
        images = grid if grid.dtype == np.uint8 else to_uint8(grid)
        for a, alpha in enumerate(alphas):
            x = x0 + a * lay.col
            text = alpha_text(float(alpha))
            draw.text((x + (lay.cell[1] - _width(text)) // 2, LINE), text, fill=black, font=font)
            for r in range(rows):
                picture.paste(scaled(images[r * n_alpha + a], scale, "nearest"), (x, lay.top + r * lay.row))
    return picture
