"""A map as an SVG picture: its points as vector circles, axes with ticks, a title and a legend.

The one drawing of a map for export: the explorer writes it as SVG, and renders the
same picture to PDF and to PNG at any resolution, so the three agree. Points keep
their drawing order (shuffled, so no class always lies on top); x and y share one
scale, as on screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import numpy as np

MARGIN = {"left": 64, "right": 16, "top": 40, "bottom": 44}
LEGEND_WIDTH = 150  # room on the right for the legend, when there is one
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


@dataclass(frozen=True)
class MapPicture:
    """What an exported map shows.

    ``points: (n, 2)`` in map coordinates and ``colours: (n, 4) uint8`` RGBA, in drawing
    order (rows with alpha 0 are hidden and left out); ``legend``: ``(name, (r, g, b))``
    entries; ``marks``: points drawn over the data as rings ``(name, (x, y), (r, g, b))``,
    such as the selected sample.
    """

    title: str
    points: np.ndarray
    colours: np.ndarray
    legend: tuple[tuple[str, tuple[int, int, int]], ...] = ()
    marks: tuple[tuple[str, tuple[float, float], tuple[int, int, int]], ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.points) != len(self.colours):
            raise ValueError(f"{len(self.points)} points for {len(self.colours)} colours")


def nice_ticks(low: float, high: float, count: int = 8) -> list[float]:
    """About ``count`` round values (1, 2 or 5 times a power of ten apart) between ``low`` and ``high``."""
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return [low]
    raw = span / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 12) for i in range(int((high - first) / step + 1e-9) + 1)]


def _hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in rgb[:3]))


def map_svg(picture: MapPicture, width: int = 800, height: int = 700, radius: float | None = None) -> str:
    """The SVG text of ``picture`` on a ``width`` x ``height`` canvas (points of ``radius`` units; default:
    smaller the more points there are).

    Each data point is one ``<circle class='point'>``; legend dots are ``class='legend'``.
    """
    shown = picture.colours[:, 3] > 0
    if radius is None:
        radius = 3.0 if shown.sum() < 2_000 else 2.0 if shown.sum() < 20_000 else 1.2
    pts = np.asarray(picture.points, dtype=np.float64)[shown]
    cols = picture.colours[shown]
    right = MARGIN["right"] + (LEGEND_WIDTH if picture.legend else 0)
    area_w, area_h = width - MARGIN["left"] - right, height - MARGIN["top"] - MARGIN["bottom"]
    lo, hi = (pts.min(axis=0), pts.max(axis=0)) if len(pts) else (np.zeros(2), np.ones(2))
    pad = np.maximum((hi - lo) * 0.03, 1e-9)
    lo, hi = lo - pad, hi + pad
    scale = min(area_w / (hi[0] - lo[0]), area_h / (hi[1] - lo[1]))  # one scale for x and y
    mid = (lo + hi) / 2
    lo, hi = mid - np.array([area_w, area_h]) / scale / 2, mid + np.array([area_w, area_h]) / scale / 2

    def sx(x):
        return MARGIN["left"] + (x - lo[0]) * scale

    def sy(y):
        return MARGIN["top"] + (hi[1] - y) * scale

    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}'>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
        f"<text x='{MARGIN['left']}' y='24' {FONT} font-size='15' fill='#222'>{escape(picture.title)}</text>",
        f"<g class='axes' stroke='#444' fill='none'><rect x='{MARGIN['left']}' y='{MARGIN['top']}' "
        f"width='{area_w}' height='{area_h}'/></g>",
    ]
    ticks = [f"<g class='ticks' {FONT} font-size='11' fill='#444'>"]
    for t in nice_ticks(lo[0], hi[0]):
        x = sx(t)
        bottom = MARGIN["top"] + area_h
        ticks.append(f"<line x1='{x:.1f}' y1='{bottom}' x2='{x:.1f}' y2='{bottom + 5}' stroke='#444'/>")
        ticks.append(f"<text x='{x:.1f}' y='{MARGIN['top'] + area_h + 18}' text-anchor='middle'>{t:g}</text>")
    for t in nice_ticks(lo[1], hi[1]):
        y = sy(t)
        ticks.append(f"<line x1='{MARGIN['left'] - 5}' y1='{y:.1f}' x2='{MARGIN['left']}' y2='{y:.1f}' stroke='#444'/>")
        ticks.append(f"<text x='{MARGIN['left'] - 8}' y='{y + 4:.1f}' text-anchor='end'>{t:g}</text>")
    out.append("".join(ticks) + "</g>")
    out.append("<g class='points' stroke='none'>")
    for (x, y), c in zip(pts, cols, strict=True):
        opacity = "" if c[3] == 255 else f" fill-opacity='{c[3] / 255:.2f}'"
        out.append(f"<circle class='point' cx='{sx(x):.2f}' cy='{sy(y):.2f}' r='{radius}' fill='{_hex(c)}'{opacity}/>")
    out.append("</g>")
    for name, (x, y), rgb in picture.marks:
        out.append(
            f"<circle class='mark' cx='{sx(x):.2f}' cy='{sy(y):.2f}' r='{radius * 4}' fill='none' "
            f"stroke='{_hex(rgb)}' stroke-width='2'><title>{escape(name)}</title></circle>"
        )
    if picture.legend:
        x0 = width - LEGEND_WIDTH
        out.append(f"<g class='legend' {FONT} font-size='12' fill='#222'>")
        for i, (name, rgb) in enumerate(picture.legend):
            y = MARGIN["top"] + 10 + 18 * i
            out.append(f"<circle class='legend' cx='{x0 + 6}' cy='{y}' r='5' fill='{_hex(rgb)}'/>")
            out.append(f"<text x='{x0 + 16}' y='{y + 4}'>{escape(name)}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
