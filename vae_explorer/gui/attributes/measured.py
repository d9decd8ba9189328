"""The active vector's measured effect on every known factor of the faces, in each model's space.

The numbers ``vae-explorer evaluate --vector`` prints: one unit of the vector
added to the first faces' codes, the decoded images read by the shipped factor
predictor before and after, the mean change of each factor. Shown only for data
with known factors (the generated faces); computed on a worker by the session's
evaluation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from vae_explorer.core.data.faces import FACTORS
from vae_explorer.core.evaluation.state import EFFECT_ALPHA
from vae_explorer.core.session import SLOTS, Session

from ..widgets.text import plain

UNITS = (
    "continuous factors in fractions of their range, binary ones in probability, "
    "categorical ones as the share of probability moved to other levels"
)


class MeasuredEffectsBox(QGroupBox):
    """A factor-by-model table of the active vector's effect; hidden for data without known factors."""

    def __init__(self, session: Session) -> None:
        super().__init__("Measured effect on the faces' factors")
        self.session, self.state = session, session.evaluation
        self.table = QTableWidget(len(FACTORS) + 1, len(SLOTS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().lineSpacing() + 4)
        rows = sum(self.table.rowHeight(i) for i in range(self.table.rowCount()))
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + 4)
        self.note = plain(QLabel())  # names the vector
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self.state.effects_changed.connect(self.refresh)
        session.model_changed.connect(lambda slot: self.refresh())
        session.data_changed.connect(self.refresh)
        self.refresh()

    def cell(self, factor: str, slot: str) -> str:
        """The text shown for ``factor`` (or ``"own / other"``) in ``slot``'s column."""
        row = [*(f.name for f in FACTORS), "own / other"].index(factor)
        item = self.table.item(row, SLOTS.index(slot))
        return item.text() if item is not None else ""

    def refresh(self) -> None:
        self.setVisible(self.state.measurable)
        name, target, effects = self.state.vector, self.state.target, self.state.effects
        heads = []
        for slot in SLOTS:
            model = self.session.slots[slot].model
            heads.append(model.label if model is not None else slot)
        self.table.setHorizontalHeaderLabels(heads)
        labels = [f"{f.name} *" if f.name == target else f.name for f in FACTORS]
        self.table.setVerticalHeaderLabels([*labels, "own / other"])
        for col, slot in enumerate(SLOTS):
            effect = effects.get(slot)
            for row, f in enumerate(FACTORS):
                text = "" if effect is None else f"{effect.changes[row]:{'' if f.kind == 'categorical' else '+'}.3f}"
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if f.name == target:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
            summary = ""
            if effect is not None and target:
                other, change = effect.largest_other()
                summary = f"{effect.change(target):+.2f} / {abs(change):.2f} ({other})"
            self.table.setItem(len(FACTORS), col, QTableWidgetItem(summary))
        if name is None:
            self.note.setText("define or load a vector to measure how it moves each factor")
        else:
            n = next((e.n for e in effects.values()), None)
            where = f"the first {n} faces" if n else "the first faces (measuring…)"
            self.note.setText(
                f"{name!r}, alpha {EFFECT_ALPHA:g}, on {where}: the mean change of each factor a predictor reads "
                f"off the decoded images ({UNITS}); * the vector's own factor"
            )
