"""Choosing the morph's key images: A and B from the selection, by index or from a file, and the stops between."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QSpinBox, QToolButton, QWidget

from vae_explorer.core.data.folder import IMAGE_SUFFIXES
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.session import Session

from ..widgets.text import markup

IMAGE_FILTER = f"Images ({' '.join('*' + s for s in sorted(IMAGE_SUFFIXES))});;All files (*)"


def describe(session: Session, key: MorphKey | None) -> str:
    """A key as the panel names it: ``#12 · Trouser``, ``#3 · A · A/arial.png``, or the image file's name."""
    if key is None:
        return "<i>not set</i>"
    return markup(key.describe(session.dataset))


class KeyPicker(QWidget):
    """One key, A or B: what it is now, and three ways to set it (selection, index, image file)."""

    def __init__(self, session: Session, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.role = session, role  # role: "A" or "B"
        self.text = QLabel()
        self.text.setMinimumWidth(90)
        self.selected = QToolButton(text="Selected")
        self.selected.setToolTip(f"{role} = the sample selected in the maps (Alt+{role})")
        self.selected.clicked.connect(self.use_selection)
        # -1 stands for "not a sample index" (A unset or an image file), so choosing #0 is a change too
        self.index = QSpinBox(minimum=-1, maximum=-1)
        self.index.setSpecialValueText("index")
        self.index.setPrefix("#")
        self.index.setKeyboardTracking(False)
        self.index.setToolTip(f"{role} = the sample with this index")
        self.index.valueChanged.connect(lambda i: i >= 0 and self.set_key(MorphKey(int(i))))
        self.file = QToolButton(text="Image…")
        self.file.setToolTip(f"{role} = an image file of the models' size and colour depth")
        self.file.clicked.connect(self.choose_file)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        title = QLabel(f"<b>{role}</b>")
        for w in (title, self.text, self.selected, self.index, self.file):
            layout.addWidget(w)
        session.morph.keys_changed.connect(self.refresh)
        session.data_changed.connect(self.refresh)
        self.refresh()

    def key(self) -> MorphKey | None:
        return self.session.morph.start if self.role == "A" else self.session.morph.end

    def set_key(self, key: MorphKey) -> None:
        if self.role == "A":
            self.session.morph.set_start(key)
        else:
            self.session.morph.set_end(key)

    def use_selection(self) -> None:
        if self.session.selection is None:
            self.session.say("select a sample first (click a point in a map)")
            return
        self.set_key(MorphKey(self.session.selection))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Key image {self.role}", "", IMAGE_FILTER)
        if path:
            self.set_key(MorphKey(path=path))

    def refresh(self) -> None:
        key = self.key()
        self.text.setText(describe(self.session, key))
        data = self.session.dataset
        self.index.blockSignals(True)
        self.index.setMaximum(len(data) - 1 if data is not None else -1)
        self.index.setEnabled(data is not None)
        self.index.setValue(key.index if key is not None and key.index is not None else -1)
        self.index.blockSignals(False)
        self.selected.setEnabled(data is not None)


class ViaPicker(QWidget):
    """The stops between A and B: add the selected sample or an image file, or clear them."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.text = QLabel()
        self.add = QToolButton(text="+ selected")
        self.add.setToolTip("Morph through the selected sample on the way from A to B")
        self.add.clicked.connect(self.add_selection)
        self.add_file = QToolButton(text="+ image…")
        self.add_file.setToolTip("Morph through an image file on the way from A to B")
        self.add_file.clicked.connect(self.choose_file)
        self.clear = QToolButton(text="Clear")
        self.clear.setToolTip("Go straight from A to B")
        self.clear.clicked.connect(session.morph.clear_via)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        for w in (QLabel("<b>via</b>"), self.text, self.add, self.add_file, self.clear):
            layout.addWidget(w)
        session.morph.keys_changed.connect(self.refresh)
        self.refresh()

    def add_selection(self) -> None:
        if self.session.selection is None:
            self.session.say("select a sample first (click a point in a map)")
            return
        self.session.morph.add_via(MorphKey(self.session.selection))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Key image on the way", "", IMAGE_FILTER)
        if path:
            self.session.morph.add_via(MorphKey(path=path))

    def refresh(self) -> None:
        via = self.session.morph.via
        self.text.setText(", ".join(describe(self.session, k) for k in via) if via else "<i>none</i>")
        self.clear.setEnabled(bool(via))
