"""One traversal pipeline, for the Attributes dock and ``vae-explorer traverse``: decode, then draw the grid.

Each model's block is its samples' codes pushed along its vector, decoded in one
batch; the picture puts the blocks side by side, alphas over the columns, the
samples' names by the rows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.model.loaded import Network

from .picture import traversal_picture
from .vectors import traversal_images


@dataclass(frozen=True)
class TraversalBlock:
    """One model's part of the grid: the model, its samples' codes ``(S, d)``, the vector ``(d,)``, its title."""

    model: Network
    base: np.ndarray
    vector: np.ndarray
    title: str


@dataclass(frozen=True)
class Traversal:
    """Every block's decoded images ``(S * A, C, H, W)``, row by row, and how to draw them."""

    images: list[np.ndarray]
    alphas: np.ndarray
    titles: list[str]
    rows: list[str]

    def picture(self, scale: int = 1, labels: bool = True) -> Image.Image:
        """The grid enlarged ``scale`` times; labelled (alphas, models, samples) unless ``labels`` is False."""
        return traversal_picture(self.images, self.alphas, self.titles, self.rows, scale, labels)

    def preview(self) -> np.ndarray:
        """The bare grid as ``uint8 (C, H, W)``, for the screen."""
        grid = np.asarray(self.picture(labels=False))
        return grid[None] if grid.ndim == 2 else grid.transpose(2, 0, 1)


def decode_traversal(
    blocks: list[TraversalBlock], alphas: np.ndarray, rows: list[str], cancel: threading.Event | None = None
) -> Traversal:
    """Decode each block's traversal at ``alphas``; ``rows`` names the samples. Stops between blocks on ``cancel``."""
    images = []
    for block in blocks:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        images.append(traversal_images(block.model, block.base, block.vector, alphas))
    return Traversal(images, np.asarray(alphas), [block.title for block in blocks], rows)
