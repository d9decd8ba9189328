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


def grid_centres(x0: float, x1: float, y0: float, y1: float, k: int) -> np.ndarray:
    """Centres of a ``k x k`` grid over a rectangle, row by row from the top -> ``(k * k, 2)``."""
    xs = x0 + (np.arange(k) + 0.5) * (x1 - x0) / k
    ys = y1 - (np.arange(k) + 0.5) * (y1 - y0) / k
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def mosaic(images: np.ndarray, k: int, pad: int = 0, fill: float = 1.0) -> np.ndarray:
    """``(k * k, C, H, W)`` tiles, row by row -> one ``(C, k (H + pad) - pad, k (W + pad) - pad)`` image.

    ``pad`` pixels of ``fill`` separate neighbouring tiles.
    """
    n, c, h, w = images.shape
    out = np.full((c, k * (h + pad) - pad, k * (w + pad) - pad), fill, dtype=images.dtype)
    for idx in range(n):
        r, q = divmod(idx, k)
        out[:, r * (h + pad) : r * (h + pad) + h, q * (w + pad) : q * (w + pad) + w] = images[idx]
    return out
