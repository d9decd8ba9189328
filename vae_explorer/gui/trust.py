"""The question before a model file runs: its path and digest, and what saying yes means."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from vae_explorer.core.model.user_model import ModelSource

EXPLANATION = (
    "A model file is Python code: opening it runs that code with your permissions, as running "
    "<code>python</code> on it would. Open it only if you wrote it or trust where it came from.<br><br>"
    "A yes is kept for exactly this content: if the file changes, you are asked again."
)


class TrustDialog(QDialog):
    """Asks whether model files may run, showing each one's path and SHA-256."""

    def __init__(self, sources: list[ModelSource], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Run the code of a model file?")
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for source in sources:
            path = QLabel(f"<b>{source.path.resolve()}</b>")
            digest = QLabel(f"SHA-256 {source.sha256}")
            digest.setFont(mono)
            for label in (path, digest):
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.trust_button = buttons.addButton("Trust and open", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_trust(parent: QWidget, sources: list[ModelSource], answered: Callable[[bool], None]) -> TrustDialog:
    """Show the question over ``parent`` without blocking; ``answered(yes)`` when the user has answered."""
    dialog = TrustDialog(sources, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.finished.connect(lambda result: answered(result == QDialog.DialogCode.Accepted))
    dialog.open()
    return dialog
