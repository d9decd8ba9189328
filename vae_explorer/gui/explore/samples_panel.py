"""Samples: the same prior codes decoded by both models, and draws from a VAE's q(z|x)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from vae_explorer.core.io.images import image_grid
from vae_explorer.core.latent.codes import decode_codes, sample_posterior, sample_prior
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import TaskRunner, TaskState
from vae_explorer.gui.widgets.images import ImageView

from ..widgets.text import plain


class SamplesPanel(QWidget):
    """Two rows of decoded samples, one per model, drawn with a seed the user can change."""

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.count = QSpinBox(minimum=1, maximum=32, value=8)
        self.count.setPrefix("n = ")
        self.seed = QSpinBox(minimum=0, maximum=1_000_000, value=0)
        self.seed.setPrefix("seed ")
        self.prior_button = QPushButton("Sample from the prior")
        self.prior_button.setToolTip("Decode the same z ~ N(0, I) with both models")
        self.posterior_button = QPushButton("Sample q(z|x)")
        self.posterior_button.setToolTip("Decode draws from the VAE's posterior of the selected sample")
        self.prior_button.clicked.connect(self.sample_prior)
        self.posterior_button.clicked.connect(self.sample_posterior)
        controls = QGridLayout()  # two rows, so the dock can stay narrow beside the maps
        for i, w in enumerate((self.prior_button, self.posterior_button, self.count, self.seed)):
            controls.addWidget(w, i // 2, i % 2)
        controls.setColumnStretch(2, 1)
        self.caption = plain(QLabel(""))
        self.rows = {slot: ImageView("", min_side=40) for slot in SLOTS}
        for view in self.rows.values():
            view.setMaximumHeight(90)
        self.row_labels = {slot: plain(QLabel()) for slot in SLOTS}  # the models' titles
        grid = QGridLayout()
        for r, slot in enumerate(SLOTS):
            grid.addWidget(self.row_labels[slot], r, 0)
            grid.addWidget(self.rows[slot], r, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.caption)
        layout.addLayout(grid)
        layout.addStretch(1)
        session.model_changed.connect(lambda slot: self._clear())
        session.data_changed.connect(self._clear)

    def _clear(self) -> None:
        for slot in SLOTS:
            self.rows[slot].set_image(None)
            self.row_labels[slot].setText(self.session.slots[slot].title)
        self.caption.setText("")

    def _decode_rows(self, codes: dict[str, np.ndarray], caption: str) -> None:
        models = {slot: self.session.slots[slot].model for slot in codes}

        def work(state: TaskState):
            return {slot: decode_codes(models[slot], z) for slot, z in codes.items()}

        def done(images: dict[str, np.ndarray]) -> None:
            for slot in SLOTS:
                self.row_labels[slot].setText(self.session.slots[slot].title)
                if slot in images:
                    self.rows[slot].set_image(image_grid(images[slot], 1, len(images[slot]), pad=2))
                else:
                    self.rows[slot].set_image(None)
            self.caption.setText(caption)

        self.runner.start("samples", "Decoding samples", work, done)

    def sample_prior(self) -> None:
        dims = {s.latent_dim for s in self.session.slots.values() if s.loaded}
        if len(dims) != 1:
            self.session.say("the two models have latent spaces of different sizes: no shared prior sample")
            return
        z = sample_prior(self.count.value(), dims.pop(), self.seed.value())
        self._decode_rows(
            {slot: z for slot in SLOTS if self.session.slots[slot].loaded},
            f"the same {len(z)} codes z ~ N(0, I) (seed {self.seed.value()}), decoded by each model",
        )

    def sample_posterior(self) -> None:
        index = self.session.selection
        if index is None:
            self.session.say("select a sample first (click a point in a map)")
            return
        codes = {}
        for slot, s in self.session.slots.items():
            if s.codes is not None and s.codes.logvar is not None:
                codes[slot] = sample_posterior(
                    s.codes.mu[index], s.codes.logvar[index], self.count.value(), self.seed.value()
                )
        if not codes:
            self.session.say("neither model is a VAE: an AE has no posterior q(z|x) to sample")
            return
        self._decode_rows(codes, f"{self.count.value()} draws from q(z|x) of sample {index} (AE: no posterior)")
