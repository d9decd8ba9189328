"""The "Map selection" groups of the Define form: turn on the map's selection tool for A or B, see what each holds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QPushButton, QWidget

from vae_explorer.core.session import Session
from vae_explorer.gui.widgets.palette import GROUP_COLORS

from ..widgets.text import markup, tooltip

NAMES_SHOWN = 20  # sample names in a group's tooltip
GROUP_KEYS = ("A", "B")
GROUP_MARKS = {
    "A": ("o", "◯"),
    "B": ("s", "□"),
    "S": ("t", "▽"),
}  # each group's mark on the maps and in text: shape as well as colour


def compact_combo() -> QComboBox:
    """A combo box that asks for little width (eight characters), so a narrow dock can hold the form."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


class SelectionGroups(QWidget):
    """Groups A and B as drawn in a map (rectangle or lasso), or A against the rest.

    ``select_buttons[key]`` turns the session's selection tool on for group ``key``;
    ``counts[key]`` says how many samples the group holds (their names in its tooltip).
    ``sigChanged()`` when the groups change.
    """

    sigChanged = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.state = session, session.attributes
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.shape = compact_combo()
        self.shape.addItem("rectangle", "rectangle")
        self.shape.addItem("lasso", "lasso")
        self.select_buttons = {key: QPushButton(f"Select {key}") for key in GROUP_KEYS}
        self.counts = {key: QLabel() for key in GROUP_KEYS}
        grid.addWidget(QLabel("drag in a map with"), 0, 0)
        grid.addWidget(self.shape, 0, 1)
        for row, (key, button) in enumerate(self.select_buttons.items(), start=1):
            button.setCheckable(True)
            button.setToolTip(f"Turn on the map selection tool for group {key}; drag in a map (Shift adds)")
            button.toggled.connect(lambda on, k=key: self._on_select_toggled(k, on))
            grid.addWidget(button, row, 0)
            grid.addWidget(self.counts[key], row, 1)
        self.rest = QCheckBox("compare A with the rest")
        grid.addWidget(self.rest, 3, 0, 1, 2)
        self.shape.currentIndexChanged.connect(lambda *_: self._restart_tool())
        self.rest.toggled.connect(lambda *_: self.sigChanged.emit())
        self.state.selection_changed.connect(lambda key: key in GROUP_KEYS and self.show_group(key))
        self.state.tool_changed.connect(self._on_tool_changed)

    def show_group(self, key: str) -> None:
        """Show how many samples group ``key`` holds, the first by name (all of them on the data shown)."""
        indices, data = self.state.selections[key], self.session.dataset
        mark = f"<span style='color:{GROUP_COLORS[key]}'>{GROUP_MARKS[key][1]}</span> "
        if indices is None or data is None:
            self.counts[key].setText(mark + "nothing selected")
            self.counts[key].setToolTip("")
        else:
            names = [data.describe_sample(int(i)) for i in indices[:NAMES_SHOWN]]
            more = f"\n… and {len(indices) - NAMES_SHOWN} more" if len(indices) > NAMES_SHOWN else ""
            first = markup(data.sample_name(int(indices[0])) or data.describe_sample(int(indices[0])))
            self.counts[key].setText(mark + f"{len(indices)} samples" + (f" ({first}, …)" if len(indices) else ""))
            self.counts[key].setToolTip(tooltip("\n".join(names) + more))
        self.sigChanged.emit()

    def _on_select_toggled(self, key: str, on: bool) -> None:
        if on:
            self.state.set_tool(self.shape.currentData(), key)
        elif self.state.tool is not None and self.state.tool_target == key:
            self.state.set_tool(None)

    def _restart_tool(self) -> None:
        if self.state.tool is not None:
            self.state.set_tool(self.shape.currentData(), self.state.tool_target)

    def _on_tool_changed(self, tool: str | None) -> None:
        for key, button in self.select_buttons.items():
            button.blockSignals(True)
            button.setChecked(tool is not None and self.state.tool_target == key)
            button.blockSignals(False)
