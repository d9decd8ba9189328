"""The Selection dock: how many samples the maps' selection holds, a bar per label, and what to do with them.

The selection can be shown alone on both maps (and all again), kept as group A or B of
the Attributes dock (to make a vector from it), exported as a list of the samples'
names, or cleared. Everything goes through the session.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vae_explorer.core.attributes.picked import export_names, label_histogram
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette, theme

from .tool import KEY, SHORTCUT

HINT = f"Nothing selected: turn on Lasso in the toolbar ({SHORTCUT}) and draw around points in a map."


class SelectionPanel(QWidget):
    """The maps' selection: its size, its labels' histogram, Show only, Keep as group A / B, Export names, Clear."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.state = session, session.attributes
        self.summary = QLabel(HINT)
        self.summary.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.setMinimumHeight(120)
        self.plot.setMaximumHeight(260)
        theme.style_plot(self.plot)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.plot.addItem(self.bars)
        self.alone = QPushButton("Show only these", checkable=True)
        self.alone.setToolTip("Show only the selected samples on both maps; again: all of them")
        self.keep = {key: QPushButton(f"Keep as group {key}") for key in ("A", "B")}
        for key, button in self.keep.items():
            button.setToolTip(f"Make the selection group {key} of the Attributes dock, to define a vector from it")
            button.clicked.connect(lambda checked=False, k=key: self.keep_as(k))
        self.export = QPushButton("Export names…")
        self.export.setToolTip("Write the selected samples' names to a text file, one a line")
        self.clear = QPushButton("Clear")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.plot, 1)
        for row in ((self.alone, self.clear), (*self.keep.values(), self.export)):
            line = QHBoxLayout()
            for button in row:
                line.addWidget(button)
            layout.addLayout(line)
        layout.addStretch(1)
        self.alone.toggled.connect(self.show_alone)
        self.export.clicked.connect(lambda: self.export_dialog())
        self.clear.clicked.connect(lambda: self.state.set_selection(KEY, None))
        self.state.selection_changed.connect(lambda key: key == KEY and self.refresh())
        session.marks.changed.connect(lambda what: what == "hidden" and self._follow_marks())
        theme.follow(self, lambda t: self.refresh())

    @property
    def indices(self) -> np.ndarray | None:
        return self.state.selections[KEY]

    def counts(self) -> tuple[list[str], np.ndarray]:
        """The labels' names and the bars' heights: how many selected samples carry each label."""
        data, indices = self.session.dataset, self.indices
        if data is None or indices is None:
            return [], np.zeros(0, dtype=np.int64)
        return label_histogram(data, indices)

    def refresh(self) -> None:
        indices, (names, counts) = self.indices, self.counts()
        has = indices is not None and len(indices) > 0
        for button in (self.alone, self.export, self.clear, *self.keep.values()):
            button.setEnabled(has)
        if not has:
            self.summary.setText(HINT)
            self.alone.setChecked(False)
        else:
            top = int(np.argmax(counts)) if len(counts) else None
            most = f"; most are {names[top]} ({counts[top]})" if top is not None and counts[top] else ""
            self.summary.setText(f"{len(indices):,} samples selected{most}")
            if self.alone.isChecked():
                self.session.marks.set_only(indices)
        self.bars.setOpts(x=np.arange(len(counts)), height=counts, width=0.8, brush=palette.GROUP_COLORS[KEY])
        self.plot.getAxis("bottom").setTicks([list(enumerate(names))])
        self.plot.setXRange(-0.6, max(len(counts), 1) - 0.4, padding=0)
        self.plot.setYRange(0, max(int(counts.max()) if len(counts) else 1, 1), padding=0.05)

    def show_alone(self, on: bool) -> None:
        """Show only the selection on both maps, or every sample again."""
        self.session.marks.set_only(self.indices if on and self.indices is not None else None)

    def _follow_marks(self) -> None:
        alone = self.session.marks.only is not None
        if alone != self.alone.isChecked():
            self.alone.blockSignals(True)
            self.alone.setChecked(alone)
            self.alone.blockSignals(False)

    def keep_as(self, key: str) -> None:
        """Make the selection group ``key`` of the Attributes dock."""
        if self.indices is not None:
            self.state.set_selection(key, self.indices.copy())
            self.session.say(f"group {key}: the {len(self.indices)} selected samples")

    def export_to(self, path: str) -> bool:
        """Write the selected samples' names to ``path``; False (and the window says why) when it cannot."""
        data = self.session.dataset
        if data is None or self.indices is None:
            return False
        try:
            export_names(path, data, self.indices)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return False
        self.session.say(f"{len(self.indices)} names written to {path}")
        return True

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export names", "selection.txt", "Text files (*.txt)")
        if path:
            self.export_to(path)
