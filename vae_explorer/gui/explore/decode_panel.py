"""The decoded cursor of one model, large, beside the nearest data image, with its distances."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from vae_explorer.core.latent.cursor import DecodeResult
from vae_explorer.core.latent.projection import VIEW_TITLES
from vae_explorer.core.model.pending import is_pending
from vae_explorer.core.session import Session
from vae_explorer.gui.widgets.images import ImageView
from vae_explorer.gui.widgets.labels import steady_label
from vae_explorer.gui.widgets.palette import NOTE
from vae_explorer.gui.widgets.text import markup

MIN_SIDE = 120
MIN_SCALE = 4  # the decoded image is drawn at least this many screen pixels per image pixel
STATS_LINES = 8  # distance, sample, prior log-density, the t-SNE note, each line wrapped once at most


class DecodePanel(QWidget):
    """Shows ``session.slots[slot].decoded``: the image decoded at the cursor.

    Beside it: the data image whose code is nearest to the cursor's, the distance to
    that code, and for a VAE the prior log-density of the cursor's code.
    """

    def __init__(self, session: Session, slot: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.slot = session, slot
        self.decoded = ImageView("drag the cursor in the map", min_side=MIN_SIDE)
        self.nearest = ImageView("", min_side=72)
        self.heading = QLabel()
        self.heading.setObjectName("decodeHeading")
        self.stats = steady_label("distance to nearest data", STATS_LINES)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        captions = [QLabel("decoded at the cursor"), QLabel("nearest data image")]
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.addWidget(self.heading, 0, 0, 1, 3)
        grid.addWidget(self.decoded, 1, 0)
        grid.addWidget(self.nearest, 1, 1)
        for col, caption in enumerate(captions):
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(caption, 2, col)
        grid.addWidget(self.stats, 1, 2, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        grid.setRowStretch(1, 1)
        session.decoded_changed.connect(self._on_decoded_changed)
        # the note that the map's inverse is approximate follows the map on show
        session.view_changed.connect(lambda view: self._on_decoded_changed(self.slot))
        session.maps_changed.connect(self._on_decoded_changed)
        session.model_changed.connect(self._on_model_changed)
        session.data_changed.connect(self._on_data_changed)
        session.model_loaded.connect(lambda slot: slot == self.slot and self._on_decoded_changed(slot))
        self._on_model_changed(slot)

    def _on_model_changed(self, slot: str) -> None:
        if slot == self.slot:
            self.heading.setText(f"<b>{markup(self.session.slots[slot].title)}</b>")
            self._clear()

    def _on_data_changed(self) -> None:
        """Room for the decoded image at :data:`MIN_SCALE` times its size, then nothing shown until decoded."""
        data = self.session.dataset
        if data is not None:
            _, h, w = data.image_shape
            self.decoded.setMinimumSize(max(MIN_SIDE, MIN_SCALE * w), max(MIN_SIDE, MIN_SCALE * h))
        self._clear()

    def _clear(self) -> None:
        self.decoded.set_image(None)
        self.nearest.set_image(None)
        # shown from the cache while its network loads: the cursor decodes once it is in
        self.stats.setText("loading the model…" if is_pending(self.session.slots[self.slot].model) else "")

    def _on_decoded_changed(self, slot: str) -> None:
        if slot != self.slot:
            return
        result: DecodeResult | None = self.session.slots[slot].decoded
        data = self.session.dataset
        if result is None or data is None:
            self._clear()
            return
        self.decoded.set_image(result.image, token=result)
        self.nearest.set_image(data.images[result.nearest_index])
        lines = [
            f"distance to nearest data code: <b>{result.nearest_distance:.3f}</b>",
            f"({markup(data.describe_sample(result.nearest_index))})",
        ]
        if self.session.slots[slot].is_vae:
            lines.append(f"prior log-density: <b>{result.log_prior:.1f}</b> nats")
        proj = self.session.projection(slot)
        if proj is not None and not proj.exact:
            how = VIEW_TITLES.get(proj.name, proj.name)
            lines.append(f"<span style='color:{NOTE}'>map inverse is approximate ({how})</span>")
        self.stats.setText("<br>".join(lines))
