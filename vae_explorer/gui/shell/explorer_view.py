"""The Explore tab: both maps, both decoded cursors, and docks for sliders and samples."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSpinBox, QSplitter, QToolBar, QVBoxLayout, QWidget

from vae_explorer.core.latent.projection import VIEW_TITLES, VIEWS
from vae_explorer.core.session.work import SessionWork
from vae_explorer.gui.attributes.overlay import MapAttributeOverlay
from vae_explorer.gui.attributes.panel import AttributesPanel
from vae_explorer.gui.explore.decode_panel import DecodePanel
from vae_explorer.gui.explore.decoded_export import export_decoded_dialog
from vae_explorer.gui.explore.neighbours_panel import NeighboursPanel
from vae_explorer.gui.explore.samples_panel import SamplesPanel
from vae_explorer.gui.explore.sliders_panel import SlidersPanel
from vae_explorer.gui.lessons.panel import LessonPanel
from vae_explorer.gui.map import export
from vae_explorer.gui.map.legend import Legend
from vae_explorer.gui.map.panel import MapPanel
from vae_explorer.gui.map.sample_bar import SampleBar
from vae_explorer.gui.morph.overlay import MorphOverlay
from vae_explorer.gui.morph.panel import MorphPanel
from vae_explorer.gui.selection.panel import SelectionPanel
from vae_explorer.gui.selection.tool import lasso_action

from ...core.session import SLOTS, Session
from ..tasks import TaskRunner

VIEW_KEYS = {"pca": "Ctrl+1", "tsne": "Ctrl+2", "umap": "Ctrl+4", "latent": "Ctrl+3"}
RIGHT_TABS = ("sliders", "samples", "neighbours", "attributes", "selection")  # the tabs of the first-launch layout
FIRST_DOCK_WIDTH = 300


class ExplorerView(QMainWindow):
    """Maps side by side over their decoded cursors; docks can be moved and are remembered."""

    def __init__(self, session: Session, runner: TaskRunner, work: SessionWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.session, self.runner = session, runner
        self.maps = {slot: MapPanel(session, slot, work) for slot in SLOTS}
        self.decoders = {slot: DecodePanel(session, slot) for slot in SLOTS}
        top, bottom = QSplitter(Qt.Orientation.Horizontal), QSplitter(Qt.Orientation.Horizontal)
        for slot in SLOTS:
            top.addWidget(self.maps[slot])
            bottom.addWidget(self.decoders[slot])
        self.legend = Legend(session)
        self.sample_bar = SampleBar(session)
        maps = QWidget()
        maps_layout = QVBoxLayout(maps)
        maps_layout.setContentsMargins(0, 0, 0, 0)
        maps_layout.setSpacing(0)
        maps_layout.addWidget(self.sample_bar)
        maps_layout.addWidget(self.legend)
        maps_layout.addWidget(top, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(maps)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        top.splitterMoved.connect(lambda pos, index: bottom.setSizes(top.sizes()))
        self.setCentralWidget(self.splitter)

        self.sliders = SlidersPanel(session)
        self.samples = SamplesPanel(session, runner)
        self.docks: dict[str, QDockWidget] = {}
        self.add_dock("sliders", "Latent sliders", self.sliders, Qt.DockWidgetArea.RightDockWidgetArea)
        self.add_dock("samples", "Samples", self.samples, Qt.DockWidgetArea.RightDockWidgetArea)
        self.neighbours = NeighboursPanel(session)
        self.add_dock("neighbours", "Neighbours", self.neighbours, Qt.DockWidgetArea.RightDockWidgetArea)
        self.attributes = AttributesPanel(session, runner, work)
        self.add_dock("attributes", "Attributes", self.attributes, Qt.DockWidgetArea.RightDockWidgetArea)
        self.selection = SelectionPanel(session)
        self.add_dock("selection", "Selection", self.selection, Qt.DockWidgetArea.RightDockWidgetArea)
        self.attribute_overlays = {slot: MapAttributeOverlay(session, self.maps[slot]) for slot in SLOTS}
        self.morph = MorphPanel(session, runner)
        self.morph_overlays = [MorphOverlay(session, self.maps[slot]) for slot in SLOTS]
        for panel in self.maps.values():  # after the features' entries
            panel.add_context_provider(lambda p, index, point: export.context_actions(p, runner))
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.add_dock("morph", "Morph", self.morph, Qt.DockWidgetArea.BottomDockWidgetArea)
        for overlay in self.morph_overlays:  # the morph is drawn on the maps while its dock is open
            self.docks["morph"].toggleViewAction().toggled.connect(overlay.set_shown)
        self.lesson = LessonPanel(session)
        self.add_dock("lessons", "Lesson", self.lesson, Qt.DockWidgetArea.TopDockWidgetArea)
        self.splitter.setSizes([560, 300])
        self._build_toolbar()
        session.model_changed.connect(lambda slot: self._on_model_changed())
        session.codes_changed.connect(lambda slot: self._update_view_actions())
        session.view_changed.connect(self._on_view_changed)
        session.morph.keys_changed.connect(self._on_morph_keys_changed)

    def arrange_docks(self) -> None:
        """The first-launch layout: the maps and the decoded cursors take most of the window.

        Latent sliders, Samples and Attributes share one narrow column of tabs on the
        right; Morph, below, starts closed and opens when a morph key is set (or from
        the View menu); Lesson, above, opens with a lesson. Only for a window with no
        saved layout: tabs made here and then replaced by ``restoreState`` would leave
        Qt's first tab bar on screen, over the central widget.
        """
        for a, b in zip(RIGHT_TABS, RIGHT_TABS[1:], strict=False):
            self.tabifyDockWidget(self.docks[a], self.docks[b])
        self.docks["sliders"].raise_()
        self.resizeDocks([self.docks["sliders"]], [FIRST_DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["morph"]], [250], Qt.Orientation.Vertical)
        self.docks["morph"].hide()
        self.docks["lessons"].hide()  # opened by Help > Lessons

    def add_export_actions(self, menu, action) -> None:
        """File > Export's entries, made by ``action(menu, text, slot, shortcut)``: each map, the decoded images,
        the morph's strip."""
        for slot, key in zip(SLOTS, ("Ctrl+E", "Ctrl+Shift+E"), strict=True):
            text = f"{slot.capitalize()} &map (SVG, PDF, PNG)…"
            action(menu, text, lambda s=slot: export.export_map_dialog(self.maps[s], self.runner, self), key)
        action(menu, "&Decoded images (PNG)…", lambda: export_decoded_dialog(self.session, self))
        action(menu, "Morph &strip (PNG)…", self.morph.exports.export_strip_dialog)

    def save_layout(self) -> tuple[QByteArray, QByteArray]:
        """The docks' places and sizes and the maps' share of the central area, to give back later."""
        return self.saveState(), self.splitter.saveState()

    def restore_layout(self, layout: tuple[QByteArray, QByteArray]) -> None:
        """Put the docks and the maps' share back as :meth:`save_layout` found them."""
        self.restoreState(layout[0])
        self.show_decoded(True)
        self.splitter.restoreState(layout[1])

    def show_decoded(self, shown: bool) -> None:
        """Show the decoded cursors under the maps, or hide them and leave the maps all the room."""
        self.splitter.widget(1).setVisible(shown)

    def _on_morph_keys_changed(self) -> None:
        """A morph key was set (a map's menu, a button): show the Morph dock if it was closed."""
        morph, dock = self.session.morph, self.docks["morph"]
        if (morph.start is not None or morph.end is not None) and not dock.isVisible():
            dock.show()
            dock.raise_()

    def _show_dock(self, key: str) -> None:
        dock = self.docks[key]
        dock.show()
        dock.raise_()

    def add_dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{key}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _build_toolbar(self) -> None:
        bar = QToolBar("View")
        bar.setObjectName("toolbar-view")
        bar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.addWidget(QLabel(" Map: "))
        self.view_group = QActionGroup(self)
        self.view_actions: dict[str, QAction] = {}
        for view in VIEWS:
            action = QAction(VIEW_TITLES[view], self, checkable=True)
            action.setShortcut(QKeySequence(VIEW_KEYS[view]))
            action.setToolTip(
                f"The raw latent plane (2-D latent models only) ({VIEW_KEYS[view]})"
                if view == "latent"
                else f"{VIEW_TITLES[view]} map ({VIEW_KEYS[view]})"
            )
            action.triggered.connect(lambda checked, v=view: self.session.set_view(v))
            self.view_group.addAction(action)
            bar.addAction(action)
            self.view_actions[view] = action
        self.view_actions[self.session.view].setChecked(True)
        self.view_all_action = QAction("View all", self)
        self.view_all_action.setShortcut(QKeySequence("Home"))
        self.view_all_action.setToolTip("Show all of both maps again after a zoom or a pan (Home)")
        self.view_all_action.triggered.connect(self.view_all)
        bar.addAction(self.view_all_action)
        bar.addSeparator()
        self.tiles_action = QAction("Decode the map", self, checkable=True)
        self.tiles_action.setShortcut(QKeySequence("Ctrl+D"))
        self.tiles_action.setToolTip("Tile the visible region of each map with decoded images (Ctrl+D)")
        self.tiles_action.toggled.connect(lambda on: self._apply_tiles())
        bar.addAction(self.tiles_action)
        self.link_action = QAction("Link cursors", self, checkable=True)
        self.link_action.setShortcut(QKeySequence("Ctrl+K"))
        self.link_action.setToolTip(
            "Dragging one map's cursor moves the other model's cursor to the same place among the data (the same"
            " samples nearby), and both decode; a zoom in one map shows the same data in the other (Ctrl+K)"
        )
        self.link_action.setChecked(self.session.linked)
        self.link_action.toggled.connect(self.session.set_linked)
        self.session.linked_changed.connect(self.link_action.setChecked)
        self.tile_k = QSpinBox(minimum=2, maximum=40, value=12)
        self.tile_k.setPrefix("k = ")
        self.tile_k.setToolTip("Tiles along the map's shorter side (they keep the images' square pixels)")
        self.tile_k.valueChanged.connect(lambda k: self._apply_tiles())
        bar.addWidget(self.tile_k)
        self.hide_points_action = QAction("Hide points", self, checkable=True)
        self.hide_points_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.hide_points_action.setToolTip("Hide the data's points while the map is decoded (Ctrl+Shift+D)")
        self.hide_points_action.toggled.connect(lambda on: self._apply_tiles())
        self.hide_points_action.setEnabled(False)
        bar.addAction(self.hide_points_action)
        bar.addSeparator()
        bar.addAction(self.link_action)
        self.lasso_action = lasso_action(self.session, self)
        self.lasso_action.toggled.connect(lambda on: on and self._show_dock("selection"))
        bar.addAction(self.lasso_action)
        self._update_view_actions()

    def view_all(self) -> None:
        """Both maps show all their points again."""
        for panel in self.maps.values():
            panel.view_all()

    def _apply_tiles(self) -> None:
        k = self.tile_k.value() if self.tiles_action.isChecked() else 0
        self.hide_points_action.setEnabled(bool(k))
        for panel in self.maps.values():
            panel.set_tiles(k, self.hide_points_action.isChecked())

    def _update_view_actions(self) -> None:
        available = self.session.available_views()
        for view, action in self.view_actions.items():
            action.setEnabled(view in available)

    def _on_model_changed(self) -> None:
        """Keep the view one the models can show: the latent plane only for 2-D latents, else PCA."""
        self._update_view_actions()
        s = self.session
        if s.view == "latent" and any(slot.loaded for slot in s.slots.values()) and "latent" not in s.available_views():
            s.say("the latent plane needs models with a 2-D latent: showing the PCA map")
            s.set_view("pca")

    def _on_view_changed(self, view: str) -> None:
        self.view_actions[view].setChecked(True)
