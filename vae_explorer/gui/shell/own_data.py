"""The question when a trained model comes from other data than the explorer shows: open it with which data?"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from vae_explorer.core.data import Dataset
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.gui.widgets.text import markup, menu_text

OWN, SHOWN, NEITHER = "own", "shown", ""  # the answers
MIN_WIDTH = 420  # pixels: the question on two or three lines, not six


class OwnDataDialog(QDialog):
    """Open ``model`` with ``spec``, the data it was trained on, or on the data on show (when its images fit)."""

    def __init__(self, model: LoadedModel, spec: str, shown: Dataset | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open the trained model")
        self.answer = NEITHER
        fits = shown is not None and shown.image_shape == model.image_shape
        text = f"<b>{markup(model.name)}</b> was trained on <b>{markup(spec)}</b>"
        if shown is not None:
            text += f"; the explorer shows {markup(shown.description)}"
            if not fits:
                _, h, w = shown.image_shape
                text += f", whose {h}x{w} images it cannot read"
        text += "."
        label = QLabel(text)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.own_button = buttons.addButton(f"Open with {menu_text(spec)}", QDialogButtonBox.ButtonRole.AcceptRole)
        self.own_button.setToolTip("The model beside it stays if it reads these images too; otherwise its side empties")
        self.own_button.clicked.connect(lambda: self._answer(OWN))
        self.shown_button = None
        if fits:
            self.shown_button = buttons.addButton(
                f"Open on {menu_text(shown.name)}", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.shown_button.clicked.connect(lambda: self._answer(SHOWN))
        self.own_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
        self.setMinimumWidth(MIN_WIDTH)

    def _answer(self, answer: str) -> None:
        self.answer = answer
        self.accept()


def ask_own_data(
    parent: QWidget, model: LoadedModel, spec: str, shown: Dataset | None, answered: Callable[[str], None]
) -> OwnDataDialog:
    """Ask over ``parent`` without blocking; ``answered(answer)`` with :data:`OWN`, :data:`SHOWN` or :data:`NEITHER`."""
    dialog = OwnDataDialog(model, spec, shown, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.finished.connect(lambda result: answered(dialog.answer))
    dialog.open()
    return dialog
