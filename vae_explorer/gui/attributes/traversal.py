"""A traversal grid of the active attribute vector: samples (rows) by alpha steps (columns), previewed and exported."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.attributes.traversal import TraversalBlock, decode_traversal
from vae_explorer.core.attributes.vectors import ALPHA_RANGE, traversal_rows
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.images import file_stem, save_picture
from vae_explorer.core.io.safe_write import check_writable
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import TaskRunner, TaskState
from vae_explorer.gui.widgets.images import ImageView

from ..widgets.text import plain

BOTH = "both"
ROW_SEED = 0


class TraversalBox(QWidget):
    """Decode a traversal grid for either model (or both side by side) in the background; export it as PNG.

    Rows are the selected sample, then samples drawn with a fixed seed; columns
    are evenly spaced alphas from ``-reach`` (or 0, the samples themselves) to ``reach``.
    """

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner, self.state = session, runner, session.attributes
        self.model = QComboBox()
        self.model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rows = QSpinBox(minimum=1, maximum=12, value=5)
        self.rows.setPrefix("rows ")
        self.reach = QDoubleSpinBox(minimum=0.25, maximum=ALPHA_RANGE, value=2.0, singleStep=0.25, decimals=2)
        self.reach.setPrefix("alpha ±")
        self.steps = QSpinBox(minimum=2, maximum=15, value=7)
        self.steps.setSuffix(" steps")
        self.from_zero = QCheckBox("from 0")
        self.from_zero.setToolTip("Columns from alpha 0 (the samples themselves) to +alpha, rather than from -alpha")
        self.scale = QSpinBox(minimum=1, maximum=8, value=4)
        self.scale.setPrefix("PNG ×")
        self.scale.setToolTip("Enlarge the exported PNG this many times")
        self.preview_button = QPushButton("Preview")
        self.export_button = QPushButton("Export PNG…")
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export_dialog)
        self.view = ImageView("a grid of samples moved along the active vector", min_side=60)
        self.caption = plain(QLabel())  # names the vector
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.model)
        first = (self.rows, self.reach, self.steps, self.from_zero)
        for widgets in (first, (self.scale, self.preview_button, self.export_button)):
            row = QHBoxLayout()
            for w in widgets:
                row.addWidget(w)
            layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)
        session.model_changed.connect(lambda slot: self._update_models())
        session.data_changed.connect(self._clear)
        self.state.active_changed.connect(lambda name: self._clear())
        self._update_models()

    def _update_models(self) -> None:
        current = self.model.currentData()
        self.model.clear()
        for slot in SLOTS:
            self.model.addItem(self.session.slots[slot].title, slot)
        self.model.addItem("both, side by side", BOTH)
        self.model.setCurrentIndex(max(0, self.model.findData(current if current else BOTH)))

    def _clear(self) -> None:
        self.view.set_image(None)
        self.caption.setText("")

    def samples(self) -> np.ndarray:
        """Row indices ``(rows,)``: the selected sample first, then a fixed seeded draw from the data."""
        return traversal_rows(len(self.session.dataset or []), self.rows.value(), self.session.selection, ROW_SEED)

    def alphas(self) -> np.ndarray:
        reach = self.reach.value()
        return np.linspace(0.0 if self.from_zero.isChecked() else -reach, reach, self.steps.value()).astype(np.float32)

    def show_grid(self, rows: int, reach: float, steps: int, from_zero: bool = False, model: str = BOTH) -> None:
        """Set the grid's rows, alphas and model (``left``, ``right`` or ``both``), then preview it."""
        self.rows.setValue(rows)
        self.reach.setValue(reach)
        self.steps.setValue(steps)
        self.from_zero.setChecked(from_zero)
        self.model.setCurrentIndex(max(0, self.model.findData(model)))
        self.preview()

    def _blocks(self) -> list[TraversalBlock]:
        """One block for each chosen model; raises when there is nothing to draw."""
        vector = self.state.active_vector()
        if vector is None:
            raise VaeExplorerError("define or load an attribute vector first")
        rows = self.samples()
        if not len(rows):
            raise VaeExplorerError("open data first")
        chosen = SLOTS if self.model.currentData() == BOTH else (self.model.currentData(),)
        jobs = []
        for slot in chosen:
            s, entry = self.session.slots[slot], self.state.entry(vector.name, slot)
            if s.model is not None and s.codes is not None and entry is not None:
                jobs.append(TraversalBlock(s.model, s.codes.mu[rows].copy(), entry.values.copy(), s.title))
        if not jobs:
            raise VaeExplorerError(f"{vector.name!r} has no vector for the chosen model")
        return jobs

    def _start(self, name: str, title: str, finish) -> None:
        """Decode the grid on a worker; ``finish(grid, picture)`` gets the bare grid and a labelled picture maker."""
        try:
            blocks, alphas = self._blocks(), self.alphas()
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return
        data = self.session.dataset
        rows = [data.sample_name(int(i)) or data.describe_sample(int(i)) for i in self.samples()]  # type: ignore[union-attr]

        def work(state: TaskState):
            traversal = decode_traversal(blocks, alphas, rows, state.cancel)
            return finish(traversal.preview(), traversal.picture)

        vector = self.state.active_vector().name
        count = f"{self.rows.value()} sample{'s' if self.rows.value() != 1 else ''}"
        caption = f"{vector!r}: {count}, alpha from {alphas[0]:g} to {alphas[-1]:g}"
        self.runner.start(name, title, work, lambda result: self._done(result, caption))

    def _done(self, result, caption: str) -> None:
        grid, path = result
        self.view.set_image(grid)
        self.caption.setText(caption)
        if path is not None:
            self.session.say(f"wrote {path}")

    def preview(self) -> None:
        """Decode the grid in the background and show it."""
        self._start("traversal", "Decoding a traversal grid", lambda grid, picture: (grid, None))

    def export(self, path: str) -> None:
        """Decode the grid in the background and write it as a PNG, enlarged by the chosen scale."""
        try:
            check_writable(path)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return
        scale = self.scale.value()

        def finish(grid, picture):  # labelled: alphas over the columns, models over the blocks, samples by the rows
            return grid, save_picture(path, picture(scale))

        self._start("traversal-export", f"Exporting {path}", finish)

    def export_dialog(self) -> None:
        name = file_stem(self.state.active, "traversal")
        path, _ = QFileDialog.getSaveFileName(self, "Export traversal grid", f"{name}.png", "PNG images (*.png)")
        if path:
            self.export(path)
