"""The morph drawn on a map: its path, its keys, the frame on show, and "Morph from / to here".

It adds its own items to a :class:`~vae_explorer.gui.map.panel.MapPanel`'s view
box and registers a right-click provider; the map panel itself knows nothing of
morphs.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QAction

from vae_explorer.core.morph.keys import MorphKey, key_names
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette, theme


class MorphOverlay:
    """The path of the session's morph through one map, and the current frame's point on it.

    Drawn while the Morph dock is open (:meth:`set_shown`): closing the dock takes it off the map.
    """

    def __init__(self, session: Session, panel) -> None:
        self.session, self.panel, self.slot = session, panel, panel.slot
        self.points: np.ndarray | None = None  # (n, 2) map points of the frames
        self.shown = True
        self.path = pg.PlotCurveItem(pen=palette.pen(palette.MORPH, 2.0))
        self.keys = pg.ScatterPlotItem(size=11, symbol="s", brush=pg.mkBrush(palette.MORPH))
        self.marker = pg.ScatterPlotItem(size=18, symbol="star", brush=pg.mkBrush(palette.MORPH))
        self.labels: list[pg.TextItem] = []
        for z, item in ((25, self.path), (26, self.keys), (35, self.marker)):
            item.setZValue(z)
            panel.vb.addItem(item)
        panel.add_context_provider(self.context_actions)
        morph = session.morph
        morph.frames_changed.connect(self.redraw)
        morph.frame_changed.connect(self.move_marker)
        session.maps_changed.connect(lambda slot: slot == self.slot and self.redraw())
        session.view_changed.connect(lambda view: self.redraw())
        theme.follow(panel, self._apply_theme)  # draws the first time

    def _apply_theme(self, t: palette.Theme) -> None:
        self.keys.setPen(palette.pen(t.halo, 1.5))
        self.marker.setPen(palette.pen(t.ink, 1.0))
        self.redraw()  # the keys' labels, in the theme's ink

    def context_actions(self, panel, index: int | None, point: np.ndarray) -> list[QAction]:
        """ "Morph from here" and "Morph to here" on a data point."""
        if index is None:
            return []
        morph, data = self.session.morph, self.session.dataset
        name = data.describe_sample(index) if data is not None else f"#{index}"
        start = QAction(f"Morph from here ({name})")
        start.triggered.connect(lambda checked=False: morph.set_start(MorphKey(index)))
        end = QAction(f"Morph to here ({name})")
        end.triggered.connect(lambda checked=False: morph.set_end(MorphKey(index)))
        return [start, end]

    def _clear(self) -> None:
        self.points = None
        for item in (self.path, self.keys, self.marker):
            item.setVisible(False)
        for label in self.labels:
            self.panel.vb.removeItem(label)
        self.labels = []

    def set_shown(self, on: bool) -> None:
        """Draw the morph on the map (the Morph dock is open) or take it off (closed)."""
        if on != self.shown:
            self.shown = on
            self.redraw()

    def redraw(self) -> None:
        result = self.session.morph.results.get(self.slot)
        proj = self.session.projection(self.slot)
        self._clear()
        if result is None or proj is None or not self.shown:
            return
        self.points = np.asarray(proj.forward(result.codes), dtype=np.float64)
        self.path.setData(self.points[:, 0], self.points[:, 1])
        keys = self.points[result.key_frames]
        self.keys.setData(pos=keys)
        for name, p in zip(key_names(len(keys)), keys, strict=True):
            label = pg.TextItem(name.replace("via ", "·"), color=palette.current().ink, anchor=(-0.3, 1.1))
            label.setPos(float(p[0]), float(p[1]))
            label.setZValue(27)
            self.panel.vb.addItem(label)
            self.labels.append(label)
        for item in (self.path, self.keys, self.marker):
            item.setVisible(True)
        self.move_marker(self.session.morph.frame)

    def move_marker(self, index: int) -> None:
        if self.points is not None and 0 <= index < len(self.points):
            self.marker.setData(pos=self.points[index : index + 1])

    def marker_point(self) -> np.ndarray | None:
        """Where the current frame's marker is, in map coordinates (None when hidden)."""
        if self.points is None or not self.marker.isVisible():
            return None
        return np.array([self.marker.data["x"][0], self.marker.data["y"][0]])
