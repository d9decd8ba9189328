"""Drawing cartoon faces with numpy: signed distance fields over the pixel grid, anti-aliased.

Every shape is a signed distance (negative inside) computed for a whole chunk of
faces at once, over the box of pixels the shape can reach, and blended with a
coverage of ``0.5 - distance / pixel``. Shapes are laid out on a 32-unit canvas,
whatever the image size. :func:`draw_faces` takes the factors as named columns
(see :mod:`.faces`).
"""

from __future__ import annotations

import numpy as np

SIZE = 32
CANVAS = 32.0  # shapes are laid out on a 32-unit canvas whatever the image size
CENTER = (16.0, 17.0)  # the unshifted face centre on that canvas
MAX_SHIFT = 2.0  # how far a face may be shifted each way, in canvas units
CHUNK = 2000
MOUTH_HALF_WIDTH, MOUTH_BEND = 5.5, 4.2

_HAIR_RGB = np.array([[35, 30, 30], [115, 70, 35], [225, 190, 100], [165, 165, 170]], np.float32) / 255
_SKIN_RGB = np.array([[250, 222, 195], [120, 78, 52]], np.float32) / 255
_BACK_RGB = np.array([[80, 120, 185], [235, 200, 140]], np.float32) / 255
_EYE_WHITE = np.array([245, 245, 245], np.float32) / 255
_DARK = np.array([25, 25, 35], np.float32) / 255
_MOUTH = np.array([90, 15, 30], np.float32) / 255
_BLUSH = np.array([235, 105, 120], np.float32) / 255
_LENS = np.array([200, 225, 240], np.float32) / 255


def _col(factors: dict[str, np.ndarray], name: str) -> np.ndarray:
    """One factor as ``(n, 1, 1) float32``, ready to broadcast over the pixel grid."""
    return np.asarray(factors[name], dtype=np.float32)[:, None, None]


def _ellipse_sdf(x: np.ndarray, y: np.ndarray, a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Approximate signed distance to the ellipse of semi-axes ``a, b`` centred at the origin."""
    gx, gy = x / (a * a), y / (b * b)
    f = np.sqrt((x / a) ** 2 + (y / b) ** 2)
    return (f - 1.0) * f / np.maximum(np.sqrt(gx * gx + gy * gy), 1e-3)


def _mouth_curves(x: np.ndarray, smile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mouth's upper and lower edge at ``x`` (relative to its centre) -> ``(upper, lower)`` heights.

    The lower edge bends by ``smile`` (down in the middle for a smile, up for a
    frown); the upper edge stays nearly straight when smiling, so the mouth opens
    wide, and follows the lower one when frowning, a closed line. Both meet at
    the corners, and the mouth stays centred as it bends.
    """
    u2 = np.minimum((x / MOUTH_HALF_WIDTH) ** 2, 1.0)
    lower_k = smile * MOUTH_BEND
    upper_k = np.where(smile > 0, 0.15 * smile, smile) * MOUTH_BEND
    shift = -0.5 * lower_k
    return shift + upper_k * (1.0 - u2), shift + lower_k * (1.0 - u2)


def _mouth_sdf(x: np.ndarray, y: np.ndarray, upper: np.ndarray, lower: np.ndarray, stroke: float) -> np.ndarray:
    """The region between two edges of the mouth, thickened by ``stroke`` (distances measured across the edges)."""
    slope = 2.0 * MOUTH_BEND * np.abs(x) / MOUTH_HALF_WIDTH**2
    top = (np.minimum(lower, upper) - 0.5 * stroke - y) / np.sqrt(1.0 + slope**2)
    bottom = (y - np.maximum(lower, upper) - 0.5 * stroke) / np.sqrt(1.0 + slope**2)
    ends = np.abs(x) - MOUTH_HALF_WIDTH - 0.3
    return np.maximum(np.maximum(top, bottom), ends)


class _Canvas:
    """A chunk of ``n`` images being drawn, with each face's pixel coordinates relative to its centre.

    Shapes are painted inside a box (in canvas units around the unshifted centre);
    only the pixels a face shifted by up to :data:`MAX_SHIFT` can reach there are
    computed, which keeps small features cheap.
    """

    def __init__(self, factors: dict[str, np.ndarray], size: int, background: np.ndarray) -> None:
        self.size, self.pixel = size, CANVAS / size
        self.grid = (np.arange(size, dtype=np.float32) + 0.5) * self.pixel
        self.cx = CENTER[0] + _col(factors, "shift_x")
        self.cy = CENTER[1] + _col(factors, "shift_y")
        self.image = np.empty((len(factors["smile"]), 3, size, size), np.float32)
        self.image[:] = background[:, :, None, None]

    def _slice(self, low: float, high: float, centre: float) -> slice:
        first = int(np.floor((centre + low - MAX_SHIFT) / self.pixel)) - 1
        last = int(np.ceil((centre + high + MAX_SHIFT) / self.pixel)) + 1
        return slice(max(first, 0), min(max(last, 0), self.size))

    def coords(self, box: tuple[float, float, float, float]) -> tuple[tuple[slice, slice], np.ndarray, np.ndarray]:
        """``(rows, cols), x, y`` over ``box = (left, right, top, bottom)``: ``x, y`` are ``(n, h, w)``."""
        rows = self._slice(box[2], box[3], CENTER[1])
        cols = self._slice(box[0], box[1], CENTER[0])
        x = self.grid[None, None, cols] - self.cx
        y = self.grid[None, rows, None] - self.cy
        x, y = np.broadcast_arrays(x, y)
        return (rows, cols), x, y

    def paint(self, where: tuple[slice, slice], sdf: np.ndarray, rgb: np.ndarray, mask: np.ndarray | None = None):
        """Blend ``rgb`` (``(3,)`` or ``(n, 3)``) where the shape ``sdf: (n, h, w)`` covers the pixels.

        ``mask: (n,)`` (bool, or an opacity in [0, 1]) says which faces have the shape.
        """
        alpha = np.clip(0.5 - sdf / self.pixel, 0.0, 1.0)
        if mask is not None:
            alpha *= mask[:, None, None]
        a = alpha[:, None]
        view = self.image[:, :, where[0], where[1]]
        view *= 1.0 - a
        view += a * rgb.reshape(-1, 3, 1, 1)


def _draw_chunk(factors: dict[str, np.ndarray], size: int) -> np.ndarray:
    """Draw faces from their factors (``(n,)`` columns by name) -> ``float32 (n, 3, size, size)``, back to front."""
    style = factors["hair_style"].astype(int)
    hair = _HAIR_RGB[factors["hair_color"].astype(int)]
    skin_t = factors["skin_tone"][:, None]
    skin = (1.0 - skin_t) * _SKIN_RGB[0] + skin_t * _SKIN_RGB[1]
    back_t = factors["background"][:, None]
    canvas = _Canvas(factors, size, (1.0 - back_t) * _BACK_RGB[0] + back_t * _BACK_RGB[1])
    a, b = 7.0 + 4.5 * _col(factors, "face_width"), 11.5

    where, x, y = canvas.coords((-16, 16, -14, 11))
    canvas.paint(where, np.maximum(_ellipse_sdf(x, y - 2.0, a + 2.6, b + 2.5), y - 9.5), hair, style == 2)
    canvas.paint(where, _ellipse_sdf(x, y, a, b), skin)
    where, x, y = canvas.coords((-13.5, 13.5, -14, -5.5))
    canvas.paint(where, np.maximum(_ellipse_sdf(x, y + 0.6, a + 1.1, b + 1.0), y + 6.6), hair, style > 0)

    where, x, y = canvas.coords((-8.5, 8.5, -6.5, 3.5))
    ex, ey = np.abs(x) - 4.2, y + 1.0  # both eyes, brows and lenses at once: the face is symmetric
    rx = 1.0 + 1.9 * _col(factors, "eye_size")
    canvas.paint(where, _ellipse_sdf(ex, ey, rx, 0.85 * rx), _EYE_WHITE)
    canvas.paint(where, _ellipse_sdf(ex, ey, 0.55 * rx, 0.55 * rx), _DARK)
    canvas.paint(where, np.maximum(np.abs(y + 4.9 + 0.15 * ex**2) - 0.45, np.abs(ex) - 1.8), hair * 0.8)
    glasses = factors["Eyeglasses"] > 0.5
    radius = np.sqrt(ex**2 + ey**2)
    canvas.paint(where, radius - 3.3, _LENS, glasses * 0.4)
    bridge = np.maximum(np.abs(ey + 0.3) - 0.45, np.abs(x) - 1.2)
    canvas.paint(where, np.minimum(np.abs(radius - 3.3) - 0.55, bridge), _DARK, glasses)

    where, x, y = canvas.coords((-8.5, 8.5, 0.0, 11))
    smile = factors["smile"]
    canvas.paint(where, _ellipse_sdf(np.abs(x) - 5.6, y - 2.6, 2.2, 1.7), _BLUSH, 0.7 * np.clip(smile, 0.0, 1.0))
    canvas.paint(where, _ellipse_sdf(x, y - 2.0, 0.8, 0.9), skin * 0.82)
    upper, lower = _mouth_curves(x, _col(factors, "smile"))
    y = y - 6.0
    canvas.paint(where, _mouth_sdf(x, y, upper, lower, 1.5), _MOUTH)
    teeth = upper + np.minimum(1.3, 0.4 * (lower - upper))  # a row of teeth below the upper lip, once open
    canvas.paint(where, _mouth_sdf(x, y, upper, teeth, 0.0), _EYE_WHITE, np.clip(3.0 * smile, 0.0, 1.0))
    return canvas.image


def draw_faces(factors: dict[str, np.ndarray], size: int = SIZE) -> np.ndarray:
    """Draw one face per row of the factor columns (``name -> (n,)``) -> ``uint8 (n, 3, size, size)``."""
    n = len(factors["smile"])
    out = np.empty((n, 3, size, size), np.uint8)
    for start in range(0, n, CHUNK):
        chunk = {name: np.asarray(values[start : start + CHUNK], dtype=np.float32) for name, values in factors.items()}
        drawn = _draw_chunk(chunk, size)
        out[start : start + CHUNK] = np.rint(np.clip(drawn, 0.0, 1.0) * 255.0)
    return out
