"""Exporting a map: SVG and PDF with vector points, axes and legend, or PNG at a chosen width.

One picture (:func:`vae_explorer.core.io.map_svg.map_svg`) serves the three: the SVG
is written as it is, and rendered by Qt's SVG renderer into a PDF (vectors kept) or
an image. The points are those on show, in the colours on show (hidden classes left
out), with the selected sample ringed. Every file goes through the one safe write.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QAction, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from vae_explorer.core.errors import ExportError
from vae_explorer.core.io.map_svg import MapPicture, map_svg
from vae_explorer.core.io.safe_write import write_bytes
from vae_explorer.core.latent.projection import VIEW_TITLES
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette

SVG_SIZE = (800, 700)  # the picture's own units: points in a PDF, pixels of an SVG
FORMATS = ("svg", "pdf", "png")
FILTERS = "SVG pictures (*.svg);;PDF documents (*.pdf);;PNG images (*.png)"
DEFAULT_PNG_WIDTH = 2400


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def legend_entries(session: Session) -> tuple[tuple[str, tuple[int, int, int]], ...]:
    """What the points' colours mean, as the legend above the maps says: classes shown, or a column's ends."""
    colouring, data = session.marks.colouring(), session.dataset
    if colouring.kind == "numeric":
        return ((f"{colouring.name}: {colouring.low:g}", _rgb(palette.SCALE_COLORS[0])),
                (f"{colouring.name}: {colouring.high:g}", _rgb(palette.SCALE_COLORS[-1])))  # fmt: skip
    if colouring.kind == "binary":
        name = colouring.name
        return ((f"not {name}", _rgb(palette.SCALE_COLORS[0])), (name, _rgb(palette.SCALE_COLORS[-1])))
    if data is None or data.labels is None:
        return ()
    colours = palette.CLASS_COLORS
    hidden = session.marks.hidden
    return tuple((name, _rgb(colours[k % len(colours)])) for k, name in enumerate(data.label_names) if k not in hidden)


def map_picture(panel) -> MapPicture:
    """The picture of the finished map ``panel`` shows (a map still being made is refused in words)."""
    session = panel.session
    if panel.points.final is None:
        raise ExportError("the map is not finished yet: export it once it is drawn")
    points, colours = panel.points.drawn_colours(session.marks)
    s = session.slots[panel.slot]
    title = f"{s.title} — {VIEW_TITLES[session.view]}"
    marks = ()
    index = session.selection
    if index is not None and 0 <= index < len(panel.points.final):
        name = session.dataset.describe_sample(index) if session.dataset is not None else f"#{index}"
        marks = ((f"selected: {name}", tuple(float(v) for v in panel.points.final[index]), (0, 0, 0)),)
    return MapPicture(title, np.asarray(points), np.asarray(colours), legend_entries(session), marks)


def _renderer(svg: str) -> QSvgRenderer:
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    if not renderer.isValid():
        raise ExportError("the map's picture could not be drawn")
    return renderer


def pdf_bytes(svg: str, size: tuple[int, int] = SVG_SIZE) -> bytes:
    """The SVG picture as a one-page PDF of ``size`` points, its points and text kept as vectors."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)  # one picture unit, one PDF point
    writer.setPageSize(QPageSize(QSizeF(*size), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setTitle("vae-explorer map")
    painter = QPainter(writer)
    _renderer(svg).render(painter, QRectF(0, 0, *size))
    painter.end()
    return bytes(buffer.data())


def png_bytes(svg: str, width: int, size: tuple[int, int] = SVG_SIZE) -> bytes:
    """The SVG picture drawn ``width`` pixels wide (the height in proportion), as PNG."""
    if not 100 <= width <= 20_000:
        raise ExportError(f"a PNG width of {width} pixels is out of range (100 to 20,000)")
    height = round(width * size[1] / size[0])
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(svg).render(painter, QRectF(0, 0, width, height))
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def write_map(picture: MapPicture, path: str | Path, png_width: int = DEFAULT_PNG_WIDTH) -> Path:
    """Write ``picture`` to ``path`` as its suffix says (``.svg``, ``.pdf``, ``.png``) -> the path written.

    Qt draws into a PDF or an image on any thread: exports run on a worker.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ExportError(f"cannot export a map as {path.name}: the name should end in .svg, .pdf or .png")
    svg = map_svg(picture, *SVG_SIZE)
    data = svg.encode() if kind == "svg" else pdf_bytes(svg) if kind == "pdf" else png_bytes(svg, png_width)
    write_bytes(path, data)
    return path


def export_map(panel, path: str | Path, png_width: int = DEFAULT_PNG_WIDTH, runner=None) -> Path | None:
    """Export ``panel``'s map to ``path``: on ``runner``'s worker when given (said in the status bar when written),
    else here -> the path written (None when handed to the worker)."""
    picture = map_picture(panel)
    if runner is None:
        return write_map(picture, path, png_width)
    session = panel.session
    runner.start(
        f"export-map-{panel.slot}", f"Exporting the map to {Path(path).name}",
        lambda state: write_map(picture, path, png_width), lambda written: session.say(f"map written to {written}"),
    )  # fmt: skip
    return None


def ask_map_path(panel, parent: QWidget | None = None) -> tuple[str, int] | None:
    """Ask where to export ``panel``'s map, and for a PNG how wide -> ``(path, width)``, or None when dismissed."""
    session = panel.session
    stem = f"{session.slots[panel.slot].title.split(' · ')[0].lower() or panel.slot}-{session.view}-map"
    path, chosen = QFileDialog.getSaveFileName(parent or panel, "Export the map", f"{stem}.svg", FILTERS)
    if not path:
        return None
    if not Path(path).suffix:  # the filter chosen says the kind
        path += "." + ("pdf" if "PDF" in chosen else "png" if "PNG" in chosen else "svg")
    width = DEFAULT_PNG_WIDTH
    if path.lower().endswith(".png"):
        width, ok = QInputDialog.getInt(
            parent or panel, "PNG width", "Width in pixels:", DEFAULT_PNG_WIDTH, 100, 20_000, 100
        )
        if not ok:
            return None
    return path, width


def export_map_dialog(panel, runner, parent: QWidget | None = None) -> None:
    """Ask where (and for a PNG, how wide), then export ``panel``'s map on a worker; a refusal is said in words."""
    asked = ask_map_path(panel, parent)
    if asked is None:
        return
    try:
        export_map(panel, *asked, runner=runner)
    except ExportError as exc:
        panel.session.report(str(exc))


def context_actions(panel, runner) -> list[QAction]:
    """The map's right-click entry that exports it, set apart from the entries above it."""
    apart = QAction()
    apart.setSeparator(True)
    action = QAction("Export this map (SVG, PDF, PNG)…")
    action.triggered.connect(lambda checked=False: export_map_dialog(panel, runner))
    return [apart, action]
