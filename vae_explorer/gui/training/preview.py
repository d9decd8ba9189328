"""Pictures of the model as it trains: test reconstructions, prior samples, and the 2-D latent map."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vae_explorer.core.training.preview import EpochPreview, pairs_grid, samples_grid
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.images import ImageView


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    theme.set_tone(label, "muted")
    return label


class PreviewImages(QWidget):
    """Test images over their reconstructions, and the same prior codes decoded, redrawn each epoch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recon_caption = _caption("Test images and their reconstructions")
        self.recon = ImageView("Reconstructions appear after the first epoch", min_side=90)
        self.samples_caption = _caption("Samples from the prior")
        self.samples = ImageView("Prior samples appear after the first epoch", min_side=60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w, stretch in ((self.recon_caption, 0), (self.recon, 2), (self.samples_caption, 0), (self.samples, 1)):
            layout.addWidget(w, stretch)
        self.epoch: int | None = None

    def clear(self) -> None:
        self.epoch = None
        self.recon.set_image(None)
        self.samples.set_image(None)
        self.recon_caption.setText("Test images and their reconstructions")
        self.samples_caption.setText("Samples from the prior")

    def show_preview(self, p: EpochPreview) -> None:
        self.epoch = p.epoch
        self.recon.set_image(pairs_grid(p.originals, p.reconstructions, cols=8))
        self.samples.set_image(samples_grid(p.samples, cols=8))
        self.recon_caption.setText(f"Epoch {p.epoch}: test images (odd rows) and their reconstructions (even rows)")
        why = "" if p.is_vae else " (an AE was not trained to decode these)"
        self.samples_caption.setText(f"The same {len(p.samples)} codes z ~ N(0, I), decoded{why}")


class LatentMap(QWidget):
    """Codes (mu) of a fixed test subset in a 2-D latent plane, with the prior's 1 and 2 sigma circles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = _caption("")
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMinimumSize(160, 160)
        self.plot.getViewBox().setAspectLocked(True)
        theme.style_plot(self.plot)
        self.scatter = pg.ScatterPlotItem(size=5, pen=None, pxMode=True)
        self.circles = [pg.PlotCurveItem() for _ in range(2)]
        theme.follow(self, lambda t: [c.setPen(palette.pen(t.guide, 1.2, dashed=True)) for c in self.circles])
        t = np.linspace(0.0, 2.0 * np.pi, 97)
        for k, curve in enumerate(self.circles, start=1):
            curve.setData(k * np.cos(t), k * np.sin(t))
            self.plot.addItem(curve)
        self.plot.addItem(self.scatter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        self.points: np.ndarray | None = None
        self.clear()

    def clear(self, latent_dim: int = 0) -> None:
        self.points = None
        self.scatter.setData([], [])
        self.plot.setVisible(latent_dim == 2)
        if latent_dim == 2:
            self.caption.setText("The latent map of test images appears after the first epoch")
            self.plot.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0.05)
        else:
            self.caption.setText(
                "The latent map is drawn for a 2-D latent: train with latent size 2 to watch the KL term "
                "pull the classes' clouds toward N(0, I)."
            )

    def show_codes(self, points: np.ndarray, labels: np.ndarray | None, is_vae: bool, epoch: int) -> None:
        """``points: (N, 2)`` codes, ``labels: (N,)`` or None."""
        self.points = np.asarray(points, dtype=np.float64)
        self.plot.setVisible(True)
        self.scatter.setData(pos=self.points, brush=palette.point_brushes(labels, len(self.points)), pen=None, size=5)
        for curve in self.circles:
            curve.setVisible(is_vae)
        finite = self.points[np.isfinite(self.points).all(axis=1)]
        reach = float(np.percentile(np.abs(finite), 99.5)) if len(finite) else 3.0
        r = max(3.0, reach) * 1.05
        self.plot.setRange(xRange=(-r, r), yRange=(-r, r), padding=0)
        prior = " with the prior's 1 and 2 sigma circles" if is_vae else ""
        self.caption.setText(f"Epoch {epoch}: codes of {len(self.points)} test images{prior}")
