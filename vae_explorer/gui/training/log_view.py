"""The table of past runs, newest first, and what can be done with one: open it, resume it, reuse its settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.model.config import kind_name
from vae_explorer.core.training.job import ENDED

from ...core.session import SLOTS
from ..widgets.palette import STATUS_COLORS
from ..widgets.text import tooltip

COLUMNS = ("Started", "Model", "Data", "Epochs", "Test −ELBO", "Recon", "KL", "Active", "Status", "File")


def model_text(entry: dict[str, Any]) -> str:
    """``VAE 2-D``, ``beta-VAE (4) 16-D``, ``AE 8-D``."""
    s = entry.get("settings") or {}
    name = kind_name(s.get("kind", "vae"), float(s.get("beta", 1.0)))
    return f"{name} {entry.get('latent_dim') or s.get('latent_dim', '?')}-D"


def data_text(entry: dict[str, Any]) -> str:
    data = str((entry.get("settings") or {}).get("data", ""))
    return Path(data).name if ("/" in data or "\\" in data) else data


def _num(value: Any) -> str:
    return "" if value is None else f"{float(value):.2f}"


def can_open(entry: dict[str, Any]) -> bool:
    path = entry.get("checkpoint")
    return bool(path) and int(entry.get("epochs_done") or 0) >= 1 and Path(path).is_file()


class RunLogView(QWidget):
    """Past runs. Signals: ``sigOpen(slot, entry)``, ``sigResume(entry, epochs)``, ``sigUseSettings(entry)``."""

    sigOpen = Signal(str, dict)
    sigResume = Signal(dict, int)
    sigUseSettings = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[dict[str, Any]] = []
        self.busy_files: set[str] = set()
        self._spin_for: tuple | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.open_buttons = {slot: QPushButton(f"Open on the {slot}") for slot in SLOTS}
        for slot, button in self.open_buttons.items():
            button.setToolTip(f"Load this run's checkpoint into the explorer's {slot} slot")
            button.clicked.connect(lambda checked=False, s=slot: self._emit_open(s))
        self.resume_button = QPushButton("Resume")
        self.resume_button.setToolTip("Continue training this checkpoint, in the same file")
        self.resume_epochs = QSpinBox(minimum=0, maximum=100_000)
        self.resume_epochs.setSpecialValueText(" ")
        self.resume_epochs.setPrefix("to ")
        self.resume_epochs.setSuffix(" epochs")
        self.resume_button.clicked.connect(self._emit_resume)
        self.settings_button = QPushButton("Use settings")
        self.settings_button.setToolTip("Put this run's settings into the form, to train a variant")
        self.settings_button.clicked.connect(lambda: self._emit(self.sigUseSettings))
        self.title = QLabel("<b>Past runs</b>")
        buttons = QHBoxLayout()
        buttons.addWidget(self.title)
        buttons.addStretch(1)
        for w in (*self.open_buttons.values(), self.resume_button, self.resume_epochs, self.settings_button):
            buttons.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def set_entries(self, entries: list[dict[str, Any]], select: str | None = None) -> None:
        """Show ``entries`` (oldest first in the list, newest on top); keep or set the selection by id."""
        keep = select or (self.selected() or {}).get("id")
        self.entries = list(reversed(entries))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            self._fill_row(row, e)
        rows = [r for r, e in enumerate(self.entries) if e.get("id") == keep]
        if rows:
            self.table.selectRow(rows[0])
        self.table.blockSignals(False)
        self._update_buttons()

    def update_entry(self, entry: dict[str, Any]) -> None:
        """Redraw one record's row (a running run's progress); a new record rebuilds the table."""
        rows = [r for r, e in enumerate(self.entries) if e.get("id") == entry.get("id")]
        if not rows:
            self.set_entries([*reversed(self.entries), entry])
            return
        self.entries[rows[0]] = entry
        self._fill_row(rows[0], entry)
        self._update_buttons()

    def _fill_row(self, row: int, e: dict[str, Any]) -> None:
        test = e.get("test") or {}
        active = e.get("active_units")
        cells = (
            str(e.get("started", ""))[:16].replace("T", " "),
            model_text(e),
            data_text(e),
            f"{e.get('epochs_done', 0)}/{e.get('epochs', '?')}",
            _num(test.get("neg_elbo")),
            _num(test.get("recon")),
            _num(test.get("kl")),
            "" if active is None else f"{active}/{e.get('latent_dim', '?')}",
            str(e.get("status", "")),
            str(e.get("checkpoint") or (e.get("settings") or {}).get("out", "")),
        )
        tip = tooltip(self._tooltip(e))  # settings and error lines as the run log holds them
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            if COLUMNS[col] == "Status" and text in STATUS_COLORS:
                item.setForeground(QColor(STATUS_COLORS[text]))
            if COLUMNS[col] in ("Epochs", "Test −ELBO", "Recon", "KL", "Active"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)

    @staticmethod
    def _tooltip(e: dict[str, Any]) -> str:
        s = e.get("settings") or {}
        lines = [
            f"{model_text(e)} on {s.get('data', '?')}: {e.get('epochs_done', 0)} of {e.get('epochs', '?')} epochs",
            f"beta {s.get('beta')}, warm-up {s.get('beta_warmup')}, batch {s.get('batch_size')}, "
            f"lr {s.get('lr')} ({s.get('lr_schedule')}), seed {s.get('seed')}, "
            f"device {e.get('device') or s.get('device')}",
            f"{e.get('exit') or e.get('status')}",
        ]
        if e.get("start_epoch"):
            lines.insert(1, f"resumed from epoch {e['start_epoch']}")
        lines += list(e.get("error") or [])[-6:]
        return "\n".join(lines)

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def select(self, entry_id: str) -> None:
        for row, e in enumerate(self.entries):
            if e.get("id") == entry_id:
                self.table.selectRow(row)
                return

    def set_busy_files(self, files: set[str]) -> None:
        """Checkpoints a queued or running run writes: they cannot be resumed twice."""
        self.busy_files = set(files)
        self._update_buttons()

    def _update_buttons(self) -> None:
        e = self.selected()
        ended = e is not None and e.get("status") in ENDED
        openable = ended and can_open(e)
        for button in self.open_buttons.values():
            button.setEnabled(bool(openable))
        resumable = openable and str(e.get("checkpoint")) not in self.busy_files
        self.resume_button.setEnabled(bool(resumable))
        self.resume_epochs.setEnabled(bool(resumable))
        if not resumable:  # blank, not a meaningless number
            self._spin_for = None
            self.resume_epochs.setMinimum(0)
            self.resume_epochs.setValue(0)
        self.settings_button.setEnabled(e is not None)
        if e is not None and resumable and self._spin_for != (e.get("id"), e.get("epochs_done")):
            # a new entry (or one that trained on): suggest its planned epochs, or as many again
            self._spin_for = (e.get("id"), e.get("epochs_done"))
            done, planned = int(e.get("epochs_done") or 0), int(e.get("epochs") or 1)
            self.resume_epochs.setMinimum(done + 1)
            self.resume_epochs.setValue(planned if planned > done else done + planned)

    def _emit(self, signal) -> None:
        e = self.selected()
        if e is not None:
            signal.emit(e)

    def _emit_open(self, slot: str) -> None:
        e = self.selected()
        if e is not None:
            self.sigOpen.emit(slot, e)

    def _emit_resume(self) -> None:
        e = self.selected()
        if e is not None:
            self.sigResume.emit(e, self.resume_epochs.value())
