"""The GIF export's options dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QSpinBox

from vae_explorer.core.limits import FPS, SCALE
from vae_explorer.core.morph.pipeline import GifOptions


class GifOptionsDialog(QDialog):
    """Frames a second, scale and resampling, looping, ping-pong, which models, frame labels."""

    def __init__(self, options: GifOptions, titles: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the morph as a GIF")
        self.fps = QDoubleSpinBox(minimum=FPS.low, maximum=FPS.high, decimals=2, value=options.fps)
        self.fps.setSuffix(" frames/s")
        self.scale = QSpinBox(minimum=int(SCALE.low), maximum=int(SCALE.high), value=options.scale)
        self.scale.setSuffix("x")
        self.resample = QComboBox()
        self.resample.addItem("nearest (sharp pixels)", "nearest")
        self.resample.addItem("smooth (bicubic)", "smooth")
        self.resample.setCurrentIndex(self.resample.findData(options.resample))
        self.loop = QCheckBox("loop forever", checked=options.loop)
        self.pingpong = QCheckBox("ping-pong (forward, then back)", checked=options.pingpong)
        self.show_models = QComboBox()
        if len(titles) > 1:
            self.show_models.addItem("both, side by side", "both")
        for slot, title in titles.items():
            self.show_models.addItem(f"only {title}", slot)
        self.show_models.setCurrentIndex(max(self.show_models.findData(options.show), 0))
        self.labels = QCheckBox("model names and frame numbers under the frames", checked=options.labels)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Speed:", self.fps)
        form.addRow("Scale:", self.scale)
        form.addRow("Resampling:", self.resample)
        form.addRow("", self.loop)
        form.addRow("", self.pingpong)
        form.addRow("Models:", self.show_models)
        form.addRow("Labels:", self.labels)
        form.addRow(buttons)

    def options(self) -> GifOptions:
        return GifOptions(
            fps=self.fps.value(),
            scale=self.scale.value(),
            resample=self.resample.currentData(),
            loop=self.loop.isChecked(),
            pingpong=self.pingpong.isChecked(),
            show=self.show_models.currentData() or "both",
            labels=self.labels.isChecked(),
        )
