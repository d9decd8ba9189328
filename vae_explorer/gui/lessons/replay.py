"""Training runs replayed epoch by epoch: one slider over the epochs whose stored codes each map draws."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from vae_explorer.core.evaluation.claims.measures import gaussian_kl_to_standard, mean_norm
from vae_explorer.core.session import SLOTS, Session


class History(Protocol):
    """A run's replay: ``codes (E, n, 2)`` of ``n`` test images after each of ``epochs (E,)``.

    ``labels (n,)`` or None; ``metrics[e]``: the test metrics after epoch ``epochs[e]``.
    """

    epochs: np.ndarray
    codes: np.ndarray
    labels: np.ndarray | None
    metrics: list[dict[str, Any]]


def spread(codes: np.ndarray) -> str:
    """How far codes ``(n, d)`` lie from N(0, I): the KL of a Gaussian fit to them, and their mean length."""
    codes = np.asarray(codes, dtype=np.float64)
    return f"codes' KL from N(0, I) {gaussian_kl_to_standard(codes):.2f}, mean |z| {mean_norm(codes):.2f}"


class EpochReplay(QWidget):
    """Move the slider and each map with a history shows the codes its run stored after that epoch.

    The maps are drawn through the session; the label says, per model, how far that
    epoch's codes lie from N(0, I) (the KL of a Gaussian fit to them, and their mean length).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.histories: dict[str, History] = {}
        self.trained: dict[str, np.ndarray] = {}
        self.titles: dict[str, str] = {}
        self.epochs = np.zeros(0, dtype=np.int64)  # the slider's epochs: every epoch any run stored
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("epoch")
        self.slider.valueChanged.connect(self._on_epoch)
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Training epoch:"))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label, 2)
        session.model_changed.connect(lambda slot: slot in self.histories and self.set_histories({}))

    def set_history(self, slot: str, history: History | None) -> None:
        """Replay ``history`` on ``slot``'s map alone; None: stop and hide."""
        self.set_histories({} if history is None else {slot: history})

    def set_histories(self, histories: dict[str, History], trained: dict[str, np.ndarray] | None = None) -> None:
        """Replay each slot's history on its map from the first epoch; none: stop and hide.

        ``trained``: the final codes of a model with no history, whose spread the label
        gives beside the epochs' (its map shows them all along).
        """
        for slot in self.histories:
            self.session.show_replay(slot, None)
        self.histories = {slot: h for slot, h in histories.items() if len(h.epochs)}
        self.trained = {slot: c for slot, c in (trained or {}).items() if slot not in self.histories}
        self.titles = {slot: self._title(slot) for slot in (*self.histories, *self.trained)}
        if not self.histories:
            self.epochs = np.zeros(0, dtype=np.int64)
            self.hide()
            return
        self.epochs = np.unique(np.concatenate([h.epochs for h in self.histories.values()]))
        self.show()
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.epochs) - 1)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self._on_epoch(0)

    def _title(self, slot: str) -> str:
        model = self.session.slots[slot].model
        return model.short_name if model is not None else slot

    def _on_epoch(self, index: int) -> None:
        if not 0 <= index < len(self.epochs):
            return
        epoch = int(self.epochs[index])
        parts = [f"epoch {epoch} of {int(self.epochs[-1])}"]
        for slot in SLOTS:
            if slot in self.trained:
                parts.append(f"{self.titles[slot]} (trained, no history stored): {spread(self.trained[slot])}")
            h = self.histories.get(slot)
            if h is None:
                continue
            k = int(np.searchsorted(h.epochs, epoch, side="right")) - 1  # the last stored epoch up to this one
            if k < 0:
                self.session.show_replay(slot, None)
                continue
            said = f"{self.titles[slot]}: {spread(h.codes[k])}"
            kl = (h.metrics[k] if k < len(h.metrics) else {}).get("kl")
            if isinstance(kl, (int, float)) and kl > 0:
                said += f", test KL {kl:.2f} nats"
            parts.append(said)
            self.session.show_replay(slot, h.codes[k], h.labels)
        self.label.setText(" · ".join(parts))
