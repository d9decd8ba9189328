"""The timeline's pictures: a strip of every frame (current one outlined) and the distance-to-data plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from vae_explorer.core.io.images import image_grid
from vae_explorer.core.morph.frames import MorphFrames
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.images import ImageView

PAD = 1


class StripView(ImageView):
    """Every frame of one model in a row; the current frame is outlined; a click picks a frame.

    Signals: ``sigFrameClicked(index)``.
    """

    sigFrameClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", min_side=24, parent=parent)
        self.n_frames = 0
        self.current = 0
        self._cell = (0, 0)  # frame width and height in image pixels
        self._frames: np.ndarray | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        theme.follow(self, lambda t: self.set_frames(self._frames))  # the lines between frames

    def set_frames(self, images: np.ndarray | None) -> None:
        """``images: (n, C, H, W)`` in [0, 1], or None to clear."""
        self._frames = images
        if images is None:
            self.n_frames, self._cell = 0, (0, 0)
            self.set_image(None)
            return
        self.n_frames = len(images)
        self._cell = (images.shape[3], images.shape[2])
        self.set_image(image_grid(images, 1, len(images), pad=PAD, fill=palette.current().frame_gap))

    def set_current(self, index: int) -> None:
        self.current = index
        self.update()

    def frame_rect(self, index: int) -> QRectF:
        """Where frame ``index`` is drawn, in widget pixels."""
        target, image = self.target_rect(), self.image()
        if image is None or not self.n_frames:
            return QRectF()
        s = target.width() / image.width()
        w, h = self._cell
        return QRectF(target.x() + (PAD + index * (w + PAD)) * s, target.y() + PAD * s, w * s, h * s)

    def frame_at(self, x: float) -> int | None:
        target, image = self.target_rect(), self.image()
        if image is None or not self.n_frames or target.width() <= 0:
            return None
        px = (x - target.x()) * image.width() / target.width()
        return int(np.clip((px - PAD) // (self._cell[0] + PAD), 0, self.n_frames - 1))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not self.n_frames:
            return
        p = QPainter(self)
        pen = QPen(QColor(palette.MORPH))
        pen.setWidthF(2.0)
        p.setPen(pen)
        p.drawRect(self.frame_rect(self.current).adjusted(-1, -1, 1, 1))
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        index = self.frame_at(event.position().x())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.sigFrameClicked.emit(index)


class DistancePlot(pg.PlotWidget):
    """Each frame's distance to the nearest data code, per model, in units of the data's spacing.

    1 means as far from the data as its codes typically are from each other;
    each model's curve has its row's colour; the line marks the current frame
    and can be dragged. Signals:
    ``sigFrameDragged(index)``.
    """

    sigFrameDragged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setMinimumHeight(90)
        self.setMaximumHeight(150)
        self.getPlotItem().setLabel("left", "to data")
        self.getPlotItem().setLabel("bottom", "frame")
        self.setToolTip(
            "Each frame's distance to the nearest data code, per model (colours as the rows above), "
            "divided by the data codes' typical distance to their nearest neighbour (the dashed line at 1)"
        )
        theme.style_plot(self)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.spacing_line = pg.InfiniteLine(angle=0, pos=1.0)
        theme.follow(self, lambda t: self.spacing_line.setPen(palette.pen(t.faint, 1.0, dashed=True)))
        self.addItem(self.spacing_line)
        self.line = pg.InfiniteLine(angle=90, movable=True, pen=palette.pen(palette.MORPH, 2.0))
        self.line.setToolTip("the frame on show: drag to scrub")
        self.addItem(self.line)
        self.line.sigPositionChanged.connect(lambda line: self.sigFrameDragged.emit(int(round(line.value()))))
        self.n_frames = 0
        self._show_empty()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As short as it may be: the strips above take the dock's height first."""
        return QSize(400, self.minimumHeight())

    def _show_empty(self) -> None:
        """No morph yet: a plain frame axis, and no line to drag."""
        self.setXRange(0, 29, padding=0.02)
        self.setYRange(0, 2, padding=0.05)
        self.line.hide()

    def set_results(self, results: dict[str, MorphFrames], titles: dict[str, str]) -> None:
        for curve in self.curves.values():
            self.removeItem(curve)
        self.curves = {}
        self.n_frames = 0
        for slot, r in results.items():
            if r.distances is None:
                continue
            scale = r.spacing if r.spacing and np.isfinite(r.spacing) and r.spacing > 0 else 1.0
            curve = self.plot(
                np.arange(len(r.distances)),
                r.distances / scale,
                pen=palette.pen(palette.SLOT_COLORS.get(slot, palette.UNLABELLED), 2.0),
                name=titles.get(slot, slot),
            )
            self.curves[slot] = curve
            self.n_frames = len(r.distances)
        if self.n_frames:
            self.setXRange(0, self.n_frames - 1, padding=0.02)
            self.line.setBounds((0, self.n_frames - 1))
            self.line.show()
            self.enableAutoRange(axis="y")
        else:
            self._show_empty()

    def set_current(self, index: int) -> None:
        self.line.blockSignals(True)
        self.line.setValue(index)
        self.line.blockSignals(False)

    def values(self, slot: str) -> np.ndarray | None:
        curve = self.curves.get(slot)
        return None if curve is None else np.asarray(curve.yData)
