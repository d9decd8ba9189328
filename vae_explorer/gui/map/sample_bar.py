"""Above the maps: find samples by name or label, choose what colours the points, and name the samples in view.

A search (substring, or a regular expression) marks every sample whose file name
or label matches in both maps (rings, or the others faded when there are many) and
selects the first; Enter again selects the next.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from vae_explorer.core.data import search
from vae_explorer.core.errors import DataError
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets.palette import HOVER

from .marks import fades

BY_CLASS = "class"


class SampleBar(QWidget):
    """The search box, the colour choice and a line naming the selected and the hovered sample."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find by file name or label (Enter; again: next)")
        self.find.setClearButtonEnabled(True)
        self.find.setToolTip("Ring every sample whose file name or label holds this text, and select the first")
        self.find.returnPressed.connect(self.search)
        self.find.textChanged.connect(lambda text: text or self.session.marks.set_highlight([]))
        self.regex = QCheckBox("regex")
        self.regex.setToolTip("Read the text as a regular expression (Python's), case-insensitive")
        self.colour = QComboBox()
        self.colour.setToolTip("Colour the points by class or by a column of the attribute table")
        self.colour.currentIndexChanged.connect(self._on_colour_chosen)
        self.info = QLabel()  # its width is the layout's, never its text's: hovering lays out nothing
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.info.setFixedHeight(self.info.fontMetrics().lineSpacing() + 4)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.find, 2)
        layout.addWidget(self.regex)
        layout.addWidget(QLabel("colour by"))
        layout.addWidget(self.colour)
        layout.addWidget(self.info, 3)
        self._found = np.zeros(0, dtype=np.int64)
        self._query: tuple[str, bool] | None = None
        session.data_changed.connect(self._on_data_changed)
        session.marks.changed.connect(lambda what: what == "colour" and self._update_colours())
        session.selection_changed.connect(lambda index: self._update_info())
        session.hover_changed.connect(lambda index: self._update_info())
        self._on_data_changed()

    def search(self) -> None:
        """Find the samples the box describes, ring them all and select the first (the next, on Enter again)."""
        data, text = self.session.dataset, self.find.text().strip()
        if data is None or not text:
            return
        query = (text, self.regex.isChecked())
        if query == self._query and len(self._found):
            later = self._found[self._found > (self.session.selection if self.session.selection is not None else -1)]
            self.session.select(int(later[0] if len(later) else self._found[0]))
            return
        try:
            found = search(data, *query)
        except DataError as exc:
            self.session.report(str(exc))
            return
        self._found, self._query = found, query
        self.session.marks.set_highlight(found)
        if not len(found):
            self.session.say(f"no sample's file name or label holds {text!r}")
            return
        self.session.select(int(found[0]))
        shown = "the others are faded in the maps" if fades(self.session.marks) else "all are ringed in the maps"
        self.session.say(f"{len(found):,} samples match {text!r}: the first is selected, {shown}")

    def _on_data_changed(self) -> None:
        self._found, self._query = np.zeros(0, dtype=np.int64), None
        self._update_colours()
        self._update_info()

    def _update_colours(self) -> None:
        marks = self.session.marks
        self.colour.blockSignals(True)
        self.colour.clear()
        self.colour.addItem(BY_CLASS, None)
        for name in marks.columns():
            self.colour.addItem(name, name)
        self.colour.setCurrentIndex(max(0, self.colour.findData(marks.colour_by)))
        self.colour.setEnabled(self.colour.count() > 1)
        self.colour.blockSignals(False)

    def _on_colour_chosen(self, index: int) -> None:
        self.session.marks.set_colour_by(self.colour.itemData(index))

    def _update_info(self) -> None:
        data, s = self.session.dataset, self.session
        parts = []
        if data is not None and s.selection is not None and s.selection < len(data):
            parts.append(f"selected: <b>{html.escape(data.describe_sample(s.selection))}</b>")
        if data is not None and s.hover is not None and s.hover < len(data):
            parts.append(f"<span style='color:{HOVER}'>hovered:</span> {html.escape(data.describe_sample(s.hover))}")
        self.info.setText("&nbsp;&nbsp; ".join(parts))
