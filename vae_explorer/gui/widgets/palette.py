"""Every colour the GUI draws with, for a light and a dark window, and one shared pen and brush per colour.

Two kinds of colour live here. Accents (class colours, the cursor's hover ring, the
morph, the attribute arrow, notes in text) are one colour each, chosen to read on
a light and on a dark background alike, so they never change under the user. The
neutrals (plot backgrounds, axes, ink, guides, message boxes) come in a
:class:`Theme` for each: :func:`current` picks the one that matches the
application's palette, and :mod:`.theme` applies it when that palette changes.

pyqtgraph caches scatter symbols by pen and brush *object*, so handing every
point of a class the same QBrush keeps drawing a large map fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import colorcet
import numpy as np
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette, QPen


@dataclass(frozen=True)
class Theme:
    """The neutral colours of a light or a dark window (``#rrggbb``; ``#aarrggbb`` where it says so)."""

    name: str
    base: str  # what plots are drawn on when the application's palette says nothing else
    axis: str
    axis_text: str
    title: str  # plot titles and legends
    ink: str  # the strongest marks: selection ring, cursor, posterior ellipse, key labels
    halo: str  # an outline that sets a mark off from what is under it
    guide: str  # dashed helper lines: the prior's circles
    faint: str  # the faintest helper line
    outline: str  # the selection tool's rectangle and lasso
    band_fill: str  # ``#aarrggbb``: the inside of the selection rectangle
    inactive: str  # a latent dimension that carries nothing
    cosine_zero: str  # cosine 0 in the vectors' table: colours blend from this one
    empty_cell: str  # a table cell with no value
    frame_gap: int  # grey level (0-255) of the lines between the frames of a morph's strip
    warning: tuple[str, str, str]  # background, text, border
    failure: tuple[str, str, str]  # background, text, border


LIGHT = Theme(
    name="light",
    base="#ffffff",
    axis="#999999",
    axis_text="#666666",
    title="#333333",
    ink="#000000",
    halo="#ffffff",
    guide="#555555",
    faint="#aaaaaa",
    outline="#333333",
    band_fill="#1e505050",
    inactive="#c8c8c8",
    cosine_zero="#ffffff",
    empty_cell="#eeeeee",
    frame_gap=255,
    warning=("#fff1d6", "#7a4b00", "#e8c07a"),
    failure=("#fde2e1", "#7a1010", "#e8a09c"),
)
DARK = Theme(
    name="dark",
    base="#1e1e1e",
    axis="#707070",
    axis_text="#b4b4b4",
    title="#dddddd",
    ink="#ffffff",
    halo="#000000",
    guide="#aaaaaa",
    faint="#666666",
    outline="#cccccc",
    band_fill="#28dcdcdc",
    inactive="#505050",
    cosine_zero="#262626",
    empty_cell="#383838",
    frame_gap=72,
    warning=("#3d2e10", "#ffd68a", "#8a6a2a"),
    failure=("#4a1c1c", "#ffc9c5", "#8a3a36"),
)

# The window's own colours when the app has to turn the window dark itself (see theme.install).
DARK_WINDOW = {
    QPalette.ColorRole.Window: "#2d2d2d",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: DARK.base,
    QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8c8c8c",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#505050",
    QPalette.ColorRole.Midlight: "#424242",
    QPalette.ColorRole.Mid: "#2a2a2a",
    QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Shadow: "#0a0a0a",
    QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#6aa9ff",
    QPalette.ColorRole.LinkVisited: "#b48cff",
}
DARK_WINDOW_DISABLED = {
    QPalette.ColorRole.WindowText: "#7f7f7f",
    QPalette.ColorRole.Text: "#7f7f7f",
    QPalette.ColorRole.ButtonText: "#7f7f7f",
    QPalette.ColorRole.Highlight: "#505050",
}
LIGHT_WINDOW_BUTTON = "#efefef"  # the light window, when the app turns a dark one light: Qt derives the rest


def is_dark(palette: QPalette) -> bool:
    """A palette whose windows are dark (light text on a dark ground)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def current() -> Theme:
    """The theme that matches the application's palette now."""
    return DARK if is_dark(QGuiApplication.palette()) else LIGHT


def dark_window_palette() -> QPalette:
    """A complete dark palette for the window."""
    palette = QPalette()
    for role, color in DARK_WINDOW.items():
        palette.setColor(role, QColor(color))
    for role, color in DARK_WINDOW_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(color))
    return palette


# -- accents: one colour each, legible on LIGHT.base and DARK.base ---------------------------------------
UNLABELLED = "#4c72b0"
HOVER = "#ff00ff"
MORPH = "#e6007e"  # the morph: its path and keys in the maps, the frame on show in the strips and the plot
SLOT_COLORS = {"left": "#1f77b4", "right": "#d95f02"}  # the models' rows, curves and titles in the morph
TRAIN_COLOR, TEST_COLOR = "#1f77b4", "#ff7f0e"
ACTIVE_COLOR = "#1f77b4"  # a latent dimension that carries information
ARROW = "#d94801"  # the attribute vector
# The attribute's groups, rings (A) and squares (B) over class-coloured points: Glasbey colours (colorcet's) far
# from the first ten class colours, the other accents and each other (CIE Lab distance over 35), legible on both.
GROUP_COLORS = {"A": "#4f5eff", "B": "#ac7700", "S": "#d81b60"}  # S: the maps' selection
COSINE_POSITIVE, COSINE_NEGATIVE = "#d6604d", "#4393c3"
HIGHLIGHT = "#009e9e"  # samples a search found, ringed in both maps
ERROR = "#e03a3a"  # a refusal or a failure, in text and lines
NOTE = "#c06a00"  # a caveat in text: an approximate inverse
MUTED = "#888888"  # text that matters less: an inactive dimension, a form's notes, a placeholder
STATUS_COLORS = {  # a training run's status in the runs table
    "finished": "#2e9e4f",
    "stopped": "#b8860b",
    "lost": "#b8860b",
    "failed": ERROR,
    "crashed": ERROR,
    "running": "#3a7bd5",
    "starting": "#3a7bd5",
    "stopping": "#3a7bd5",
}

MIN_CLASS_CONTRAST = 2.0  # WCAG contrast of a class colour against both themes' plot background
MIN_CLASSES = 32


def _linear_rgb(color: str) -> np.ndarray:
    """``#rrggbb`` as linear-light red, green and blue ``(3,)`` in [0, 1] (sRGB's curve undone)."""
    channels = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``, 0 (black) to 1 (white)."""
    return float(_linear_rgb(color) @ [0.2126, 0.7152, 0.0722])


def lab(color: str) -> np.ndarray:
    """CIE L*a*b* (D65) of ``#rrggbb``: distances in it follow how different two colours look."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ _linear_rgb(color)
    t = xyz / [0.95047, 1.0, 1.08883]  # relative to the white point
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def color_distance(a: str, b: str) -> float:
    """How different two colours look: their distance in CIE L*a*b* (about 2: barely; over 30: clearly)."""
    return float(np.linalg.norm(lab(a) - lab(b)))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def _legible_class_colors() -> tuple[str, ...]:
    """Glasbey's colours (Tableau's ten first), less those too pale for white or too dark for the dark plot."""
    colors = [c.lower() for c in colorcet.palette["glasbey_category10"]]
    return tuple(c for c in colors if min(contrast(c, LIGHT.base), contrast(c, DARK.base)) >= MIN_CLASS_CONTRAST)


CLASS_COLORS = _legible_class_colors()


def class_color(k: int) -> QColor:
    return QColor(CLASS_COLORS[k % len(CLASS_COLORS)])


@lru_cache(maxsize=256)
def class_brush(k: int, alpha: int = 200) -> QBrush:
    color = QColor(UNLABELLED) if k < 0 else class_color(k)
    color.setAlpha(alpha)
    return QBrush(color)


@lru_cache(maxsize=64)
def pen(color: str, width: float = 1.0, dashed: bool = False) -> QPen:
    p = QPen(QColor(color))
    p.setWidthF(width)
    p.setCosmetic(True)
    if dashed:
        p.setDashPattern([4.0, 4.0])
    return p


# A colour scale for numeric attributes: isoluminant (CET-I1, blue to orange), so every step reads on both themes.
SCALE_COLORS = tuple(c.lower() for c in colorcet.palette["CET_I1"])
SCALE_STEPS = 64  # the points' colours of a scale: values are rounded to one of these steps


def rgba_table(colors: list[str] | tuple[str, ...], alpha: int) -> np.ndarray:
    """``#rrggbb`` colours as a table ``uint8 (k, 4)`` RGBA, all with ``alpha``."""
    table = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in colors], np.uint8).reshape(-1, 3)
    return np.column_stack([table, np.full(len(table), alpha, np.uint8)])


def scale_lut(alpha: int = 220) -> np.ndarray:
    """The colour scale's ``SCALE_STEPS`` steps as a table for :func:`scale_index`: ``uint8 (SCALE_STEPS, 4)`` RGBA."""
    picks = np.round(np.linspace(0, len(SCALE_COLORS) - 1, SCALE_STEPS)).astype(int)
    return rgba_table([SCALE_COLORS[k] for k in picks], alpha)


def scale_index(unit: np.ndarray) -> np.ndarray:
    """Values in [0, 1] ``(n,)`` -> each one's step of :func:`scale_lut`, ``uint8 (n,)`` (0 lowest)."""
    steps = np.round(np.asarray(unit, dtype=np.float64) * (SCALE_STEPS - 1))
    return np.clip(steps, 0, SCALE_STEPS - 1).astype(np.uint8)


def point_brushes(labels: np.ndarray | None, n: int) -> list[QBrush]:
    """One brush per point, shared between points of a class."""
    if labels is None:
        b = class_brush(-1)
        return [b] * n
    brushes = {int(k): class_brush(int(k)) for k in np.unique(labels)}
    return [brushes[int(k)] for k in labels]


def class_lut(alpha: int = 200) -> np.ndarray:
    """The class colours as a table for :func:`class_index`: ``uint8 (len(CLASS_COLORS) + 1, 4)`` RGBA.

    Row ``k`` is class ``k`` (classes past the last colour start again); the last row
    is for unlabelled points.
    """
    return rgba_table([*CLASS_COLORS, UNLABELLED], alpha)


def class_index(labels: np.ndarray | None, n: int) -> np.ndarray:
    """Each of ``n`` points' row of :func:`class_lut`: ``uint8 (n,)`` (no Python object per point)."""
    unlabelled = len(CLASS_COLORS)
    dtype = np.uint8 if unlabelled < 256 else np.uint16
    if labels is None:
        return np.full(n, unlabelled, dtype)
    labels = np.asarray(labels)
    return np.where(labels < 0, unlabelled, labels % unlabelled).astype(dtype)
