"""The Attributes dock: define vectors, read their diagnostics, move both cursors along one, traverse, save, load."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.attributes.files import save_vector
from vae_explorer.core.attributes.vectors import ALPHA_RANGE, AttributeVector, cosine_matrix
from vae_explorer.core.io.images import file_stem
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.core.session.work import SessionWork
from vae_explorer.gui.attributes.boxes import box, row
from vae_explorer.gui.attributes.define import DefineForm
from vae_explorer.gui.attributes.measured import MeasuredEffectsBox
from vae_explorer.gui.attributes.traversal import TraversalBox
from vae_explorer.gui.tasks import TaskRunner
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.labels import steady_label
from vae_explorer.gui.widgets.scroll import ScrollToEnd
from vae_explorer.gui.widgets.text import plain, tooltip

SLIDER_STEPS = 100  # slider ticks per unit of alpha
EFFECTS_SHOWN = 5  # other attributes named under the vectors, the most aligned first
VECTOR_FILTER = "Attribute vectors (*.json);;All files (*)"


def _cosine_brush(c: float) -> QBrush:
    """Red for aligned, blue for opposite, the table's ground (white, or dark in a dark window) for orthogonal."""
    if math.isnan(c):
        return QBrush(QColor(palette.current().empty_cell))
    t = min(abs(c), 1.0)
    zero = QColor(palette.current().cosine_zero).getRgb()[:3]
    end = QColor(palette.COSINE_POSITIVE if c > 0 else palette.COSINE_NEGATIVE).getRgb()[:3]
    return QBrush(QColor(*(round(a + (b - a) * t) for a, b in zip(zero, end, strict=True))))


class AttributesPanel(QWidget):
    """A thin view of ``session.attributes``; heavy work (vectors, grids, files) goes through the runner."""

    def __init__(self, session: Session, runner: TaskRunner, work: SessionWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner, self.state, self.work = session, runner, session.attributes, work
        self.define_form = DefineForm(session, runner, work)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["vector / model", "groups", "|v|", "AUC"])
        self.tree.setRootIsDecorated(True)
        self.tree.setMinimumHeight(90)
        self.tree.setMaximumHeight(190)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._on_current_item)
        self.save_button, self.load_button, self.remove_button = (QPushButton(t) for t in ("Save…", "Load…", "Remove"))
        self.save_button.clicked.connect(self.save_dialog)
        self.load_button.clicked.connect(self.load_dialog)
        self.remove_button.clicked.connect(lambda: self.state.active and self.state.remove(self.state.active))
        buttons = row(self.save_button, self.load_button, self.remove_button)
        self.effects = plain(QLabel())
        self.effects.setWordWrap(True)
        self.effects.setToolTip(
            "How far one unit of the active vector moves along each other attribute of the table: 1.0 is as far "
            "as from that attribute's 0s (or lower half) to its 1s (upper half); cos is the cosine of the two"
        )
        self.cosine_space = QComboBox()
        self.cosine_space.currentIndexChanged.connect(lambda *_: self._update_cosines())
        self.cosine_space.currentIndexChanged.connect(lambda *_: self._update_effects())
        self.cosines = QTableWidget()
        self.cosines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cosines.horizontalHeader().setDefaultSectionSize(54)
        theme.follow(self.cosines, lambda t: self._update_cosines())

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(int(-ALPHA_RANGE * SLIDER_STEPS), int(ALPHA_RANGE * SLIDER_STEPS))
        self.slider.setTickInterval(SLIDER_STEPS)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setToolTip("Move both cursors along their own model's vector (alpha in units of the vector)")
        self.slider.valueChanged.connect(lambda value: self.state.set_alpha(value / SLIDER_STEPS))
        self.alpha_label = steady_label("alpha = +3.00 ")
        self.reset_button = QPushButton("0")
        self.reset_button.setToolTip("Back to alpha = 0: the code the cursors started from")
        self.reset_button.setMaximumWidth(32)
        self.reset_button.clicked.connect(lambda: self.state.set_alpha(0.0))
        apply_row = row(self.alpha_label, self.slider, self.reset_button, stretch=self.slider)
        self.apply_note = plain(QLabel())  # names the vector
        self.apply_note.setWordWrap(True)
        self.traversal = TraversalBox(session, runner)
        self.measured = MeasuredEffectsBox(session)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(box("Define a vector from two groups", self.define_form))
        cos_label = QLabel("cosine similarity in the space of")
        vectors = (self.tree, buttons, cos_label, self.cosine_space, self.effects, self.cosines)
        layout.addWidget(box("Vectors", *vectors))
        layout.addWidget(box("Apply to the cursor", apply_row, self.apply_note))
        layout.addWidget(self.measured)
        layout.addWidget(box("Traversal grid", self.traversal))
        layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        self.to_end = ScrollToEnd(self.scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        self.state.vectors_changed.connect(self._on_vectors_changed)
        self.state.active_changed.connect(self._on_active_changed)
        self.state.alpha_changed.connect(self._on_alpha_changed)
        session.model_changed.connect(lambda slot: self._on_models_changed())
        self._on_models_changed()
        self._on_alpha_changed(self.state.alpha)

    # -- the list and its diagnostics ------------------------------------------------------------
    def _on_models_changed(self) -> None:
        current = self.cosine_space.currentData()
        self.cosine_space.blockSignals(True)
        self.cosine_space.clear()
        for slot in SLOTS:
            self.cosine_space.addItem(self.session.slots[slot].title, slot)
        self.cosine_space.setCurrentIndex(max(0, self.cosine_space.findData(current)))
        self.cosine_space.blockSignals(False)
        self._on_vectors_changed()

    def _on_vectors_changed(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for name, vector in self.state.vectors.items():
            top = QTreeWidgetItem([name, "", "", ""])
            top.setData(0, Qt.ItemDataRole.UserRole, name)
            top.setToolTip(0, f"{vector.description} ({vector.data})" if vector.description else name)
            for slot in SLOTS:
                e = self.state.entry(name, slot)
                if e is None:
                    continue
                sizes = f"{e.n_pos} vs {e.n_neg}" if e.n_pos else "—"
                auc = "—" if math.isnan(e.auc) else f"{e.auc:.3f}"
                child = QTreeWidgetItem([self.session.slots[slot].title, sizes, f"{e.norm:.3f}", auc])
                child.setData(0, Qt.ItemDataRole.UserRole, name)
                child.setToolTip(
                    3, "ROC AUC of telling the groups apart along the vector, on samples it was not made from (5 folds)"
                )
                top.addChild(child)
                if not top.text(1):
                    top.setText(1, sizes)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.tree.blockSignals(False)
        self._on_active_changed(self.state.active)
        self._update_cosines()

    def _on_current_item(self, item: QTreeWidgetItem | None, previous) -> None:
        if item is not None:
            self.state.set_active(item.data(0, Qt.ItemDataRole.UserRole))

    def _on_active_changed(self, name: str | None) -> None:
        self.tree.blockSignals(True)
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            active = item.data(0, Qt.ItemDataRole.UserRole) == name
            font = QFont(item.font(0))
            font.setBold(active)
            item.setFont(0, font)
            current = self.tree.currentItem()
            if active and (current is None or current.data(0, Qt.ItemDataRole.UserRole) != name):
                self.tree.setCurrentItem(item)
        self.tree.blockSignals(False)
        for b in (self.save_button, self.remove_button, self.slider, self.reset_button):
            b.setEnabled(name is not None)
        self.apply_note.setText(
            f"moving along {name!r}" if name else "define or load a vector, then move the cursors along it"
        )
        self._update_effects()

    def _update_effects(self) -> None:
        """What else the active vector moves, in the space the cosines are shown in."""
        slot = self.cosine_space.currentData() or SLOTS[0]
        entry = self.state.entry(self.state.active, slot)
        if entry is None or not entry.effects:
            self.effects.setText("")
            return
        shown = [f"{e.name} {e.share:+.2f} (cos {e.cosine:+.2f})" for e in entry.effects[:EFFECTS_SHOWN]]
        more = f", and {len(entry.effects) - EFFECTS_SHOWN} more" if len(entry.effects) > EFFECTS_SHOWN else ""
        self.effects.setText(f"{self.state.active!r} also moves: {', '.join(shown)}{more}")

    def _update_cosines(self) -> None:
        slot = self.cosine_space.currentData() or SLOTS[0]
        names = [n for n in self.state.vectors if self.state.entry(n, slot) is not None]
        matrix = cosine_matrix([self.state.entry(n, slot).values for n in names])
        self.cosines.clear()
        self.cosines.setRowCount(len(names))
        self.cosines.setColumnCount(len(names))
        self.cosines.setHorizontalHeaderLabels([str(i + 1) for i in range(len(names))])
        self.cosines.setVerticalHeaderLabels([f"{i + 1} {n}" for i, n in enumerate(names)])
        rows_height = sum(self.cosines.rowHeight(i) for i in range(len(names)))
        self.cosines.setFixedHeight(min(200, self.cosines.horizontalHeader().height() + rows_height + 4))
        for i in range(len(names)):
            for j in range(len(names)):
                c = float(matrix[i, j])
                cell = QTableWidgetItem("—" if np.isnan(c) else f"{c:+.2f}")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setBackground(_cosine_brush(c))
                cell.setToolTip(tooltip(f"cos({names[i]}, {names[j]}) = {c:.4f}"))
                self.cosines.setItem(i, j, cell)

    # -- alpha ------------------------------------------------------------------------------------------
    def _on_alpha_changed(self, alpha: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(alpha * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.alpha_label.setText(f"alpha = {alpha:+.2f}")

    def show_traversal(self, rows: int, reach: float, steps: int, from_zero: bool = False) -> None:
        """Preview a traversal grid of the active vector for both models, kept in view (the dock's last box)."""
        self.traversal.show_grid(rows, reach, steps, from_zero)
        self.to_end.start()

    # -- files --------------------------------------------------------------------------------------------
    def save(self, path: str) -> None:
        """Write the active vector to ``path`` (JSON), in the background."""
        vector = self.state.active_vector()
        if vector is None:
            self.session.report("no vector to save: define or load one first")
            return
        self.runner.start(
            "attribute-save",
            f"Saving {vector.name!r}",
            lambda state: save_vector(path, vector),
            lambda written: self.session.say(f"saved {vector.name!r} to {written}"),
        )

    def load(self, path: str) -> None:
        """Read a vector file and bind it to the loaded models in the background, then add it.

        Bound as ``vae-explorer traverse --vector`` binds it: remade from its groups
        where the open data allows, else its saved values; the message says which.
        """

        def keep(vector: AttributeVector, notes: list[str]) -> None:
            self.state.add(vector)
            self.session.say("; ".join([f"loaded {vector.name!r} from {path}", *notes]))

        self.work.features.load_vector(path, keep)

    def save_dialog(self) -> None:
        name = file_stem(self.state.active, "vector")
        path, _ = QFileDialog.getSaveFileName(self, "Save attribute vector", f"{name}.json", VECTOR_FILTER)
        if path:
            self.save(path)

    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load attribute vector", "", VECTOR_FILTER)
        if path:
            self.load(path)
