"""One latent map: the data's codes as coloured points, a draggable cursor, hover and selection.

The data points are one image (see :mod:`.points`), so moving the cursor or the
hover marker repaints only their own small regions, and a million points pan and
zoom smoothly. While codes are still arriving, the map drawn is the partial one
the session holds; hover and clicks work on it too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem, QLabel, QMenu, QVBoxLayout, QWidget

from vae_explorer.core.latent.geometry import gaussian_ellipse
from vae_explorer.core.latent.projection import VIEW_TITLES, Projection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.images import to_pixmap

from .marks import HighlightRings
from .points import MapPoints
from .tiles import TileImage

HOVER_RADIUS_PX = 7
HOVER_SCALE = 3
REPLAY_FADE = 0.12  # the data points' opacity under a replayed epoch


class MapPanel(QWidget):
    """The map of one model slot, a thin view of the session.

    Signals: ``sigScatterDrawn(n_points)`` after the data points are (re)drawn;
    ``sigTilesDrawn()`` after a decoded tile mosaic is shown.
    """

    sigScatterDrawn = Signal(int)
    sigTilesDrawn = Signal()

    def __init__(self, session: Session, slot: str, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.slot, self.services = session, slot, services
        self._context_providers: list[Callable[[MapPanel, int | None, np.ndarray], list[QAction]]] = []
        self._drawn_key: tuple | None = None
        self._follow = True  # the view fits the points as they change, until the user pans or zooms

        self.title = QLabel()
        self.title.setObjectName("mapTitle")
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.vb = self.plot.getViewBox()
        self.vb.setAspectLocked(True)
        theme.style_plot(self.plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

        self.tiles = TileImage(session, slot, services, self.vb)
        self.tiles.sigDrawn.connect(self.sigTilesDrawn)
        self.points = MapPoints(lambda job, done: services.draw_points(slot, job, done))
        self.scatter = self.points.cloud
        self.prior_curves = [pg.PlotCurveItem() for _ in range(2)]
        self.ellipse = pg.PlotCurveItem()
        self.replay = pg.ScatterPlotItem(size=6, pen=None, pxMode=True)  # a training epoch's codes
        self.selection_mark = pg.ScatterPlotItem(size=15, symbol="o", brush=None)
        self.rings = HighlightRings()
        self.hover_mark = pg.ScatterPlotItem(size=13, symbol="o", pen=palette.pen(palette.HOVER, 2.0), brush=None)
        self.cursor = pg.TargetItem(size=16, symbol="crosshair", movable=True)
        self.cursor.setZValue(30)
        self.hover_image = QGraphicsPixmapItem()
        self.hover_image.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.hover_image.setZValue(40)
        for item in (
            self.tiles,
            self.scatter,
            self.rings,
            self.replay,
            *self.prior_curves,
            self.ellipse,
            self.selection_mark,
        ):
            self.vb.addItem(item)
        for item in (self.hover_mark, self.cursor, self.hover_image):
            self.vb.addItem(item)
        self._set_cursor_visible(False)
        self.hover_image.hide()

        self.vb.sigRangeChangedManually.connect(self._on_range_changed_by_hand)
        self.cursor.sigPositionChanged.connect(self._on_cursor_dragged)
        self._hover_proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=60, slot=self._on_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)

        for signal, handler in (
            (session.maps_changed, self._on_maps_changed),
            (session.view_changed, self._on_view_changed),
            (session.model_changed, self._on_model_changed),
            (session.data_changed, self._on_data_changed),
            (session.selection_changed, self._on_selection_changed),
            (session.hover_changed, self._on_hover_changed),
            (session.cursor_changed, self._on_cursor_changed),
            (session.partial_map, self._on_partial_map),
            (session.replay_changed, self._on_replay_changed),
            (session.marks.changed, self._on_marks_changed),
            (session.evaluation.measures_changed, lambda slot: slot == self.slot and self.redraw()),
        ):
            signal.connect(handler)
        theme.follow(self, self._apply_theme)  # draws the first time

    def _apply_theme(self, t: palette.Theme) -> None:
        """The marks in the theme's ink, and the title's colours, when the window turns light or dark."""
        for curve in self.prior_curves:
            curve.setPen(palette.pen(t.guide, 1.2, dashed=True))
        self.ellipse.setPen(palette.pen(t.ink, 2.0))
        self.selection_mark.setPen(palette.pen(t.ink, 2.5))
        self.cursor.setPen(palette.pen(t.ink, 2.5))
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------
    @property
    def slot_state(self):
        return self.session.slots[self.slot]

    def _update_title(self, note: str = "") -> None:
        s = self.slot_state
        view = self.session.view
        text = f"<b>{s.title}</b> — {VIEW_TITLES[view]}"
        measure = self.session.evaluation.measures.get(self.slot)
        if measure is not None:  # data with known factors: how well this model's dimensions separate them
            text += f" · MIG {measure.mig:.2f}"
        self.title.setToolTip(
            ""
            if measure is None
            else "Which latent dimension carries each factor:\n" + "\n".join(f.describe() for f in measure.factors)
        )
        proj = self.session.projection(self.slot)
        if proj is not None and not proj.exact:
            text += f" <span style='color:{palette.NOTE}'>(approximate inverse)</span>"
        if proj is not None and proj.note:
            note = proj.note
        if note:
            text += f" <i>{note}</i>"
        self.title.setText(text)

    def redraw(self) -> None:
        """Draw the data points of the current view (only when they changed): the finished map, else the partial one."""
        proj = self.session.projection(self.slot)
        partial = self.session.partial(self.slot) if proj is None else None
        data = self.session.dataset
        s = self.slot_state
        if (proj is None and partial is None) or data is None:
            note = "" if not s.loaded else ("encoding…" if s.codes is None else "computing the map…")
            if self.session.view == "latent" and s.loaded and s.latent_dim != 2:
                note = "the latent plane needs a 2-D latent"
            self._update_title(note)
            if self._drawn_key is not None and self._drawn_key[1] != self.session.view:
                self._clear_points()
            return
        shown = proj if proj is not None else partial
        self._update_title(partial.note if partial is not None else "")
        key = (id(shown), self.session.view)
        if key != self._drawn_key:
            self._draw(shown)
            self._drawn_key = key
        self._draw_selection_mark(self.session.selection)
        self._on_cursor_changed(self.slot)
        self._update_overlays()
        self._on_replay_changed(self.slot)
        if proj is not None:
            self.tiles.request()

    @property
    def _points(self) -> np.ndarray | None:
        """The finished map's points ``(N, 2)`` by data row, or None (nothing drawn, or a partial map)."""
        return self.points.final

    def _clear_points(self) -> None:
        self.points.clear()
        self.rings.clear()
        self._drawn_key = None
        self._follow = True
        self.tiles.clear()
        self._set_cursor_visible(False)

    def _draw(self, shown: Projection | PartialMap) -> None:
        n = self.points.draw(shown, self.session.marks)
        self._show_rings()
        if self._follow:
            self.vb.autoRange(items=[self.scatter], padding=0.05)
        self.sigScatterDrawn.emit(n)

    def _on_marks_changed(self, what: str) -> None:
        """Recolour the points, hide or show classes, ring the samples a search found."""
        if what in ("colour", "hidden"):
            self.points.recolour(self.session.marks)
        self._show_rings()

    def _show_rings(self) -> None:
        self.rings.show_rings(self.points.drawn_points(self.session.marks.highlight))

    def _on_partial_map(self, slot: str) -> None:
        if slot == self.slot:
            self.redraw()

    def _on_range_changed_by_hand(self, *args) -> None:
        self._follow = False

    def _on_replay_changed(self, slot: str) -> None:
        """A replayed epoch's codes, bright over the data points, which fade while it lasts."""
        replay, proj = self.session.replays[self.slot], self.session.projection(self.slot)
        if slot != self.slot:
            return
        if replay is None or proj is None:
            self.replay.clear()
            self.scatter.setOpacity(1.0)
            return
        codes, labels = replay
        self.replay.setData(pos=proj.forward(codes), brush=palette.point_brushes(labels, len(codes)))
        self.scatter.setOpacity(REPLAY_FADE)

    def _update_overlays(self) -> None:
        """The VAE's posterior ellipse of the selected sample and the prior's 1 and 2 sigma contours."""
        s, proj = self.slot_state, self.session.projection(self.slot)
        linear = proj is not None and proj.exact
        show_prior = linear and s.is_vae
        for n_sigma, curve in zip((1, 2), self.prior_curves, strict=True):
            if show_prior:
                pts = gaussian_ellipse(proj, np.zeros(s.latent_dim), np.ones(s.latent_dim), n_sigma)
                curve.setData(pts[:, 0], pts[:, 1])
            curve.setVisible(show_prior)
        index = self.session.selection
        show_ellipse = show_prior and index is not None and s.codes is not None
        if show_ellipse:
            var = np.exp(s.codes.logvar[index])
            pts = gaussian_ellipse(proj, s.codes.mu[index], var, 1.0)
            self.ellipse.setData(pts[:, 0], pts[:, 1])
        self.ellipse.setVisible(show_ellipse)

    # -- session events -------------------------------------------------------------------------
    def _on_maps_changed(self, slot: str) -> None:
        if slot == self.slot:
            self.redraw()

    def _on_model_changed(self, slot: str) -> None:
        if slot == self.slot:
            self._clear_points()
            self.redraw()

    def _on_view_changed(self, view: str) -> None:
        self._follow = True  # another map: fit it
        self.redraw()

    def _on_data_changed(self) -> None:
        self._clear_points()
        self.hover_image.hide()
        self.hover_mark.clear()
        self.selection_mark.clear()
        self.redraw()

    def _draw_selection_mark(self, index: int | None) -> None:
        p = None if index is None else self.points.point_of(index)
        if p is None:
            self.selection_mark.clear()
        else:
            self.selection_mark.setData(pos=[p])

    def _on_selection_changed(self, index: int | None) -> None:
        self._draw_selection_mark(index)
        self._update_overlays()
        if self.session.view == "pca":
            self.tiles.request_soon()  # the PCA inverse is anchored at the selection

    def _on_hover_changed(self, index: int | None) -> None:
        data = self.session.dataset
        p = None if index is None or data is None else self.points.point_of(index)
        if p is None:
            self.hover_mark.clear()
            self.hover_image.hide()
            return
        self.hover_mark.setData(pos=[p])
        self.hover_image.setPixmap(to_pixmap(data.images[index], HOVER_SCALE))
        self.hover_image.setPos(QPointF(p[0], p[1]))
        self.hover_image.setOffset(8, -8 - self.hover_image.pixmap().height())
        self.hover_image.show()

    def _set_cursor_visible(self, visible: bool) -> None:
        self.cursor.setVisible(visible)

    def _on_cursor_changed(self, slot: str) -> None:
        if slot != self.slot:
            return
        point = self.slot_state.cursor_point
        if point is None or self._points is None:
            self._set_cursor_visible(False)
            return
        self.cursor.blockSignals(True)
        self.cursor.setPos(QPointF(float(point[0]), float(point[1])))
        self.cursor.blockSignals(False)
        self._set_cursor_visible(True)

    # -- user input -------------------------------------------------------------------------
    def _on_cursor_dragged(self, item) -> None:
        pos = self.cursor.pos()
        self.session.move_cursor(self.slot, np.array([pos.x(), pos.y()]))

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
        elif self.session.hover is not None and self.underMouse():
            self.session.set_hover(None)

    def add_context_provider(self, provider: Callable[[MapPanel, int | None, np.ndarray], list[QAction]]) -> None:
        """Register ``provider(panel, index, point) -> actions`` for the right-click menu.

        ``index`` is the data point under the mouse (or None), ``point`` the map position.
        """
        self._context_providers.append(provider)

    def _show_context_menu(self, event) -> None:
        if not self._context_providers or not self.vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.vb.mapSceneToView(event.scenePos())
        index, point = self.nearest_point(event.scenePos()), np.array([p.x(), p.y()])
        menu = QMenu(self)
        for provider in self._context_providers:
            for action in provider(self, index, point):
                action.setParent(menu)
                menu.addAction(action)
        if not menu.isEmpty():
            event.accept()
            menu.popup(event.screenPos().toPoint())
        self._menu = menu  # keep it alive while shown; tests read it

    def _on_mouse_clicked(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._show_context_menu(event)
            return
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        index = self.nearest_point(event.scenePos())
        if index is not None:
            self.session.select(index)

    def leaveEvent(self, event) -> None:  # noqa: N802
        self.session.set_hover(None)
        super().leaveEvent(event)

    # -- decode the map ---------------------------------------------------------------------------
    @property
    def tile_k(self) -> int:
        return self.tiles.k

    def set_tiles(self, k: int, hide_points: bool = False) -> None:
        """Tile the visible region with decoded images, ``k`` along its shorter side (0: off); ``hide_points``
        hides the data's points while the tiles show."""
        self.tiles.set_k(k)
        for item in (self.scatter, self.rings):
            item.setVisible(not (k and hide_points))
