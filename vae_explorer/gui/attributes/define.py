"""Defining an attribute vector: two groups (classes, a column, map selections, a pixel statistic) and a name."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.attributes.groups import PIXEL_STATS, ClassGroups, ColumnGroups, Groups, PixelGroups
from vae_explorer.core.data import load_attribute_table
from vae_explorer.core.data.attribute_table import is_binary
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.session import Session
from vae_explorer.core.session.work import SessionWork
from vae_explorer.gui.tasks import TaskRunner

from ..widgets.text import plain
from .selection import GROUP_KEYS, SelectionGroups, compact_combo

KINDS = ("Class vs class", "Class vs rest", "Attribute column", "Map selection", "Pixel statistic")
COLUMN_SPLITS = (("1 vs 0 (binary)", None), ("upper vs lower half", "median"), ("above a value", "threshold"))
BALANCE = (("auto", None), ("on", True), ("off", False))
TABLE_FILTER = "Attribute tables (*.csv *.txt);;All files (*)"


def _page(*rows: tuple[str, QWidget]) -> QWidget:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(0, 0, 0, 0)
    for label, widget in rows:
        form.addRow(label, widget)
    return page


class DefineForm(QWidget):
    """Pick two groups and a name; *Define* computes the vector in both models' spaces, off the GUI thread."""

    def __init__(self, session: Session, runner: TaskRunner, work: SessionWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner, self.state = session, runner, session.attributes
        self.work = work
        self.kind = compact_combo()
        self.kind.addItems(KINDS)
        self.toward, self.away, self.one_class = compact_combo(), compact_combo(), compact_combo()
        self.column = compact_combo()
        self.table_label = plain(QLabel())  # the table file's path
        self.table_label.setWordWrap(True)
        self.load_table_button = QPushButton("Load attribute table…")
        self.load_table_button.setToolTip("A CSV with an index column (row numbers or file names) or CelebA's file")
        self.load_table_button.clicked.connect(self.load_table_dialog)
        self.column_split = compact_combo()
        for text, key in COLUMN_SPLITS:
            self.column_split.addItem(text, key)
        self.threshold = QDoubleSpinBox(minimum=-1e9, maximum=1e9, decimals=3)
        self.threshold.setToolTip("Rows above this value vs the others")
        self.stat = compact_combo()
        for key, text in PIXEL_STATS.items():
            self.stat.addItem(text, key)
        self.pages = QStackedWidget()
        self.pages.addWidget(_page(("toward", self.toward), ("from", self.away)))
        self.pages.addWidget(_page(("class", self.one_class)))
        column_page = _page(("column", self.column), ("split", self.column_split), ("above", self.threshold))
        column_page.layout().addRow(self.table_label)
        column_page.layout().addRow(self.load_table_button)
        self.pages.addWidget(column_page)
        self.selection = SelectionGroups(session)
        self.shape, self.select_buttons = self.selection.shape, self.selection.select_buttons
        self.counts, self.rest = self.selection.counts, self.selection.rest
        self.pages.addWidget(self.selection)
        self.pages.addWidget(_page(("statistic", self.stat)))
        self.balance = compact_combo()
        for text, key in BALANCE:
            self.balance.addItem(text, key)
        self.balance.setToolTip(
            "Make the vector within each class and average (so it does not carry what tells the classes apart); "
            "auto: when both groups span several classes"
        )
        self.name = QLineEdit()
        self.define_button = QPushButton("Define vector")
        self.define_button.setDefault(True)
        self.define_button.clicked.connect(self.define)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.pages)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("name"))
        name_row.addWidget(self.name, 1)
        layout.addLayout(name_row)
        balance_row = QHBoxLayout()
        balance_row.addWidget(QLabel("within classes"))
        balance_row.addWidget(self.balance, 1)
        layout.addLayout(balance_row)
        layout.addWidget(self.define_button)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        for combo in (self.toward, self.away, self.one_class, self.column, self.column_split, self.stat):
            combo.currentIndexChanged.connect(lambda *_: self._update_name())
        self.column.currentIndexChanged.connect(lambda *_: self._on_column_chosen())
        self.column_split.currentIndexChanged.connect(lambda *_: self._update_threshold())
        self.threshold.valueChanged.connect(lambda *_: self._update_name())
        self.selection.sigChanged.connect(self._update_name)
        session.data_changed.connect(self._on_data_changed)
        self.state.table_changed.connect(self._on_table_changed)
        self._on_data_changed()
        self._on_kind_changed(0)

    # -- reading the form ----------------------------------------------------------------------
    def groups(self) -> Groups:
        """The groups the form describes; raises a one-line error when they are incomplete."""
        page = self.pages.currentIndex()
        if page == 0:
            return ClassGroups(self.toward.currentText(), self.away.currentText())
        if page == 1:
            return ClassGroups(self.one_class.currentText(), None)
        if page == 2:
            if not self.column.count():
                raise VaeExplorerError("no attribute table: load one first (Load attribute table…)")
            split = self.column_split.currentData()
            return ColumnGroups(self.column.currentText(), self.threshold.value() if split == "threshold" else split)
        if page == 3:
            return self.state.selection_groups(self.rest.isChecked())
        return PixelGroups(self.stat.currentData())

    def _update_name(self) -> None:
        try:
            groups = self.groups()
        except VaeExplorerError:
            self.name.setPlaceholderText("")
            return
        self.name.setPlaceholderText(groups.default_name(self.session.dataset))

    # -- actions ---------------------------------------------------------------------------------
    def define(self) -> None:
        """Compute the vector described by the form in every model's space, in the background."""
        try:
            self.work.features.define_vector(
                self.name.text(), self.groups(), self.state.add_defined, self.balance.currentData()
            )
        except VaeExplorerError as exc:
            self.session.report(str(exc))

    def load_table_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load attribute table", "", TABLE_FILTER)
        if path:
            self.load_table(path)

    def load_table(self, path: str) -> None:
        """Read a table for the current data in the background; a table that does not match changes nothing."""
        data = self.session.dataset
        if data is None:
            self.session.report("open data before its attribute table")
            return

        def done(table) -> None:
            if self.session.dataset is data:
                self.state.set_table(table)
                read = f"attribute table {path}: {len(table.names)} columns"
                self.session.say(f"{read}; {table.note}" if table.note else read)

        self.runner.start(
            "attribute-table",
            "Reading an attribute table",
            lambda state: load_attribute_table(path, data),
            done,
        )

    # -- session events ------------------------------------------------------------------------------
    def _on_kind_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        for i in range(self.pages.count()):  # the stack takes the height of the page shown only
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.pages.adjustSize()
        if index != 3 and self.state.tool is not None:
            self.state.set_tool(None)
        self._update_name()

    def _on_data_changed(self) -> None:
        data = self.session.dataset
        names = list(data.label_names) if data is not None and data.labels is not None else []
        for combo in (self.toward, self.away, self.one_class):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.blockSignals(False)
        if len(names) > 1:
            self.away.setCurrentIndex(1)
        for key in GROUP_KEYS:
            self.selection.show_group(key)
        self._on_table_changed()

    def _on_column_chosen(self) -> None:
        """A numeric column is split at its median unless told otherwise; a binary one as it is."""
        table = self.state.attribute_table()
        if table is None or not self.column.count():
            return
        values = table.column(self.column.currentText())
        if not is_binary(values) and self.column_split.currentData() is None:
            self.column_split.setCurrentIndex(self.column_split.findData("median"))
        elif is_binary(values):
            self.column_split.setCurrentIndex(self.column_split.findData(None))
        self.threshold.setValue(float(np.median(values)))
        self._update_threshold()

    def _update_threshold(self) -> None:
        self.threshold.setEnabled(self.column_split.currentData() == "threshold")

    def _on_table_changed(self) -> None:
        table = self.state.attribute_table()
        self.column.blockSignals(True)
        self.column.clear()
        if table is not None:
            self.column.addItems(table.names)
        self.column.blockSignals(False)
        self.table_label.setText(f"table: {table.source}" if table is not None else "no attribute table loaded")
        self._on_column_chosen()
        self._update_name()
