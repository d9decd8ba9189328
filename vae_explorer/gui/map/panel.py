"""One latent map: the data's codes as coloured points, a draggable cursor, hover and selection.

The data points are one image (see :mod:`.points`), so moving the cursor or the
hover marker repaints only their own small regions, and a million points pan and
zoom smoothly. While codes are still arriving, the map drawn is the partial one
the session holds; hover and clicks work on it too. The marks over the points live
in :mod:`.overlays`, the mouse's hover, clicks and menu in :mod:`.mouse`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from vae_explorer.core.latent.projection import VIEW_TITLES, Projection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.session import Session
from vae_explorer.core.session.work import SessionWork
from vae_explorer.gui.widgets import palette, theme

from ..widgets.text import markup, tooltip
from .marks import HighlightRings, fades
from .mouse import ContextProvider, MapMouse
from .overlays import SampleOverlays
from .points import MapPoints
from .tiles import TileImage
from .view_range import MapRange


class MapPanel(QWidget):
    """The map of one model slot, a thin view of the session.

    Signals: ``sigScatterDrawn(n_points)`` after the data points are (re)drawn;
    ``sigTilesDrawn()`` after a decoded tile mosaic is shown.
    """

    sigScatterDrawn = Signal(int)
    sigTilesDrawn = Signal()

    def __init__(self, session: Session, slot: str, work: SessionWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.slot, self.work = session, slot, work
        self.drawn_key: tuple | None = None
        self._build_plot()
        self.tiles = TileImage(session, slot, work, self.vb)
        self.tiles.sigDrawn.connect(self.sigTilesDrawn)
        self.points = MapPoints(lambda job, done: work.draw_points(slot, job, done))
        self.scatter = self.points.cloud
        self.rings = HighlightRings()
        self.overlays = SampleOverlays(session, slot, self.points)
        o = self.overlays
        self.prior_curves, self.ellipse, self.replay = o.prior_curves, o.ellipse, o.replay
        self.selection_mark, self.hover_mark, self.hover_image = o.selection_mark, o.hover_mark, o.hover_image
        self.cursor = pg.TargetItem(size=16, symbol="crosshair", movable=True)
        self.cursor.setZValue(30)
        self.cursor_halo = pg.TargetItem(size=16, symbol="crosshair", movable=False)  # shows it on dark tiles
        self.cursor_halo.setZValue(29)
        for item in (self.tiles, self.scatter, self.rings, self.replay, *self.prior_curves, self.ellipse, o.draws):
            self.vb.addItem(item)
        for item in (self.selection_mark, self.hover_mark, self.cursor_halo, self.cursor, self.hover_image):
            self.vb.addItem(item)
        self._set_cursor_visible(False)

        self.range = MapRange(session, slot, self.vb, self.scatter)
        self.cursor.sigPositionChanged.connect(self._on_cursor_dragged)
        self.mouse = MapMouse(self, session, self.plot, self.points, self.cursor, self.view_all)
        self._connect_session()
        theme.follow(self, self._apply_theme)  # draws the first time

    def _build_plot(self) -> None:
        """The title over an aspect-locked plot without pyqtgraph's own menu and buttons."""
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

    def _connect_session(self) -> None:
        """Follow the session: its maps, view, models, data, selection, hover, cursor, replay and marks."""
        o, session = self.overlays, self.session
        for signal, handler in (
            (session.maps_changed, self._on_maps_changed),
            (session.view_changed, self._on_view_changed),
            (session.model_changed, self._on_model_changed),
            (session.data_changed, self._on_data_changed),
            (session.selection_changed, self._on_selection_changed),
            (session.hover_changed, o.show_hover),
            (session.cursor_changed, self._on_cursor_changed),
            (session.partial_map, self._on_partial_map),
            (session.replay_changed, o.show_replay),
            (session.draws_changed, o.show_draws),
            (session.marks.changed, self._on_marks_changed),
            (session.evaluation.measures_changed, lambda slot: slot == self.slot and self.redraw()),
        ):
            signal.connect(handler)

    def _apply_theme(self, t: palette.Theme) -> None:
        """The marks in the theme's ink, and the title's colours, when the window turns light or dark."""
        self.overlays.apply_theme(t)
        self.cursor.setPen(palette.pen(t.ink, 2.5))
        self.cursor_halo.setPen(palette.pen(t.halo, 5.0))
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------
    @property
    def slot_state(self):
        return self.session.slots[self.slot]

    def _update_title(self, note: str = "") -> None:
        s = self.slot_state
        view = self.session.view
        text = f"<b>{markup(s.title)}</b> — {VIEW_TITLES[view]}"
        measure = self.session.evaluation.measures.get(self.slot)
        if measure is not None:  # data with known factors: how well this model's dimensions separate them
            text += f" · MIG {measure.mig:.2f}"
        self.title.setToolTip(
            ""
            if measure is None
            else tooltip(
                "Which latent dimension carries each factor:\n" + "\n".join(f.describe() for f in measure.factors)
            )
        )
        proj = self.session.projection(self.slot)
        if proj is not None and not proj.exact:
            text += f" <span style='color:{palette.NOTE}'>(approximate inverse)</span>"
        if proj is not None and proj.note:
            note = proj.note
        if note:
            text += f" <i>{markup(note)}</i>"
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
            if self.drawn_key is not None and self.drawn_key[1] != self.session.view:
                self._clear_points()
            return
        shown = proj if proj is not None else partial
        self._update_title(partial.note if partial is not None else "")
        key = (id(shown), self.session.view)
        if key != self.drawn_key:
            self._draw(shown)
            self.drawn_key = key
        self.overlays.show_selection(self.session.selection)
        self._on_cursor_changed(self.slot)
        self.overlays.show_contours()
        self.overlays.show_replay(self.slot)
        self.overlays.show_draws(self.slot)
        if proj is not None:
            self.tiles.request()

    @property
    def shown_points(self) -> np.ndarray | None:
        """The finished map's points ``(N, 2)`` by data row, or None (nothing drawn, or a partial map)."""
        return self.points.final

    def _clear_points(self) -> None:
        self.points.clear()
        self.rings.clear()
        self.drawn_key = None
        self.range.follow = True
        self.tiles.clear()
        self._set_cursor_visible(False)

    def _draw(self, shown: Projection | PartialMap) -> None:
        n = self.points.draw(shown, self.session.marks)
        self._show_rings()
        self.range.fit()
        self.sigScatterDrawn.emit(n)

    def _on_marks_changed(self, what: str) -> None:
        """Recolour the points, hide or show classes, ring the samples a search found (or fade the others)."""
        marks = self.session.marks
        if what in ("colour", "hidden") or (what == "highlight" and (self.points.faded or fades(marks))):
            self.points.recolour(marks)
        self._show_rings()

    def _show_rings(self) -> None:
        self.rings.show_rings(self.points.drawn_points(self.session.marks.highlight))

    def _on_partial_map(self, slot: str) -> None:
        if slot == self.slot:
            self.redraw()

    # -- session events -------------------------------------------------------------------------
    def _on_maps_changed(self, slot: str) -> None:
        if slot == self.slot:
            self.redraw()

    def _on_model_changed(self, slot: str) -> None:
        if slot == self.slot:
            self._clear_points()
            self.redraw()

    def _on_view_changed(self, view: str) -> None:
        self.range.follow = True  # another map: fit it
        self.redraw()

    def _on_data_changed(self) -> None:
        self._clear_points()
        self.overlays.clear()
        self.redraw()

    def _on_selection_changed(self, index: int | None) -> None:
        self.overlays.show_selection(index)
        self.overlays.show_contours()
        if self.session.view == "pca":
            self.tiles.request_soon()  # the PCA inverse is anchored at the selection

    def _set_cursor_visible(self, visible: bool) -> None:
        self.cursor.setVisible(visible)
        self.cursor_halo.setVisible(visible)

    def _on_cursor_changed(self, slot: str) -> None:
        if slot != self.slot:
            return
        point = self.slot_state.cursor_point
        if point is None or self.shown_points is None:
            self._set_cursor_visible(False)
            return
        self.cursor.blockSignals(True)
        self.cursor.setPos(QPointF(float(point[0]), float(point[1])))
        self.cursor.blockSignals(False)
        self.cursor_halo.setPos(self.cursor.pos())
        self._set_cursor_visible(True)

    # -- user input -------------------------------------------------------------------------
    def _on_cursor_dragged(self, item) -> None:
        pos = self.cursor.pos()
        self.cursor_halo.setPos(pos)
        self.session.move_cursor(self.slot, np.array([pos.x(), pos.y()]))

    def view_all(self) -> None:
        """Show all the points again after a zoom or a pan (Home, the map's menu, the toolbar)."""
        self.range.view_all()

    def show_region(self, rect: tuple[float, float, float, float]) -> None:
        """Zoom to ``(x, y, width, height)`` in map coordinates, as a zoom by hand would (linked, the other follows)."""
        self.range.show_region(rect)

    def nearest_point(self, scene_pos) -> int | None:
        """The data point under a scene position (within a few pixels), or None."""
        return self.mouse.nearest_point(scene_pos)

    def add_context_provider(self, provider: ContextProvider) -> None:
        """Register ``provider(panel, index, point) -> actions`` for the right-click menu.

        ``index`` is the data point under the mouse (or None), ``point`` the map position.
        """
        self.mouse.providers.append(provider)

    @property
    def last_menu(self) -> QMenu | None:
        """The last right-click menu (None before the first)."""
        return self.mouse.menu

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
