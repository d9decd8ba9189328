"""A training run replayed epoch by epoch: a slider over the epochs whose stored codes are drawn on a map."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from vae_explorer.core.session import Session


class History(Protocol):
    """A run's replay: ``codes (E, n, 2)`` of ``n`` test images after each of ``epochs (E,)``.

    ``labels (n,)`` or None; ``metrics[e]``: the test metrics after epoch ``epochs[e]``.
    """

    epochs: np.ndarray
    codes: np.ndarray
    labels: np.ndarray | None
    metrics: list[dict[str, Any]]


class EpochReplay(QWidget):
    """Move the slider and ``slot``'s map shows the codes the run stored after that epoch (through the session)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.slot = ""
        self.history: History | None = None
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("epoch")
        self.slider.valueChanged.connect(self._on_epoch)
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Training epoch:"))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        session.model_changed.connect(lambda slot: slot == self.slot and self.set_history("", None))

    def set_history(self, slot: str, history: History | None) -> None:
        """Replay ``history`` on ``slot``'s map from its first epoch; None: stop and hide."""
        if self.slot and self.history is not None:
            self.session.show_replay(self.slot, None)
        self.slot, self.history = slot, history
        if history is None or not len(history.epochs):
            self.history = None
            self.hide()
            return
        self.show()
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(history.epochs) - 1)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self._on_epoch(0)

    def _on_epoch(self, index: int) -> None:
        h = self.history
        if h is None or not 0 <= index < len(h.epochs):
            return
        metrics = h.metrics[index] if index < len(h.metrics) else {}
        kl = metrics.get("kl")
        text = f"epoch {int(h.epochs[index])} of {int(h.epochs[-1])}"
        self.label.setText(text + (f": test KL {kl:.2f} nats" if isinstance(kl, (int, float)) else ""))
        self.session.show_replay(self.slot, h.codes[index], h.labels)
