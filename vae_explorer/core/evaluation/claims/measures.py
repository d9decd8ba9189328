"""The claims' measures on plain arrays: the data's box on a map, a Gaussian fit's KL, spreads, morph steps.

Pure functions with known answers on small inputs; the claims (:mod:`.space`,
:mod:`.decodes`, :mod:`.factors`) feed them a model's codes and decoded images.
Shapes: codes ``(n, d)``, map points ``(n, 2)``, images ``(..., C, H, W)`` float in [0, 1].
"""

from __future__ import annotations

import numpy as np

BOX_PERCENTILES = (1.0, 99.0)  # the data's region of a map: where 98% of its points lie along each axis
MARGIN = 0.1  # two numbers within 10% of the larger are level


def data_box(points: np.ndarray, percentiles: tuple[float, float] = BOX_PERCENTILES) -> tuple[np.ndarray, np.ndarray]:
    """The box of ``points (n, 2)`` between two percentiles along each axis -> ``(low (2,), high (2,))``."""
    p = np.asarray(points, dtype=np.float64)
    return np.percentile(p, percentiles[0], axis=0), np.percentile(p, percentiles[1], axis=0)


def grid_in_box(low: np.ndarray, high: np.ndarray, side: int) -> np.ndarray:
    """``side x side`` evenly spaced points from ``low`` to ``high`` (edges included), row by row -> ``(side^2, 2)``."""
    xs = np.linspace(low[0], high[0], side)
    ys = np.linspace(low[1], high[1], side)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def gaussian_kl_to_standard(codes: np.ndarray, variances: np.ndarray | None = None) -> float:
    """KL(N(m, S) || N(0, I)) in nats, ``m, S`` the codes' mean and (maximum-likelihood) covariance.

    ``0.5 (tr S + |m|^2 - d - log det S)``: 0 only for codes spread exactly as the
    prior; it grows with the codes' distance from the origin and with a covariance
    wider or narrower than I. Infinite for codes that fill fewer than ``d`` dimensions.
    ``variances (n, d)``: each code's own posterior variance, for the Gaussian fit of
    the whole clouds (the aggregate posterior): ``S`` gains their mean on its diagonal.
    """
    z = np.asarray(codes, dtype=np.float64)
    d = z.shape[1]
    m = z.mean(axis=0)
    cov = np.atleast_2d(np.cov(z, rowvar=False, bias=True))
    if variances is not None:
        cov = cov + np.diag(np.asarray(variances, dtype=np.float64).mean(axis=0))
    sign, logdet = np.linalg.slogdet(cov)
    if sign <= 0:
        return float("inf")
    return float(0.5 * (np.trace(cov) + m @ m - d - logdet))


def mean_norm(codes: np.ndarray) -> float:
    """The mean length of the codes ``(n, d)``; about sqrt(d) for codes drawn from N(0, I)."""
    return float(np.linalg.norm(np.asarray(codes, dtype=np.float64), axis=1).mean())


def cloud_ratio(mu: np.ndarray, logvar: np.ndarray, dims: np.ndarray | None = None) -> float:
    """How large a posterior cloud is against the spread of the codes: ``sqrt(sum E[sigma^2] / sum Var[mu])``.

    Over the dimensions ``dims`` (default all; pass the active ones: a collapsed
    dimension has sigma 1 and no spread). 0 for points; 1 for clouds as wide as
    the codes' whole spread.
    """
    mu, logvar = np.asarray(mu, dtype=np.float64), np.asarray(logvar, dtype=np.float64)
    if dims is not None:
        mu, logvar = mu[:, dims], logvar[:, dims]
    spread = float(mu.var(axis=0).sum())
    return float(np.sqrt(np.exp(logvar).mean(axis=0).sum() / spread)) if spread > 0 else float("nan")


def spread_across(images: np.ndarray) -> float:
    """The mean pixel standard deviation across axis 1 of ``images (groups, k, C, H, W)``: how much k images differ."""
    return float(np.asarray(images, dtype=np.float64).std(axis=1).mean())


def step_ratios(frames: np.ndarray) -> tuple[float, float]:
    """How evenly morphs move: frame-to-frame pixel distances over the distance of their ends.

    ``frames (pairs, F, C, H, W)``. Per pair, every step's L2 distance divided by
    that of the first and last frame; returns the mean over pairs of the steps'
    mean and of their largest. A straight cross-fade gives ``1 / (F - 1)`` for both;
    a jump from A to B at one step gives a largest step of 1. Pairs whose ends
    decode alike are left out (``nan`` when all are).
    """
    f = np.asarray(frames, dtype=np.float64).reshape(frames.shape[0], frames.shape[1], -1)
    steps = np.linalg.norm(np.diff(f, axis=1), axis=2)  # (pairs, F - 1)
    ends = np.linalg.norm(f[:, -1] - f[:, 0], axis=1)
    keep = ends > 1e-6
    if not keep.any():
        return float("nan"), float("nan")
    rel = steps[keep] / ends[keep, None]
    return float(rel.mean(axis=1).mean()), float(rel.max(axis=1).mean())


def compare(left: float, right: float, lower_is_better: bool = True, margin: float = MARGIN) -> str:
    """Which of two numbers is better: ``"right"``, ``"left"`` or ``"level"`` (within ``margin`` of the larger)."""
    if np.isnan(left) or np.isnan(right) or left == right:
        return "level"
    if np.isfinite(left) and np.isfinite(right) and abs(left - right) <= margin * max(abs(left), abs(right)):
        return "level"
    right_better = right < left if lower_is_better else right > left
    return "right" if right_better else "left"
