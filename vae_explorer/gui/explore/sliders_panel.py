"""One slider per latent dimension of the cursor's code, most informative dimensions first."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.model.metrics import ACTIVE_KL_NATS
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.widgets.labels import steady_label
from vae_explorer.gui.widgets.palette import MUTED

STEPS = 1000


class SlidersPanel(QWidget):
    """Edit the cursor's code of one model dimension by dimension.

    Dimensions are ordered by the VAE's mean KL per dimension (active ones first;
    an AE's by the variance of its codes); each slider spans the data's range.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.slot = SLOTS[1]
        self.combo = QComboBox()
        self.combo.currentIndexChanged.connect(self._on_slot_chosen)
        self.reset = QPushButton("Reset to selection")
        self.reset.setToolTip("Put the cursor back on the selected sample's code")
        self.reset.clicked.connect(self._reset)
        top = QHBoxLayout()
        top.addWidget(QLabel("Model:"))
        top.addWidget(self.combo, 1)
        top.addWidget(self.reset)
        self.rows_widget = QWidget()
        self.grid = QGridLayout(self.rows_widget)
        self.grid.setContentsMargins(2, 2, 2, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.sliders: dict[int, QSlider] = {}
        self.values: dict[int, QLabel] = {}
        self._lo = self._hi = np.zeros(0)
        session.model_changed.connect(self._refresh_models)
        session.codes_changed.connect(lambda slot: slot == self.slot and self._rebuild())
        session.cursor_changed.connect(lambda slot: slot == self.slot and self._sync())
        session.data_changed.connect(self._rebuild)
        self._refresh_models()

    def _refresh_models(self, *_) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for name in SLOTS:
            self.combo.addItem(self.session.slots[name].title, name)
        self.combo.setCurrentIndex(SLOTS.index(self.slot))
        self.combo.blockSignals(False)
        self._rebuild()

    def _on_slot_chosen(self, index: int) -> None:
        self.slot = self.combo.itemData(index) or SLOTS[1]
        self._rebuild()

    def _rebuild(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.sliders.clear()
        self.values.clear()
        s = self.session.slots[self.slot]
        if s.codes is None:
            self.grid.addWidget(QLabel("waiting for the codes…"), 0, 0)
            return
        self._lo, self._hi = s.code_ranges()
        kl = s.dimension_kl()
        for row, dim in enumerate(s.dimension_order(kl)):
            dim = int(dim)
            name = QLabel(f"z{dim}")
            if kl is not None:
                active = kl[dim] > ACTIVE_KL_NATS
                kl_text = f"KL {kl[dim]:.2f}" if active else f"<span style='color:{MUTED}'>KL {kl[dim]:.2f}</span>"
                name.setText(f"z{dim} {kl_text}")
                name.setToolTip("active dimension" if active else "inactive: its posterior equals the prior")
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, STEPS)
            slider.setObjectName(f"z{dim}")
            slider.valueChanged.connect(lambda v, d=dim: self._on_slider(d, v))
            value = steady_label("+000.00")
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(slider, row, 1)
            self.grid.addWidget(value, row, 2)
            self.sliders[dim], self.values[dim] = slider, value
        self.grid.setRowStretch(self.grid.rowCount(), 1)
        self._sync()

    def _to_value(self, dim: int, step: int) -> float:
        return float(self._lo[dim] + (self._hi[dim] - self._lo[dim]) * step / STEPS)

    def _to_step(self, dim: int, value: float) -> int:
        span = self._hi[dim] - self._lo[dim]
        return int(round(np.clip((value - self._lo[dim]) / span, 0, 1) * STEPS)) if span > 0 else 0

    def _sync(self) -> None:
        z = self.session.slots[self.slot].cursor_z
        for dim, slider in self.sliders.items():
            slider.blockSignals(True)
            slider.setEnabled(z is not None)
            if z is not None:
                slider.setValue(self._to_step(dim, float(z[dim])))
                self.values[dim].setText(f"{z[dim]:+.2f}")
            slider.blockSignals(False)

    def _on_slider(self, dim: int, step: int) -> None:
        s = self.session.slots[self.slot]
        if s.cursor_z is None:
            return
        z = s.cursor_z.copy()
        z[dim] = self._to_value(dim, step)
        self.session.set_cursor_code(self.slot, z)

    def _reset(self) -> None:
        s = self.session.slots[self.slot]
        if self.session.selection is not None and s.codes is not None:
            self.session.set_cursor_code(self.slot, s.codes.mu[self.session.selection])
