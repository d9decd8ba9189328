"""The Train tab's live views: the run's loss curves and epoch pictures above the run log, fed by its events."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

from vae_explorer.core.training.job import RunState
from vae_explorer.core.training.preview import EpochPreview

from .pictures import EpochPictures
from .plots import LossCurves


class LiveViews(QSplitter):
    """The curves and pictures of the run shown (running, or the last one), above ``below`` (the run log).

    They are built by :meth:`ensure` (when the tab is first shown, or a run starts): an
    explorer that never trains does not pay for them at startup. ``sigNotice(text)``
    when the pictures cannot be drawn.
    """

    sigNotice = Signal(str)

    def __init__(self, below: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.addWidget(below)
        self.curves: LossCurves | None = None
        self.pictures: EpochPictures | None = None
        self.state: RunState | None = None

    def ensure(self) -> None:
        """Build the curves and pictures, once."""
        if self.curves is not None:
            return
        self.curves = LossCurves()
        self.pictures = EpochPictures()
        self.pictures.sigDrawn.connect(self._on_pictures)
        self.pictures.sigFailed.connect(self.sigNotice)
        self.insertWidget(0, self.curves)
        self.insertWidget(1, self.pictures)
        self.setSizes([250, 400, 150])

    def begin(self, state: RunState) -> None:
        """A run starts: empty plots of its kind; a resumed run's checkpoint is drawn (where it stands, its curves)."""
        self.ensure()
        self.state = state
        cfg = state.config
        self.curves.clear()
        self.curves.set_kind(cfg.kind == "vae")
        self.pictures.clear(state.id, cfg.latent_dim)
        if cfg.resume:
            self.pictures.request(cfg.resume, cfg, initial=True)

    def show_event(self, event: dict[str, Any]) -> None:
        """Draw a progress event the run's state has just taken in."""
        state, kind = self.state, event["event"]
        if kind == "start":
            self.curves.set_kind(state.model.get("kind") == "vae")
        elif kind == "step":
            x = state.epoch - 1 + state.step / max(state.steps, 1)
            self.curves.add_step(x, float(event["recon"]), float(event.get("kl", 0.0)))
        elif kind == "epoch":
            self.curves.add_epoch(state.epochs_done, state.test)
            self.pictures.kl_bars.show_kl(state.kl_per_dim, state.latent_dim)
            if state.checkpoint:
                self.pictures.request(state.checkpoint, state.config)

    def _on_pictures(self, p: EpochPreview, initial: bool) -> None:
        state = self.state
        if state is None:
            return
        if initial:  # a resumed run before its first new epoch: where it stands
            self.curves.set_history(p.history, p.epoch)
            if state.epochs_done <= p.epoch:
                self.pictures.kl_bars.show_kl(p.kl_per_dim, p.latent_dim)
        elif state.start_epoch:
            self.curves.set_history(p.history, state.start_epoch)

    def shutdown(self) -> None:
        """Stop drawing (the window closes)."""
        if self.pictures is not None:
            self.pictures.shutdown()
