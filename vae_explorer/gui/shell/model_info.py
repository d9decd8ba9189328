"""Model info: the models on show as ``vae-explorer info`` describes them, and on data with known factors
their MIG and which dimension carries each factor.

The numbers ``vae-explorer evaluate`` prints, as the session's evaluation has them
(measured on a worker when a model's codes arrive); the dialog follows them live.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.data.faces import FACTOR_NAMES
from vae_explorer.core.evaluation.disentanglement import BINS
from vae_explorer.core.model.summary import summary_rows
from vae_explorer.core.session import SLOTS, Session

from ..widgets.text import markup

EXPLAINED = (
    f"MIG, the mutual information gap ({BINS} bins, as disentanglement_lib computes it): for each factor, "
    "how much more one latent dimension tells about it than the runner-up, as a share of the factor's "
    "information, averaged over the factors; 1 is one factor per dimension, 0 no dimension stands out. "
    "Each cell: the dimension that carries the factor, its share of the factor's information, and its gap "
    "over the runner-up."
)


class ModelInfoDialog(QDialog):
    """Both models' description (what ``vae-explorer info`` prints) and, for data with known factors,
    their disentanglement side by side."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Model info")
        self.session = session
        self.models = QLabel()
        self.models.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.models.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(len(FACTOR_NAMES) + 1, len(SLOTS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalHeaderLabels(["MIG", *FACTOR_NAMES])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.models)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)
        session.evaluation.measures_changed.connect(lambda slot: self.refresh())
        session.model_changed.connect(lambda slot: self.refresh())
        session.model_loaded.connect(lambda slot: self.refresh())
        session.data_changed.connect(self.refresh)
        self.refresh()

    def cell(self, row: str, slot: str) -> str:
        """The text in row ``row`` (``MIG`` or a factor) of ``slot``'s column."""
        item = self.table.item(["MIG", *FACTOR_NAMES].index(row), SLOTS.index(slot))
        return item.text() if item is not None else ""

    def refresh(self) -> None:
        lines = []
        for slot in SLOTS:
            s = self.session.slots[slot]
            if s.model is not None:
                rows = "".join(
                    f"<tr><td>{markup(label)}&nbsp;&nbsp;</td><td>{markup(text)}</td></tr>"
                    for label, text in summary_rows(s.model)
                )
                lines.append(f"<b>{slot}</b>: {markup(s.title)}<table>{rows}</table>")
        data = self.session.dataset
        if data is not None:
            lines.append(f"<b>data</b>: {data.description}")
        self.models.setText("<br>".join(lines) or "no models open")
        evaluation = self.session.evaluation
        self.table.setVisible(evaluation.measurable)
        if not evaluation.measurable:
            self.note.setText("The open data has no known factors to measure the models against: open the faces.")
            return
        self.note.setText(EXPLAINED)
        self.table.setHorizontalHeaderLabels([self.session.slots[slot].title for slot in SLOTS])
        for col, slot in enumerate(SLOTS):
            measure = evaluation.measures.get(slot)
            cells = ["measuring…" if self.session.slots[slot].loaded else ""] + [""] * len(FACTOR_NAMES)
            if measure is not None:
                cells = [f"{measure.mig:.3f}"] + [f"z{f.dim}  {f.info:.2f}  gap {f.gap:.2f}" for f in measure.factors]
            for row, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
