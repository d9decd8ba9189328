"""Dialogs for opening a pair of models and a data set, and for the details of an error."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.model.shipped import checkpoints_dir

CHECKPOINT_FILTER = "Checkpoints (*.pt);;All files (*)"
MODEL_FILTER = "Models (*.pt *.py);;Checkpoints (*.pt);;Model files (*.py);;All files (*)"
BUILTIN_DATA = ("fashion-mnist", "mnist", "digits")


def _path_row(edit: QLineEdit, browse) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    button = QPushButton("Browse…")
    button.clicked.connect(browse)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


def _open_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class DataChooser(QWidget):
    """A data set: one of the built-in names, or a folder."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(editable=True)
        self.combo.addItems(BUILTIN_DATA)
        self.combo.setEditText(current)
        self.combo.lineEdit().setPlaceholderText("fashion-mnist, mnist, digits or a folder")
        button = QPushButton("Folder…")
        button.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(button)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Data folder (images or IDX files)")
        if folder:
            self.combo.setEditText(folder)

    def value(self) -> str:
        return self.combo.currentText().strip()


class OpenPairDialog(QDialog):
    """Two models (checkpoints or model files, left and right) and the data to show them on."""

    def __init__(self, left: str = "", right: str = "", data: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a pair of models")
        self.left = QLineEdit(left)
        self.right = QLineEdit(right)
        self.data = DataChooser(data)
        self.split = QComboBox()
        self.split.addItems(["test", "train"])
        form = QFormLayout(self)
        form.addRow("Left model (e.g. the AE):", _path_row(self.left, lambda: self._browse(self.left)))
        form.addRow("Right model (e.g. the VAE):", _path_row(self.right, lambda: self._browse(self.right)))
        form.addRow("Data:", self.data)
        form.addRow("Split:", self.split)
        form.addRow(_open_cancel(self))
        self.resize(640, self.sizeHint().height())

    def _browse(self, edit: QLineEdit) -> None:
        start = str(Path(edit.text()).parent) if edit.text() else str(checkpoints_dir())
        path, _ = QFileDialog.getOpenFileName(self, "Open model", start, MODEL_FILTER)
        if path:
            edit.setText(path)

    def values(self) -> tuple[str, str, str, str]:
        return self.left.text().strip(), self.right.text().strip(), self.data.value(), self.split.currentText()


class OpenDataDialog(QDialog):
    """A data set and split to encode with the loaded models."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open data")
        self.data = DataChooser(current)
        self.split = QComboBox()
        self.split.addItems(["test", "train"])
        form = QFormLayout(self)
        form.addRow("Data:", self.data)
        form.addRow("Split:", self.split)
        form.addRow(_open_cancel(self))
        self.resize(520, self.sizeHint().height())

    def values(self) -> tuple[str, str]:
        return self.data.value(), self.split.currentText()


class DetailsDialog(QDialog):
    """An error's message over its details (a traceback), to read or copy into a bug report."""

    def __init__(self, text: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Error details")
        message = QLabel(text)
        message.setWordWrap(True)
        message.setTextInteractionFlags(message.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details, readOnly=True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(f"{text}\n\n{details}"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
