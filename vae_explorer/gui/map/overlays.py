"""What one map draws over its data points for the session's samples.

The selected sample's mark, the hovered sample's mark and image, the VAE's prior
contours and the selected sample's posterior ellipse and draws from it, and a
replayed training epoch's codes. Each item is a few points or a curve, so redrawing them never
touches the image of the data points.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem

from vae_explorer.core.latent.geometry import gaussian_ellipse
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette
from vae_explorer.gui.widgets.images import to_pixmap

from .points import MapPoints

HOVER_SCALE = 3
REPLAY_FADE = 0.12  # the data points' opacity under a replayed epoch
DRAW_SIZE = 7


class SampleOverlays:
    """The marks one map (of model ``slot``) draws for the session's selection, hover, prior and replay.

    The items are made here; the map adds them to its view box in the order it stacks them.
    """

    def __init__(self, session: Session, slot: str, points: MapPoints) -> None:
        self.session, self.slot, self.points = session, slot, points
        self.prior_curves = [pg.PlotCurveItem() for _ in range(2)]
        self.ellipse = pg.PlotCurveItem()
        self.draws = pg.ScatterPlotItem(size=DRAW_SIZE, symbol="o", pxMode=True)  # draws from q(z|x)
        self.draws.setZValue(20)
        self.replay = pg.ScatterPlotItem(size=6, pen=None, pxMode=True)  # a training epoch's codes
        self.selection_mark = pg.ScatterPlotItem(size=15, symbol="o", brush=None)
        self.hover_mark = pg.ScatterPlotItem(size=13, symbol="o", pen=palette.pen(palette.HOVER, 2.0), brush=None)
        self.hover_image = QGraphicsPixmapItem()
        self.hover_image.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.hover_image.setZValue(40)
        self.hover_image.hide()

    def apply_theme(self, t: palette.Theme) -> None:
        """The contours and the selection's mark in the theme's ink."""
        for curve in self.prior_curves:
            curve.setPen(palette.pen(t.guide, 1.2, dashed=True))
        self.ellipse.setPen(palette.pen(t.ink, 2.0))
        self.draws.setPen(palette.pen(t.halo, 1.0))
        self.draws.setBrush(pg.mkBrush(t.ink))
        self.selection_mark.setPen(palette.pen(t.ink, 2.5))

    def clear(self) -> None:
        """Forget the hovered and the selected sample's marks (other data: their rows mean nothing now)."""
        self.hover_image.hide()
        self.hover_mark.clear()
        self.selection_mark.clear()

    def show_selection(self, index: int | None) -> None:
        """Mark data row ``index`` where it is drawn; no mark when it is None or not (yet) on the map."""
        p = None if index is None else self.points.point_of(index)
        if p is None:
            self.selection_mark.clear()
        else:
            self.selection_mark.setData(pos=[p])

    def show_hover(self, index: int | None) -> None:
        """Mark the hovered data row and show its image beside it; hide both with none."""
        data = self.session.dataset
        p = None if index is None or data is None else self.points.point_of(index)
        if p is None:
            self.hover_mark.clear()
            self.hover_image.hide()
            return
        self.hover_mark.setData(pos=[p])
        self.hover_image.setPixmap(to_pixmap(data.images[index], HOVER_SCALE))
        self.hover_image.setPos(QPointF(p[0], p[1]))
        self.hover_image.setOffset(8, -8 - self.hover_image.pixmap().height())
        self.hover_image.show()

    def show_contours(self) -> None:
        """The VAE's posterior ellipse of the selected sample and the prior's 1 and 2 sigma contours.

        Drawn only on a linear map (exact inverse) of a VAE, where a Gaussian stays an ellipse.
        """
        s, proj = self.session.slots[self.slot], self.session.projection(self.slot)
        linear = proj is not None and proj.exact
        show_prior = linear and s.is_vae
        for n_sigma, curve in zip((1, 2), self.prior_curves, strict=True):
            if show_prior:
                pts = gaussian_ellipse(proj, np.zeros(s.latent_dim), np.ones(s.latent_dim), n_sigma)
                curve.setData(pts[:, 0], pts[:, 1])
            curve.setVisible(show_prior)
        index = self.session.selection
        show_ellipse = show_prior and index is not None and s.codes is not None
        if show_ellipse:
            var = np.exp(s.codes.logvar[index])
            pts = gaussian_ellipse(proj, s.codes.mu[index], var, 1.0)
            self.ellipse.setData(pts[:, 0], pts[:, 1])
        self.ellipse.setVisible(show_ellipse)

    def show_replay(self, slot: str) -> None:
        """A replayed epoch's codes, bright over the data points, which fade while it lasts."""
        replay, proj = self.session.replays[self.slot], self.session.projection(self.slot)
        if slot != self.slot:
            return
        if replay is None or proj is None:
            self.replay.clear()
            self.points.cloud.setOpacity(1.0)
            return
        codes, labels = replay
        self.replay.setData(pos=proj.forward(codes), brush=palette.point_brushes(labels, len(codes)))
        self.points.cloud.setOpacity(REPLAY_FADE)

    def show_draws(self, slot: str) -> None:
        """The session's draws from q(z|x) for this map, as points over the data (none: nothing drawn)."""
        if slot != self.slot:
            return
        codes, proj = self.session.draws[self.slot], self.session.projection(self.slot)
        if codes is None or proj is None:
            self.draws.clear()
        else:
            self.draws.setData(pos=proj.forward(codes))
