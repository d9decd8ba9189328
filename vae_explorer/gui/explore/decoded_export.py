"""Exporting the decoded cursors as one PNG: each model's decoded image beside its nearest data image.

One row per model with a decoded cursor, enlarged a chosen whole number of times
with square pixels (nearest neighbours), written through the one safe write.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from vae_explorer.core.errors import ExportError
from vae_explorer.core.io.images import MAX_SCALE, image_grid, save_png
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.session import Session

DEFAULT_SCALE = 8


def decoded_picture(session: Session) -> np.ndarray:
    """Rows of (decoded at the cursor, nearest data image), one per model that decoded: ``uint8 (C, H', W')``."""
    data = session.dataset
    pairs = [s.decoded for s in session.slots.values() if s.decoded is not None]
    if data is None or not pairs:
        raise ExportError("nothing is decoded yet: select a sample or drag a cursor first")
    images = [im for d in pairs for im in (to_uint8(d.image), data.images[d.nearest_index])]
    return image_grid(np.stack(images), len(pairs), 2, pad=1)


def export_decoded(session: Session, path: str | Path, scale: int = DEFAULT_SCALE) -> Path:
    """Write the decoded cursors and their nearest data images to ``path`` as PNG, ``scale`` times larger."""
    if not 1 <= scale <= MAX_SCALE:
        raise ExportError(f"a scale of {scale} is out of range (1 to {MAX_SCALE})")
    return save_png(path, decoded_picture(session), scale)


def export_decoded_dialog(session: Session, parent: QWidget) -> Path | None:
    """Ask where and how large, then write the PNG (small: here); a refusal is said in the message bar."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export the decoded images", "decoded.png", "PNG images (*.png)")
    if not path:
        return None
    scale, ok = QInputDialog.getInt(parent, "Enlarge", "Pixels per image pixel:", DEFAULT_SCALE, 1, MAX_SCALE)
    if not ok:
        return None
    try:
        written = export_decoded(session, path, scale)
    except ExportError as exc:
        session.report(str(exc))
        return None
    session.say(f"decoded images written to {written}")
    return written
