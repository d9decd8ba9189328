"""The Train tab's queue: the runs waiting behind the one that is going, shown as a list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from vae_explorer.core.model.config import kind_name
from vae_explorer.core.training.settings import TrainConfig


def describe(cfg: TrainConfig) -> str:
    """One line for the queue: what a run trains, into which file."""
    if cfg.resume:
        return f"resume {Path(cfg.resume).name} to {cfg.epochs} epochs"
    model = f"{kind_name(cfg.kind, cfg.beta)} {cfg.latent_dim}-D"
    return f"{model} on {Path(cfg.data).name}, {cfg.epochs} epochs → {Path(cfg.out).name}"


class RunQueue(QWidget):
    """The waiting runs, first to start on top; "Remove from queue" drops the selected ones (or the last)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.configs: list[TrainConfig] = []
        self.label = QLabel("<b>Queue</b>: empty")
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.remove_button = QPushButton("Remove from queue")
        self.remove_button.clicked.connect(self.remove_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.list, self.remove_button):
            layout.addWidget(w)

    def __len__(self) -> int:
        return len(self.configs)

    def append(self, cfg: TrainConfig) -> None:
        self.configs.append(cfg)
        self.refresh()

    def pop_first(self) -> TrainConfig:
        cfg = self.configs.pop(0)
        self.refresh()
        return cfg

    def clear(self) -> None:
        self.configs.clear()
        self.refresh()

    def outputs(self) -> set[str]:
        """The files the waiting runs will write."""
        return {str(c.out) for c in self.configs}

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.list.selectedIndexes()}, reverse=True) or [len(self.configs) - 1]
        for row in rows:
            if 0 <= row < len(self.configs):
                del self.configs[row]
        self.refresh()

    def refresh(self) -> None:
        """Show the waiting runs (the list is rebuilt only when its lines change, keeping the selection)."""
        lines = [describe(cfg) for cfg in self.configs]
        if lines != [self.list.item(i).text() for i in range(self.list.count())]:
            self.list.clear()
            self.list.addItems(lines)
        self.label.setText(f"<b>Queue</b>: {len(self.configs) or 'empty'}")
        self.remove_button.setEnabled(bool(self.configs))
