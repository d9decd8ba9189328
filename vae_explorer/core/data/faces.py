"""Generated cartoon faces: colour images drawn from independent, known factors.

Every face is drawn from ten factors sampled independently: the mouth's curvature
(``smile``, -1 a frown, +1 a broad open smile), ``Eyeglasses``, ``eye_size``,
``face_width``, ``skin_tone``, ``hair_color`` (black, brown, blond, gray; the
eyebrows show it on a bald head), ``hair_style`` (bald, short, long),
``background`` colour and a small shift (``shift_x``, ``shift_y``, in pixels of
a 32-pixel image). Because the factors are known, a model's codes and its
attribute vectors can be measured against them.

The drawing is vectorised over a chunk of faces: each shape is a signed distance
field over the pixel grid, blended with an anti-aliased coverage, so 60,000
faces take a few seconds. The same seed gives the same faces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vae_explorer.core.io.cache import entry_path, load_entry, save_entry

from .attributes import AttributeTable
from .dataset import Dataset

SIZE = 32
CANVAS = 32.0  # shapes are laid out on a 32-unit canvas whatever the image size
CENTER = (16.0, 17.0)  # the unshifted face centre on that canvas
HAIR_COLORS = ("black", "brown", "blond", "gray")
HAIR_STYLES = ("bald", "short", "long")
HAIR_STYLE_P = (0.2, 0.4, 0.4)
EYEGLASSES_P = 0.4
MAX_SHIFT = 2.0
CHUNK = 2000

_HAIR_RGB = np.array([[35, 30, 30], [115, 70, 35], [225, 190, 100], [165, 165, 170]], np.float32) / 255
_SKIN_RGB = np.array([[250, 222, 195], [120, 78, 52]], np.float32) / 255
_BACK_RGB = np.array([[80, 120, 185], [235, 200, 140]], np.float32) / 255
_EYE_WHITE = np.array([245, 245, 245], np.float32) / 255
_DARK = np.array([25, 25, 35], np.float32) / 255
_MOUTH = np.array([140, 25, 40], np.float32) / 255


@dataclass(frozen=True)
class Factor:
    """One ground-truth factor: ``kind`` is ``continuous``, ``binary`` or ``categorical``.

    ``low`` and ``high`` bound its values; a categorical factor takes the values
    ``0 .. len(levels) - 1`` and ``levels`` names them.
    """

    name: str
    kind: str
    low: float
    high: float
    levels: tuple[str, ...] = ()
    text: str = ""

    @property
    def span(self) -> float:
        return self.high - self.low


FACTORS = (
    Factor("smile", "continuous", -1.0, 1.0, text="mouth curvature, -1 frown to +1 broad smile"),
    Factor("Eyeglasses", "binary", 0.0, 1.0, text="wears glasses"),
    Factor("eye_size", "continuous", 0.0, 1.0, text="eye size, small to large"),
    Factor("face_width", "continuous", 0.0, 1.0, text="face width, narrow to wide"),
    Factor("skin_tone", "continuous", 0.0, 1.0, text="skin tone, light to dark"),
    Factor("hair_color", "categorical", 0.0, 3.0, HAIR_COLORS, "hair colour"),
    Factor("hair_style", "categorical", 0.0, 2.0, HAIR_STYLES, "hair style"),
    Factor("background", "continuous", 0.0, 1.0, text="background colour, blue to sand"),
    Factor("shift_x", "continuous", -MAX_SHIFT, MAX_SHIFT, text="shift right, pixels of a 32-pixel image"),
    Factor("shift_y", "continuous", -MAX_SHIFT, MAX_SHIFT, text="shift down, pixels of a 32-pixel image"),
)
FACTOR_NAMES = tuple(f.name for f in FACTORS)
LABEL_NAMES = ["neutral", "smiling", "neutral + glasses", "smiling + glasses"]


def sample_factors(n: int, seed: int | list[int]) -> np.ndarray:
    """``n`` faces' factors drawn independently -> ``(n, len(FACTORS)) float32`` in :data:`FACTORS` order."""
    rng = np.random.default_rng(seed)
    columns = {
        "smile": rng.uniform(-1.0, 1.0, n),
        "Eyeglasses": (rng.random(n) < EYEGLASSES_P).astype(np.float64),
        "eye_size": rng.random(n),
        "face_width": rng.random(n),
        "skin_tone": rng.random(n),
        "hair_color": rng.integers(0, len(HAIR_COLORS), n).astype(np.float64),
        "hair_style": rng.choice(len(HAIR_STYLES), n, p=HAIR_STYLE_P).astype(np.float64),
        "background": rng.random(n),
        "shift_x": rng.uniform(-MAX_SHIFT, MAX_SHIFT, n),
        "shift_y": rng.uniform(-MAX_SHIFT, MAX_SHIFT, n),
    }
    return np.stack([columns[name] for name in FACTOR_NAMES], axis=1).astype(np.float32)


def _col(factors: np.ndarray, name: str) -> np.ndarray:
    """One factor as ``(n, 1, 1) float32``, ready to broadcast over the pixel grid."""
    return factors[:, FACTOR_NAMES.index(name), None, None].astype(np.float32)


def _ellipse_sdf(x: np.ndarray, y: np.ndarray, a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Approximate signed distance to the ellipse of semi-axes ``a, b`` centred at the origin."""
    gx, gy = x / (a * a), y / (b * b)
    f = np.sqrt((x / a) ** 2 + (y / b) ** 2)
    return (f - 1.0) * f / np.maximum(np.sqrt(gx * gx + gy * gy), 1e-3)


def _mouth_sdf(x: np.ndarray, y: np.ndarray, smile: np.ndarray) -> np.ndarray:
    """The mouth: a curve bent by ``smile`` that opens into a crescent as the smile grows.

    ``x, y`` are relative to the mouth's centre. The lower edge bends by ``smile``,
    the upper by a third of it when smiling (an open mouth) and by all of it when
    frowning (a closed line); both meet at the corners.
    """
    half_width, bend, stroke = 4.3, 3.0, 1.1
    u2 = np.minimum((x / half_width) ** 2, 1.0)
    lower_k = smile * bend
    upper_k = np.where(smile > 0, 0.3 * smile, smile) * bend
    shift = -0.5 * lower_k  # keep the mouth centred as it bends
    lower = shift + lower_k * (1.0 - u2)
    upper = shift + upper_k * (1.0 - u2)
    slope_l = np.abs(2.0 * lower_k * x / half_width**2)
    slope_u = np.abs(2.0 * upper_k * x / half_width**2)
    top = (np.minimum(lower, upper) - 0.5 * stroke - y) / np.sqrt(1.0 + slope_u**2)
    bottom = (y - np.maximum(lower, upper) - 0.5 * stroke) / np.sqrt(1.0 + slope_l**2)
    ends = np.abs(x) - half_width - 0.3
    return np.maximum(np.maximum(top, bottom), ends)


class _Canvas:
    """A chunk of ``n`` images being drawn, with each face's pixel coordinates relative to its centre.

    Shapes are painted inside a box (in canvas units around the unshifted centre);
    only the pixels a face shifted by up to :data:`MAX_SHIFT` can reach there are
    computed, which keeps small features cheap.
    """

    def __init__(self, factors: np.ndarray, size: int, background: np.ndarray) -> None:
        self.size, self.pixel = size, CANVAS / size
        self.grid = (np.arange(size, dtype=np.float32) + 0.5) * self.pixel
        self.cx = CENTER[0] + _col(factors, "shift_x")
        self.cy = CENTER[1] + _col(factors, "shift_y")
        self.image = np.empty((len(factors), 3, size, size), np.float32)
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
        """Blend ``rgb`` (``(3,)`` or ``(n, 3)``) where the shape ``sdf: (n, h, w)`` covers the pixels."""
        alpha = np.clip(0.5 - sdf / self.pixel, 0.0, 1.0)
        if mask is not None:
            alpha *= mask[:, None, None]
        a = alpha[:, None]
        view = self.image[:, :, where[0], where[1]]
        view *= 1.0 - a
        view += a * rgb.reshape(-1, 3, 1, 1)


def _draw_chunk(factors: np.ndarray, size: int) -> np.ndarray:
    """Draw ``factors: (n, k)`` -> ``float32 (n, 3, size, size)`` in [0, 1], back to front."""
    style = factors[:, FACTOR_NAMES.index("hair_style")].astype(int)
    hair = _HAIR_RGB[factors[:, FACTOR_NAMES.index("hair_color")].astype(int)]
    skin_t = factors[:, FACTOR_NAMES.index("skin_tone"), None]
    skin = (1.0 - skin_t) * _SKIN_RGB[0] + skin_t * _SKIN_RGB[1]
    back_t = factors[:, FACTOR_NAMES.index("background"), None]
    canvas = _Canvas(factors, size, (1.0 - back_t) * _BACK_RGB[0] + back_t * _BACK_RGB[1])
    a, b = 8.0 + 3.0 * _col(factors, "face_width"), 11.5

    where, x, y = canvas.coords((-15, 15, -14, 11))
    canvas.paint(where, np.maximum(_ellipse_sdf(x, y - 2.0, a + 2.6, b + 2.5), y - 9.5), hair, style == 2)
    canvas.paint(where, _ellipse_sdf(x, y, a, b), skin)
    where, x, y = canvas.coords((-13, 13, -14, -5.5))
    canvas.paint(where, np.maximum(_ellipse_sdf(x, y + 0.6, a + 1.1, b + 1.0), y + 6.6), hair, style > 0)

    where, x, y = canvas.coords((-8.5, 8.5, -6.5, 3.5))
    ex, ey = np.abs(x) - 4.0, y + 1.0  # both eyes, brows and lenses at once: the face is symmetric
    rx = 1.3 + 1.2 * _col(factors, "eye_size")
    canvas.paint(where, _ellipse_sdf(ex, ey, rx, 0.85 * rx), _EYE_WHITE)
    canvas.paint(where, _ellipse_sdf(ex, ey, 0.6 * rx, 0.6 * rx), _DARK)
    canvas.paint(where, np.maximum(np.abs(y + 4.6 + 0.15 * ex**2) - 0.45, np.abs(ex) - 1.8), hair * 0.8)
    ring = np.abs(np.sqrt(ex**2 + ey**2) - 3.0) - 0.4
    bridge = np.maximum(np.abs(ey + 0.3) - 0.35, np.abs(x) - 1.2)
    canvas.paint(where, np.minimum(ring, bridge), _DARK, factors[:, FACTOR_NAMES.index("Eyeglasses")] > 0.5)

    where, x, y = canvas.coords((-5.5, 5.5, 0.5, 10.5))
    canvas.paint(where, _ellipse_sdf(x, y - 2.0, 0.8, 0.9), skin * 0.82)
    canvas.paint(where, _mouth_sdf(x, y - 6.0, _col(factors, "smile")), _MOUTH)
    return canvas.image


def render_faces(factors: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Draw one face per row of ``factors: (n, len(FACTORS))`` -> ``uint8 (n, 3, size, size)``."""
    factors = np.asarray(factors, dtype=np.float32)
    out = np.empty((len(factors), 3, size, size), np.uint8)
    for start in range(0, len(factors), CHUNK):
        drawn = _draw_chunk(factors[start : start + CHUNK], size)
        out[start : start + CHUNK] = np.rint(np.clip(drawn, 0.0, 1.0) * 255.0)
    return out


# -- the built-in data set ---------------------------------------------------------------------------
SPLIT_SIZES = {"train": 50_000, "test": 10_000}
VERSION = 1  # bump when the drawing changes, so cached faces are drawn again
# Binary attributes with CelebA's names, derived from the factors, and the factor each stands for.
ATTRIBUTE_FACTOR = {
    "Smiling": "smile",
    "Bald": "hair_style",
    "Black_Hair": "hair_color",
    "Brown_Hair": "hair_color",
    "Blond_Hair": "hair_color",
    "Gray_Hair": "hair_color",
    "Narrow_Eyes": "eye_size",
    "Pale_Skin": "skin_tone",
}
BINARY_ATTRIBUTES = tuple(ATTRIBUTE_FACTOR)


def attribute_table(factors: np.ndarray, source: str = "") -> AttributeTable:
    """The factors as columns, then binary attributes with CelebA's names derived from them.

    ``factors: (n, len(FACTORS))`` -> a table of ``len(FACTORS) + 8`` columns.
    ``Smiling``: smile above 0; ``Bald``: no hair; ``Black_Hair`` ... ``Gray_Hair``:
    the hair colour (on a bald head, the eyebrows'); ``Narrow_Eyes``, ``Pale_Skin``:
    the lowest quarter of eye size and of skin tone.
    """
    f = {name: factors[:, k] for k, name in enumerate(FACTOR_NAMES)}
    derived = [
        f["smile"] > 0,
        f["hair_style"] == HAIR_STYLES.index("bald"),
        *(f["hair_color"] == HAIR_COLORS.index(c) for c in ("black", "brown", "blond", "gray")),
        f["eye_size"] < 0.25,
        f["skin_tone"] < 0.25,
    ]
    values = np.concatenate([factors, np.stack(derived, axis=1)], axis=1).astype(np.float32)
    return AttributeTable([*FACTOR_NAMES, *BINARY_ATTRIBUTES], values, source)


def labels_of(factors: np.ndarray) -> np.ndarray:
    """The class of each face, for colouring maps: smiling or not, with glasses or not -> ``(n,) int64``."""
    smiling = factors[:, FACTOR_NAMES.index("smile")] > 0
    glasses = factors[:, FACTOR_NAMES.index("Eyeglasses")] > 0.5
    return (smiling.astype(np.int64) + 2 * glasses.astype(np.int64)).astype(np.int64)


def make_faces(n: int, seed: int | list[int] = 0, size: int = SIZE) -> tuple[np.ndarray, np.ndarray]:
    """``n`` faces from ``seed`` -> ``(images uint8 (n, 3, size, size), factors (n, len(FACTORS)))``."""
    factors = sample_factors(n, seed)
    return render_faces(factors, size), factors


def _split_faces(split: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One split's images and factors, from the user cache when drawn before."""
    n = SPLIT_SIZES[split]
    key = {"version": VERSION, "split": split, "n": n, "seed": seed, "size": SIZE}
    path = entry_path("faces", key)
    entry = load_entry(path) or {}
    images, factors = entry.get("images"), entry.get("factors")
    if (
        images is not None
        and factors is not None
        and images.shape == (n, 3, SIZE, SIZE)
        and images.dtype == np.uint8
        and factors.shape == (n, len(FACTORS))
    ):
        return images, factors.astype(np.float32)
    images, factors = make_faces(n, [seed, list(SPLIT_SIZES).index(split)])
    save_entry(path, images=images, factors=factors)
    return images, factors


def load_faces(split: str = "train", seed: int = 0) -> Dataset:
    """The built-in faces: 50,000 train and 10,000 test images, 32x32 colour, with their factors.

    Each split is drawn from its own seed on first use (a few seconds) and kept in
    the user cache; ``all`` is both, train first.
    """
    parts = ["train", "test"] if split == "all" else [split]
    drawn = [_split_faces(p, seed) for p in parts]
    images = np.concatenate([d[0] for d in drawn]) if len(drawn) > 1 else drawn[0][0]
    factors = np.concatenate([d[1] for d in drawn]) if len(drawn) > 1 else drawn[0][1]
    source = f"generated faces (seed {seed})"
    return Dataset(
        "faces", split, images, labels_of(factors), list(LABEL_NAMES), source, attribute_table(factors, source)
    )
