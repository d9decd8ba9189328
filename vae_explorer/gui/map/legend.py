"""One legend for both maps: the class colours and names of the data."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QWidget

from vae_explorer.core.session import Session
from vae_explorer.gui.widgets import palette, theme
from vae_explorer.gui.widgets.palette import CLASS_COLORS, HOVER


class Legend(QLabel):
    """A line of coloured dots with class names, and what the markers mean."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWordWrap(True)
        self.setContentsMargins(6, 2, 6, 2)
        session.data_changed.connect(self.refresh)
        theme.follow(self, lambda t: self.refresh())

    def refresh(self) -> None:
        data = self.session.dataset
        parts = []
        if data is not None and data.labels is not None:
            for k, name in enumerate(data.label_names):
                color = CLASS_COLORS[k % len(CLASS_COLORS)]
                parts.append(f"<span style='color:{color}; font-size:14px'>●</span>&nbsp;{html.escape(name)}")
        parts.append(f"<span style='color:{palette.current().ink}'>◯</span>&nbsp;selected")
        parts.append(f"<span style='color:{HOVER}'>◯</span>&nbsp;hovered")
        parts.append("✛&nbsp;cursor (drag it)")
        self.setText("&nbsp;&nbsp; ".join(parts))
