"""The mouse on one map: hovering a point previews it, a click selects it, a right-click opens a menu.

The menu holds what the features put in it (morph keys, a sample's actions): each
registers a provider, and the map knows nothing of them. View all ends it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from vae_explorer.core.session import Session

from .points import MapPoints

HOVER_RADIUS_PX = 7

# provider(panel, index, point) -> actions: ``index`` the data row under the mouse (or None), ``point`` the map position
ContextProvider = Callable[[QWidget, int | None, np.ndarray], list[QAction]]


class MapMouse:
    """Hover, clicks and the context menu of one map ``panel``, whose ``plot`` draws ``points`` and ``cursor``.

    ``view_all()`` shows all the map again (the menu's last entry).
    """

    def __init__(
        self,
        panel: QWidget,
        session: Session,
        plot: pg.PlotWidget,
        points: MapPoints,
        cursor: pg.TargetItem,
        view_all: Callable[[], None],
    ) -> None:
        self.panel, self.session, self.points, self.cursor, self.view_all = panel, session, points, cursor, view_all
        self.vb = plot.getViewBox()
        self.providers: list[ContextProvider] = []
        self.menu: QMenu | None = None  # the last context menu, kept alive while shown
        self._hover_proxy = pg.SignalProxy(plot.scene().sigMouseMoved, rateLimit=60, slot=self._on_mouse_moved)
        plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def nearest_point(self, scene_pos) -> int | None:
        """The data point under a scene position (within a few pixels), or None."""
        if self.points.shown is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        radius = HOVER_RADIUS_PX * max(self.vb.viewPixelSize())
        idx, dist = self.points.nearest(np.array([p.x(), p.y()]))
        visible = self.session.marks.visible()
        return idx if dist <= radius and (visible is None or visible[idx]) else None

    def _on_mouse_moved(self, event) -> None:
        (scene_pos,) = event
        if self.cursor.moving:  # dragging the cursor: no hover previews over its decoded image
            if self.session.hover is not None:
                self.session.set_hover(None)
        elif self.vb.sceneBoundingRect().contains(scene_pos):
            self.session.set_hover(self.nearest_point(scene_pos))
        elif self.session.hover is not None and self.panel.underMouse():
            self.session.set_hover(None)

    def _show_context_menu(self, event) -> None:
        if not self.vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.vb.mapSceneToView(event.scenePos())
        index, point = self.nearest_point(event.scenePos()), np.array([p.x(), p.y()])
        menu = QMenu(self.panel)
        for provider in self.providers:
            for action in provider(self.panel, index, point):
                action.setParent(menu)
                menu.addAction(action)
        if not menu.isEmpty():
            menu.addSeparator()
        view_all = menu.addAction("View all\tHome")  # the key is the toolbar's View all: named, not taken twice
        view_all.triggered.connect(lambda checked=False: self.view_all())
        event.accept()
        menu.popup(event.screenPos().toPoint())
        self.menu = menu

    def _on_mouse_clicked(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._show_context_menu(event)
            return
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        index = self.nearest_point(event.scenePos())
        if index is not None:
            self.session.select(index)
