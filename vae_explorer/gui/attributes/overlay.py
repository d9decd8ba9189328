"""On each map: the active attribute vector as an arrow, the selected groups, and the selection tool.

The arrow runs from the code alpha moves from (or the data's mean code) to that
code plus the vector, through the map's own projection. With the selection tool
on, a left drag in the map draws a rectangle or a lasso and the points inside
become group A or B of the session's attribute state, or the maps' selection S (Shift adds to it); with
it off the mouse does what it always does.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsRectItem

from vae_explorer.core.latent.regions import points_in_polygon, points_in_rect
from vae_explorer.core.session import Session
from vae_explorer.gui.map.panel import MapPanel
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.palette import ARROW, GROUP_COLORS

from ..widgets.text import tooltip
from .selection import GROUP_MARKS

MIN_STEP_PX = 3  # a lasso gets a new vertex only when the mouse moved this far


class MapAttributeOverlay(QObject):
    """Attribute items on one :class:`MapPanel`'s view box, and its selection tool (an event filter)."""

    def __init__(self, session: Session, panel: MapPanel) -> None:
        super().__init__(panel)
        self.session, self.panel, self.slot = session, panel, panel.slot
        self.state = session.attributes
        vb = panel.vb
        self.shaft = pg.PlotCurveItem(pen=palette.pen(ARROW, 3.0))
        self.head = pg.ArrowItem(headLen=16, tipAngle=32, pen=palette.pen(ARROW), brush=QBrush(QColor(ARROW)))
        self.groups = {
            key: pg.ScatterPlotItem(size=10, symbol=GROUP_MARKS[key][0], pen=palette.pen(color, 2.0), brush=None)
            for key, color in GROUP_COLORS.items()
        }
        self.band = QGraphicsRectItem()
        self.lasso = pg.PlotCurveItem()
        theme.follow(panel, self._apply_theme)
        for z, item in (
            (25, self.shaft),
            (26, self.head),
            *((5, item) for item in self.groups.values()),
            (50, self.band),
            (50, self.lasso),
        ):
            item.setZValue(z)
            vb.addItem(item, ignoreBounds=True)
        self.band.hide()
        self.lasso.hide()
        self._drag: list[QPointF] | None = None  # view coordinates of the drag so far
        self._drag_px: QPointF | None = None
        self.viewport = panel.plot.viewport()
        self.viewport.installEventFilter(self)

        for signal in (self.state.active_changed, self.state.vectors_changed, self.state.alpha_changed):
            signal.connect(lambda *_: self.update_arrow())
        for signal in (session.cursor_changed, session.maps_changed, session.model_changed):
            signal.connect(lambda slot: slot == self.slot and self.update_arrow())
        session.view_changed.connect(lambda view: self.refresh())
        session.maps_changed.connect(lambda slot: slot == self.slot and self.update_groups())
        session.data_changed.connect(self.refresh)
        self.state.selection_changed.connect(lambda key: self.update_groups())
        self.state.tool_changed.connect(self._on_tool_changed)
        self.refresh()

    def _apply_theme(self, t: palette.Theme) -> None:
        self.band.setPen(palette.pen(t.outline, 1.0, dashed=True))
        self.band.setBrush(QBrush(QColor(t.band_fill)))
        self.lasso.setPen(palette.pen(t.outline, 1.2, dashed=True))

    # -- drawing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.update_arrow()
        self.update_groups()

    def arrow_points(self) -> np.ndarray | None:
        """The arrow's tail and tip on this map, ``(2, 2)``, or None when there is none to draw."""
        proj = self.session.projection(self.slot)
        ends = self.state.arrow(self.slot)
        if proj is None or ends is None:
            return None
        return proj.forward(np.stack(ends))

    def update_arrow(self) -> None:
        pts = self.arrow_points()
        visible = pts is not None and bool(np.all(np.isfinite(pts)))
        self.shaft.setVisible(visible)
        self.head.setVisible(visible)
        if not visible:
            return
        self.shaft.setData(pts[:, 0], pts[:, 1])
        dx, dy = pts[1] - pts[0]
        # ArrowItem's angle 0 points left and turns clockwise on screen; the map's y axis points up.
        self.head.setStyle(angle=180.0 - math.degrees(math.atan2(dy, dx)))
        self.head.setPos(QPointF(float(pts[1, 0]), float(pts[1, 1])))
        vector = self.state.active_vector()
        self.shaft.setToolTip(tooltip(f"attribute vector {vector.name!r}") if vector else "")

    def update_groups(self) -> None:
        proj = self.session.projection(self.slot)
        for key, item in self.groups.items():
            indices = self.state.selections[key]
            if proj is None or indices is None or not len(indices) or indices.max() >= len(proj.points):
                item.clear()
            else:
                item.setData(pos=proj.points[indices])

    # -- the selection tool ----------------------------------------------------------------------------
    def _on_tool_changed(self, tool: str | None) -> None:
        if tool is None:
            self.viewport.unsetCursor()
            self._cancel_drag()
        else:
            self.viewport.setCursor(Qt.CursorShape.CrossCursor)

    def _view_point(self, pos: QPointF) -> QPointF:
        return self.panel.vb.mapSceneToView(self.panel.plot.mapToScene(pos.toPoint()))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if obj is not self.viewport or self.state.tool is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            scene = self.panel.plot.mapToScene(event.position().toPoint())
            if not self.panel.vb.sceneBoundingRect().contains(scene):
                return False
            self._drag = [self._view_point(event.position())]
            self._drag_px = event.position()
            self._show_band()
            return True
        if kind == QEvent.Type.MouseMove and self._drag is not None:
            last = self._drag_px
            if self.state.tool == "rectangle" or (event.position() - last).manhattanLength() >= MIN_STEP_PX:
                point = self._view_point(event.position())
                if self.state.tool == "rectangle":
                    self._drag[1:] = [point]
                else:
                    self._drag.append(point)
                self._drag_px = event.position()
                self._show_band()
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._drag is not None:
            self._drag.append(self._view_point(event.position()))
            add = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._finish(self._drag, add)
            return True
        return False

    def _show_band(self) -> None:
        pts = np.array([[p.x(), p.y()] for p in self._drag])
        if self.state.tool == "rectangle":
            a, b = pts[0], pts[-1]
            self.band.setRect(QRectF(QPointF(*np.minimum(a, b)), QPointF(*np.maximum(a, b))))
            self.band.show()
        else:
            closed = np.vstack([pts, pts[:1]])
            self.lasso.setData(closed[:, 0], closed[:, 1])
            self.lasso.show()

    def _finish(self, drag: list[QPointF], add: bool) -> None:
        pts = np.array([[p.x(), p.y()] for p in drag])
        tool = self.state.tool
        self._cancel_drag()
        proj = self.session.projection(self.slot)
        if proj is None:
            return
        if tool == "rectangle":
            inside = points_in_rect(proj.points, pts[0], pts[-1])
        else:
            inside = points_in_polygon(proj.points, pts)
        key = self.state.tool_target
        before = self.state.selections[key]
        if add and before is not None:
            inside = np.union1d(before, inside)
        self.state.set_selection(key, inside)
        what = "selection" if key == "S" else f"group {key}"
        self.session.say(f"{what}: {len(inside)} samples selected in the {self.slot} map")

    def _cancel_drag(self) -> None:
        self._drag = self._drag_px = None
        self.band.hide()
        self.lasso.hide()
