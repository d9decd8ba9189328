"""Live plots of a run: loss curves (train and test) and the KL of each latent dimension."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from vae_explorer.core.model.metrics import ACTIVE_KL_NATS, active_units, posterior_collapsed
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.palette import ACTIVE_COLOR, TEST_COLOR, TRAIN_COLOR

CURVES = (("recon", "Reconstruction"), ("kl", "KL"), ("total", "Negative ELBO (recon + KL)"))


def _plot(title: str) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setTitle(title, size="10pt")
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMinimumSize(160, 130)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).enableAutoSIPrefix(False)
    theme.style_plot(plot)
    return plot


class LossCurves(QWidget):
    """Reconstruction, KL and their sum in nats per image, against epochs.

    Train values come from the child's step events (x: fractional epoch), or per
    epoch from a resumed checkpoint's history; test values arrive once per epoch.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plots: dict[str, pg.PlotWidget] = {}
        self.train: dict[str, pg.PlotDataItem] = {}
        self.test: dict[str, pg.PlotDataItem] = {}
        for key, title in CURVES:
            plot = self.plots[key] = _plot(title)
            plot.setLabel("bottom", "epoch")
            if key == "recon":
                plot.setLabel("left", "nats / image")
                plot.addLegend(offset=(-8, 8), labelTextColor=palette.current().title)
            self.train[key] = plot.plot(pen=palette.pen(TRAIN_COLOR, 1.2), name="train")
            self.train[key].setDownsampling(auto=True, method="peak")
            self.train[key].setClipToView(True)
            self.test[key] = plot.plot(
                pen=palette.pen(TEST_COLOR, 2.0),
                symbol="o",
                symbolSize=6,
                symbolBrush=TEST_COLOR,
                symbolPen=None,
                name="test",
            )
            layout.addWidget(plot)
        self.clear()

    def clear(self) -> None:
        self._steps = np.zeros((256, 3))  # (x, recon, kl) rows, the first _n used; x only grows
        self._n = 0
        self._epoch_train: dict[int, tuple[float, float]] = {}
        self._test: dict[int, tuple[float, float, float]] = {}
        self._redraw_train()
        self._redraw_test()

    def set_kind(self, is_vae: bool) -> None:
        titles = dict(CURVES) if is_vae else {"kl": "KL (none: an AE)", "total": "Total (an AE: reconstruction only)"}
        for key, title in titles.items():
            self.plots[key].setTitle(title, size="10pt")

    def add_step(self, x: float, recon: float, kl: float) -> None:
        """One training step's values (a diverged, non-finite one is not drawn)."""
        if not np.isfinite([x, recon, kl]).all():
            return
        if self._n == len(self._steps):
            self._steps = np.concatenate([self._steps, np.zeros_like(self._steps)])
        self._steps[self._n] = (x, recon, kl)
        self._n += 1
        self._redraw_train()

    def add_epoch(self, epoch: int, test: dict[str, Any]) -> None:
        values = (float(test["recon"]), float(test["kl"]), float(test["neg_elbo"]))
        if np.isfinite(values).all():
            self._test[epoch] = values
            self._redraw_test()

    def set_history(self, history: list[dict[str, Any]], upto_epoch: int) -> None:
        """Epochs a resumed run did before: their test values, and train means where no steps were seen."""
        for h in history:
            epoch = int(h.get("epoch", 0))
            if 1 <= epoch <= upto_epoch:
                train, test = h.get("train") or {}, h.get("test") or {}
                if "recon" in train:
                    values = (float(train["recon"]), float(train.get("kl", 0.0)))
                    if np.isfinite(values).all():
                        self._epoch_train[epoch] = values
                if "recon" in test:
                    values = (float(test["recon"]), float(test["kl"]), float(test["neg_elbo"]))
                    if np.isfinite(values).all():
                        self._test.setdefault(epoch, values)
        self._redraw_train()
        self._redraw_test()

    def _redraw_train(self) -> None:
        # epoch means of a resumed run's earlier epochs come before every step seen live
        first = self._steps[0, 0] if self._n else np.inf
        before = sorted((float(e), r, k) for e, (r, k) in self._epoch_train.items() if e < first)
        arr = np.concatenate([np.asarray(before, dtype=np.float64).reshape(-1, 3), self._steps[: self._n]])
        x, recon, kl = arr.T
        for key, y in (("recon", recon), ("kl", kl), ("total", recon + kl)):
            self.train[key].setData(x, y)

    def _redraw_test(self) -> None:
        epochs = sorted(self._test)
        arr = np.asarray([self._test[e] for e in epochs], dtype=np.float64).reshape(-1, 3)
        for col, key in enumerate(("recon", "kl", "total")):
            self.test[key].setData(np.asarray(epochs, dtype=np.float64), arr[:, col])

    def points(self, key: str, which: str = "train") -> tuple[np.ndarray, np.ndarray]:
        """What a curve shows now: ``(x, y)``."""
        item = (self.train if which == "train" else self.test)[key]
        x, y = item.getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))


class KlBars(QWidget):
    """Mean test KL of each latent dimension, the active ones counted, and a warning on collapse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setObjectName("warning")
        theme.use_style_sheet(self.warning)
        self.warning.hide()
        self.plot = _plot("KL per latent dimension (test)")
        self.plot.setLabel("bottom", "dimension")
        self.plot.setLabel("left", "nats")
        self.plot.setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.plot.addItem(self.bars)
        # the line a dimension's KL must pass to count as active
        self.threshold = pg.InfiniteLine(pos=ACTIVE_KL_NATS, angle=0, pen=palette.pen(palette.ERROR, 1.0, dashed=True))
        self.plot.addItem(self.threshold)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        self.active: int | None = None
        self.clear()

    def clear(self, text: str = "KL per dimension appears after the first epoch.", plot: bool = True) -> None:
        self.active = None
        self.bars.setOpts(x=[], height=[])
        self.plot.setVisible(plot)
        self.plot.setYRange(0, 0.05, padding=0)
        self.summary.setText(text)
        self.warning.hide()

    def show_kl(self, kl: list[float] | None, latent_dim: int) -> None:
        """``kl``: mean KL per dimension in nats, or ``None`` for an AE."""
        if kl is None:
            self.clear(f"An AE has no KL term: its {latent_dim} dimensions are not pulled toward N(0, I).", False)
            return
        self.plot.show()
        values = np.nan_to_num(np.asarray(kl, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        self.active = active_units(values)
        inactive = palette.current().inactive
        brushes = [pg.mkBrush(ACTIVE_COLOR if v > ACTIVE_KL_NATS else inactive) for v in values]
        self.bars.setOpts(x=np.arange(len(values)), height=values, width=0.8, brushes=brushes, pen=None)
        self.plot.setXRange(-0.6, len(values) - 0.4, padding=0)
        step = -(-len(values) // 10)  # at most 10 labels
        ticks = [(i, f"z{i}") for i in range(0, len(values), step)]
        self.plot.getAxis("bottom").setTicks([ticks, []])
        self.plot.setYRange(0, max(float(values.max(initial=0.0)), 0.05) * 1.1, padding=0)
        self.summary.setText(
            f"<b>{self.active} of {len(values)}</b> dimensions active (KL above {ACTIVE_KL_NATS:g} nats); "
            f"total {values.sum():.2f} nats"
        )
        collapsed = posterior_collapsed(values)
        self.warning.setVisible(collapsed)
        if collapsed:
            self.warning.setText(
                "<b>Posterior collapse:</b> nearly every dimension's posterior equals the prior, so the "
                "decoder ignores z. Try a smaller beta, a beta warm-up, or train longer."
            )

    def collapse_warned(self) -> bool:
        return not self.warning.isHidden()
