"""Paths between latent codes: linear (lerp) and spherical (slerp), through two or more key codes.

Shapes: a code is ``(d,)``, a path ``(n, d) float32``. Every function is pure and
hits its key codes exactly: ``t = 0`` gives ``a`` and ``t = 1`` gives ``b``, bit for
bit, so the first and last frames of a morph decode the keys' own codes.
"""

from __future__ import annotations

import numpy as np

METHODS = ("lerp", "slerp")
# Below this sine of the angle between two codes, a great circle through them is not
# defined (parallel or antiparallel codes) and slerp falls back to lerp.
PARALLEL_SIN = 1e-6


def _inputs(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a64 = np.asarray(a, dtype=np.float64).reshape(-1)
    b64 = np.asarray(b, dtype=np.float64).reshape(-1)
    if a64.shape != b64.shape:
        raise ValueError(f"codes of different sizes: {a64.shape[0]} and {b64.shape[0]}")
    return a64, b64, np.atleast_1d(np.asarray(t, dtype=np.float64)).reshape(-1, 1)


def _exact_ends(out: np.ndarray, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    out = out.astype(np.float32)
    out[t[:, 0] == 0.0] = np.asarray(a, dtype=np.float32).reshape(-1)
    out[t[:, 0] == 1.0] = np.asarray(b, dtype=np.float32).reshape(-1)
    return out


def lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Points on the straight line from ``a`` to ``b``.

    Parameters
    ----------
    a, b : (d,) codes
    t : (n,) or a scalar, 0 at ``a`` and 1 at ``b``

    Returns
    -------
    (n, d) float32: ``(1 - t) a + t b``
    """
    a64, b64, tt = _inputs(a, b, t)
    return _exact_ends((1.0 - tt) * a64 + tt * b64, a, b, tt)


def angle(a: np.ndarray, b: np.ndarray) -> float:
    """The angle between two codes ``(d,)`` in radians, in [0, pi]; 0 when either is zero.

    Computed as ``2 atan2(|a' - b'|, |a' + b'|)`` on the unit vectors ``a'``, ``b'``,
    which stays accurate near 0 and pi, where ``arccos`` of the dot product does not.
    """
    a64 = np.asarray(a, dtype=np.float64).reshape(-1)
    b64 = np.asarray(b, dtype=np.float64).reshape(-1)
    na, nb = np.linalg.norm(a64), np.linalg.norm(b64)
    if na == 0.0 or nb == 0.0:
        return 0.0
    ua, ub = a64 / na, b64 / nb
    return float(2.0 * np.arctan2(np.linalg.norm(ua - ub), np.linalg.norm(ua + ub)))


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Points on the great-circle arc from ``a`` to ``b`` (Shoemake's slerp).

    ``sin((1 - t) w) / sin(w) a + sin(t w) / sin(w) b`` with ``w`` the angle between
    the codes. Between codes of equal norm every point keeps that norm, so the path
    stays in the shell where most of N(0, I)'s mass lies instead of cutting through
    the low-norm middle as lerp does. Where the arc is not defined (``a`` or ``b``
    zero, or the two parallel or antiparallel) it is exactly :func:`lerp`.

    Parameters
    ----------
    a, b : (d,) codes
    t : (n,) or a scalar, 0 at ``a`` and 1 at ``b``

    Returns
    -------
    (n, d) float32
    """
    a64, b64, tt = _inputs(a, b, t)
    w = angle(a64, b64)
    s = np.sin(w)
    if s < PARALLEL_SIN:
        return lerp(a, b, t)
    out = (np.sin((1.0 - tt) * w) / s) * a64 + (np.sin(tt * w) / s) * b64
    return _exact_ends(out, a, b, tt)


def interpolate(a: np.ndarray, b: np.ndarray, t: np.ndarray | float, method: str) -> np.ndarray:
    """:func:`lerp` or :func:`slerp` by name -> ``(n, d) float32``."""
    if method == "lerp":
        return lerp(a, b, t)
    if method == "slerp":
        return slerp(a, b, t)
    raise ValueError(f"unknown interpolation {method!r}: use {' or '.join(METHODS)}")


def key_frames(n_keys: int, frames: int) -> np.ndarray:
    """Frame numbers ``(n_keys,) int`` of the keys of a path of ``frames`` frames.

    The first key is frame 0, the last frame ``frames - 1``, and the segments
    between keys share the frames as evenly as whole frames allow.
    """
    if n_keys < 2:
        raise ValueError(f"a path needs at least 2 key codes, not {n_keys}")
    if frames < n_keys:
        raise ValueError(f"{frames} frames cannot show {n_keys} key codes")
    return np.floor(np.linspace(0, frames - 1, n_keys) + 0.5).astype(np.int64)


def path(keys: np.ndarray, frames: int, method: str = "lerp") -> np.ndarray:
    """A path of ``frames`` codes through ``keys (k, d)`` in order -> ``(frames, d) float32``.

    Each key code is one frame of the path (see :func:`key_frames`), exactly; the
    frames between two keys are :func:`interpolate`'d evenly in ``t``.
    """
    keys = np.asarray(keys)
    if keys.ndim != 2:
        raise ValueError(f"key codes must be (k, d), not {keys.shape}")
    marks = key_frames(len(keys), frames)
    out = np.empty((frames, keys.shape[1]), np.float32)
    for j in range(len(keys) - 1):
        start, stop = int(marks[j]), int(marks[j + 1])
        t = np.arange(stop - start + 1, dtype=np.float64) / (stop - start)
        out[start : stop + 1] = interpolate(keys[j], keys[j + 1], t, method)
    return out
