"""Shapes drawn on a map: Gaussian ellipses through a linear projection, and tile grids."""

from __future__ import annotations

import numpy as np

from vae_explorer.core.latent.projection import Projection


def linear_map(projection: Projection, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """``(offset (2,), J (dim, 2))`` with ``forward(z) = offset + z @ J`` for a linear projection."""
    eye = np.vstack([np.zeros(dim), np.eye(dim)])
    pts = projection.forward(eye)
    return pts[0], pts[1:] - pts[0]


def gaussian_ellipse(
    projection: Projection, mean: np.ndarray, var: np.ndarray, n_sigma: float = 1.0, n: int = 96
) -> np.ndarray:
    """The ``n_sigma`` contour of N(mean, diag(var)) seen through a linear ``projection`` -> ``(n, 2)``."""
    mean = np.asarray(mean, dtype=np.float64).reshape(-1)
    _, jac = linear_map(projection, len(mean))
    cov = jac.T @ (np.asarray(var, dtype=np.float64).reshape(-1, 1) * jac)
    vals, vecs = np.linalg.eigh(cov)
    t = np.linspace(0.0, 2.0 * np.pi, n)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1)
    return projection.forward(mean)[0] + n_sigma * (circle * np.sqrt(np.maximum(vals, 0.0))) @ vecs.T


def grid_centres(x0: float, x1: float, y0: float, y1: float, k: int, rows: int | None = None) -> np.ndarray:
    """Centres of a grid of ``rows`` (default ``k``) by ``k`` cells over a rectangle, row by row from the top.

    Returns ``(rows * k, 2)``.
    """
    rows = k if rows is None else rows
    xs = x0 + (np.arange(k) + 0.5) * (x1 - x0) / k
    ys = y1 - (np.arange(rows) + 0.5) * (y1 - y0) / rows
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def mosaic(images: np.ndarray, k: int, pad: int = 0, fill: float = 1.0, rows: int | None = None) -> np.ndarray:
    """``(rows * k, C, H, W)`` tiles, row by row, ``k`` a row -> one ``(C, rows (H + pad) - pad, k (W + pad) - pad)``
    image (``rows`` defaults to ``k``).

    ``pad`` pixels of ``fill`` separate neighbouring tiles.
    """
    n, c, h, w = images.shape
    rows = k if rows is None else rows
    out = np.full((c, rows * (h + pad) - pad, k * (w + pad) - pad), fill, dtype=images.dtype)
    for idx in range(n):
        r, q = divmod(idx, k)
        out[:, r * (h + pad) : r * (h + pad) + h, q * (w + pad) : q * (w + pad) + w] = images[idx]
    return out


MAX_CELLS_PER_K = 3  # a very long view gets at most 3 k tiles along its long side


def square_grid(
    rect: tuple[float, float, float, float], k: int, aspect: float = 1.0
) -> tuple[tuple[float, float, float, float], int, int]:
    """A grid of cells shaped like the images over ``rect = (x0, y0, width, height)`` of a map.

    ``k`` cells along the view's shorter side (in cells), cells ``aspect`` (image
    width / height) times as wide as high, so a tile shows its pixels square on an
    aspect-locked map. Returns the grid's rectangle (centred on ``rect``, covering it)
    and its ``(columns, rows)``.
    """
    x0, y0, width, height = rect
    cell_h = min(height, width / aspect) / k
    cell_w = aspect * cell_h
    cols = min(MAX_CELLS_PER_K * k, max(1, int(np.ceil(width / cell_w - 1e-9))))
    rows = min(MAX_CELLS_PER_K * k, max(1, int(np.ceil(height / cell_h - 1e-9))))
    gw, gh = cols * cell_w, rows * cell_h
    return (x0 + (width - gw) / 2, y0 + (height - gh) / 2, gw, gh), cols, rows
