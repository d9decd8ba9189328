"""Samples: the same prior codes decoded by both models, and draws from a VAE's q(z|x), also marked on its map."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from vae_explorer.core.latent.codes import decode_codes, sample_posterior, sample_prior
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import TaskRunner, TaskState
from vae_explorer.gui.widgets.images import ImageGridView

from ..widgets.text import plain


class SamplesPanel(QWidget):
    """Each model's decoded samples, drawn with a seed the user can change, as large as the dock allows.

    Draws from q(z|x) are also marked on the VAE's map (through the session) while the
    sample they were drawn for stays selected.
    """

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
        self.prior_button.clicked.connect(lambda: self.sample_prior())  # not clicked's checked as a count
        self.posterior_button.clicked.connect(lambda: self.sample_posterior())
        controls = QGridLayout()  # two rows, so the dock can stay narrow beside the maps
        for i, w in enumerate((self.prior_button, self.posterior_button, self.count, self.seed)):
            controls.addWidget(w, i // 2, i % 2)
        controls.setColumnStretch(2, 1)
        self.caption = plain(QLabel(""))
        self.caption.setWordWrap(True)
        self.rows = {slot: ImageGridView("", min_side=40) for slot in SLOTS}
        self.row_labels = {slot: plain(QLabel()) for slot in SLOTS}  # the models' titles
        for label in self.row_labels.values():
            label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.caption)
        for slot in SLOTS:  # a model's title over its images, which take what room there is
            layout.addWidget(self.row_labels[slot])
            layout.addWidget(self.rows[slot], 1)
        session.model_changed.connect(lambda slot: self._clear())
        session.data_changed.connect(self._clear)
        session.selection_changed.connect(lambda index: self._forget_draws())

    def _clear(self) -> None:
        for slot in SLOTS:
            self.rows[slot].set_images(None)
            self.rows[slot].show()
            self.row_labels[slot].setText(self.session.slots[slot].title)
        self.caption.setText("")
        self._forget_draws()

    def _forget_draws(self) -> None:
        """The draws marked on the maps were of the sample selected before: take them off."""
        for slot in SLOTS:
            self.session.show_draws(slot, None)

    def _decode_rows(self, codes: dict[str, np.ndarray], caption: str, missing: str = "", draws: bool = False) -> None:
        """Decode each model's ``codes`` on a worker and show them; a model without any says ``missing``.

        ``draws``: the codes are draws from the selected sample's q(z|x), to mark on the maps too.
        """
        models = {slot: self.session.slots[slot].model for slot in codes}
        selection = self.session.selection

        def work(state: TaskState):
            return {slot: decode_codes(models[slot], z) for slot, z in codes.items()}

        def done(images: dict[str, np.ndarray]) -> None:
            for slot in SLOTS:
                title = self.session.slots[slot].title
                self.row_labels[slot].setText(title if slot in images else f"{title}: {missing}")
                self.rows[slot].set_images(images.get(slot))
                self.rows[slot].setVisible(slot in images)  # the room goes to the models with images
            self.caption.setText(caption)
            for slot in SLOTS:
                shown = draws and slot in codes and self.session.selection == selection
                self.session.show_draws(slot, codes[slot] if shown else None)

        self.runner.start("samples", "Decoding samples", work, done)

    def sample_prior(self, count: int | None = None) -> None:
        """Decode the same ``count`` (else the panel's n) codes z ~ N(0, I) with both models."""
        if count is not None:
            self.count.setValue(count)
        dims = {s.latent_dim for s in self.session.slots.values() if s.loaded}
        if len(dims) != 1:
            self.session.say("the two models have latent spaces of different sizes: no shared prior sample")
            return
        z = sample_prior(self.count.value(), dims.pop(), self.seed.value())
        self._decode_rows(
            {slot: z for slot in SLOTS if self.session.slots[slot].loaded},
            f"the same {len(z)} codes z ~ N(0, I) (seed {self.seed.value()}), decoded by each model",
            "no model",
        )

    def sample_posterior(self, count: int | None = None) -> None:
        """Decode ``count`` (else the panel's n) draws from each VAE's q(z|x) of the selected sample; mark them."""
        if count is not None:
            self.count.setValue(count)
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
        self._decode_rows(
            codes,
            f"{self.count.value()} draws from q(z|x) of sample {index}, marked on the map",
            "no posterior: an AE maps the image to one point",
            draws=True,
        )
