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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.data.dataset import parse_test_fraction
from vae_explorer.core.data.registry import BUILTIN_DATA, names_text
from vae_explorer.core.data.sizes import MAX_SIDE, MIN_SIDE
from vae_explorer.core.errors import DataError
from vae_explorer.core.model.shipped import checkpoints_dir

from ..widgets.files import MODEL_FILTER
from ..widgets.text import plain

SPLITS = ("test", "train", "all")


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
        for k, entry in enumerate(BUILTIN_DATA.values()):
            self.combo.addItem(entry.name)
            self.combo.setItemData(k, entry.description, Qt.ItemDataRole.ToolTipRole)
        self.combo.setEditText(current)
        self.combo.lineEdit().setPlaceholderText(f"{names_text(', ')}, or a folder")
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


class SplitChooser(QWidget):
    """Which images of the data: the split, the share of a folder held out as the test split, the image size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.split = QComboBox()
        self.split.addItems(list(SPLITS))
        self.split.setToolTip("The test images, the training images, or all of them")
        self.fraction = QLineEdit()
        self.fraction.setPlaceholderText("the models'")
        self.fraction.setToolTip(
            "Share of a folder's images (or the digits') in the test split, chosen with a fixed seed; "
            "empty: the one the models were trained with, else 0.1 for a folder and 0.2 for the digits"
        )
        self.fraction.setMaximumWidth(90)
        self.size = QSpinBox(minimum=0, maximum=MAX_SIDE)
        self.size.setSpecialValueText("auto")
        self.size.setSuffix(" px")
        self.size.setToolTip("Resize a folder's images to this many pixels a side (auto: their most common size)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, w in (("", self.split), ("test share", self.fraction), ("image size", self.size)):
            if label:
                layout.addWidget(QLabel(label))
            layout.addWidget(w)
        layout.addStretch(1)

    def values(self) -> tuple[str, float | None, int | None]:
        """``(split, test fraction or None, image size or None)``; a share that is no number in (0, 0.5] raises."""
        text = self.fraction.text().strip()
        try:
            fraction = parse_test_fraction(text) if text else None
        except DataError as exc:
            raise DataError(f"test share: {exc}") from None
        side = self.size.value()
        return self.split.currentText(), fraction, side if side >= MIN_SIDE else None


class OpenPairDialog(QDialog):
    """Two models (checkpoints or model files, left and right) and the data to show them on."""

    def __init__(self, left: str = "", right: str = "", data: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a pair of models")
        self.left = QLineEdit(left)
        self.right = QLineEdit(right)
        self.data = DataChooser(data)
        self.split = SplitChooser()
        form = QFormLayout(self)
        form.addRow("Left model (e.g. the AE):", _path_row(self.left, lambda: self._browse(self.left)))
        form.addRow("Right model (e.g. the VAE):", _path_row(self.right, lambda: self._browse(self.right)))
        form.addRow("Data:", self.data)
        form.addRow("Images:", self.split)
        form.addRow(_open_cancel(self))
        self.resize(640, self.sizeHint().height())

    def _browse(self, edit: QLineEdit) -> None:
        start = str(Path(edit.text()).parent) if edit.text() else str(checkpoints_dir())
        path, _ = QFileDialog.getOpenFileName(self, "Open model", start, MODEL_FILTER)
        if path:
            edit.setText(path)

    def values(self) -> tuple[str, str, str, str]:
        return self.left.text().strip(), self.right.text().strip(), self.data.value(), self.split.split.currentText()


class OpenDataDialog(QDialog):
    """A data set and split to encode with the loaded models."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open data")
        self.data = DataChooser(current)
        self.split = SplitChooser()
        form = QFormLayout(self)
        form.addRow("Data:", self.data)
        form.addRow("Images:", self.split)
        form.addRow(_open_cancel(self))
        self.resize(560, self.sizeHint().height())

    def values(self) -> tuple[str, str]:
        return self.data.value(), self.split.split.currentText()


class DetailsDialog(QDialog):
    """An error's message over its details (a traceback), to read or copy into a bug report."""

    def __init__(self, text: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Error details")
        message = plain(QLabel(), text)
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
