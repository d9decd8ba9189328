"""Generated cartoon faces: colour images drawn from independent, known factors.

Every face is drawn from ten factors sampled independently: ``smile`` (-1 a
frown, 0 a straight mouth, +1 a broad open smile with teeth and rosy cheeks),
``Eyeglasses``, ``eye_size``, ``face_width``, ``skin_tone``, ``hair_color``
(black, brown, blond, gray; the eyebrows show it on a bald head),
``hair_style`` (bald, short, long), ``background`` colour and a small shift
(``shift_x``, ``shift_y``, in pixels of a 32-pixel image). Because the factors are known, a model's codes and its
attribute vectors can be measured against them.

The drawing (:mod:`.face_drawing`) is vectorised over chunks of faces, so
60,000 faces take a few seconds; the same seed gives the same faces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vae_explorer.core.io.cache import entry_path, load_entry, save_entry

from .attribute_table import AttributeTable
from .dataset import Dataset
from .face_drawing import MAX_SHIFT, SIZE, draw_faces

HAIR_COLORS = ("black", "brown", "blond", "gray")
HAIR_STYLES = ("bald", "short", "long")
HAIR_STYLE_P = (0.2, 0.4, 0.4)
EYEGLASSES_P = 0.4


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


def render_faces(factors: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Draw one face per row of ``factors: (n, len(FACTORS))`` -> ``uint8 (n, 3, size, size)``."""
    factors = np.asarray(factors, dtype=np.float32)
    return draw_faces({name: factors[:, k] for k, name in enumerate(FACTOR_NAMES)}, size)


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
