"""The question before a model file runs: its path, the modules beside it it may import, its digest,
and what saying yes means. Every path and name is shown as plain text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from vae_explorer.core.model.user_model import ModelSource

from ..widgets.text import markup, plain

EXPLANATION = (
    "A model file is Python code: opening it runs that code with your permissions, as running "
    "<code>python</code> on it would, and so do the Python modules in its folder that it imports. "
    "Open it only if you wrote it or trust where it and its folder came from.<br><br>"
    "A yes is kept for exactly this content: if the file or one of those modules changes, you are asked again."
)
SHOWN_MODULES = 12  # named in the question; the rest are counted


def modules_text(source: ModelSource) -> str:
    """The modules beside a model file that trusting it trusts too, as the question names them."""
    names = [name for name, _ in source.modules]
    more = len(names) - SHOWN_MODULES
    shown = ", ".join(names[:SHOWN_MODULES]) + (f" and {more} more" if more > 0 else "")
    where = source.path.resolve().parent
    return f"and the {len(names)} Python module{'s' if len(names) > 1 else ''} in {where} it may import: {shown}"


class TrustDialog(QDialog):
    """Asks whether model files may run, showing each one's path, the modules it may import, and the digest."""

    def __init__(self, sources: list[ModelSource], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Run the code of a model file?")
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for source in sources:
            path = QLabel(f"<b>{markup(source.path.resolve())}</b>")
            labels = [path]
            if source.modules:
                labels.append(plain(QLabel(), modules_text(source)))
                labels[-1].setWordWrap(True)
            digest = plain(QLabel(), f"SHA-256 {source.digest}")
            digest.setFont(mono)
            for label in (*labels, digest):
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
