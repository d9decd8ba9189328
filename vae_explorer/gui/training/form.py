"""The training form: every setting of a run, each with its reason shown beside it when refused."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.data.registry import BUILTIN_DATA
from vae_explorer.core.model.device import likely_devices
from vae_explorer.core.training.form import (
    DEFAULTS,
    FOLDER,
    FormResult,
    first_available_data,
    models_dir,
    parse_form,
    suggest_output,
)
from vae_explorer.core.training.settings import BY_NAME

from ..widgets.files import CHECKPOINT_FILTER
from ..widgets.text import plain
from ..widgets.theme import set_tone

DATA_ITEMS = (*((d.title, d.name) for d in BUILTIN_DATA.values()), ("Image folder…", FOLDER))
KIND_ITEMS = (("VAE", "vae"), ("AE", "ae"))
SCHEDULE_ITEMS = (("constant", "constant"), ("cosine decay", "cosine"))


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    for text, value in items:
        combo.addItem(text, value)
    return combo


class TrainForm(QWidget):
    """Data (and a folder's test share), kind, beta and warm-up, latent size, epochs, batch size, learning rate,
    seed, device, history, output. Defaults, limits and tooltips are the command line's.

    ``sigChanged()`` after any edit; :meth:`result` says whether the values make a
    run (``result().config``) and why not (``result().errors``, also shown in the form).
    """

    sigChanged = Signal()

    def __init__(self, devices: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices = list(devices or likely_devices())  # without torch: the window opens before it is imported
        self._taken: set[str] = set()
        self._suggested = ""  # the output file while the field is left empty: follows the settings
        self.data = _combo(DATA_ITEMS)
        for k, entry in enumerate(BUILTIN_DATA.values()):
            self.data.setItemData(k, entry.description, Qt.ItemDataRole.ToolTipRole)
        self.folder = QLineEdit(placeholderText="a folder of images or of IDX files")
        self.test_fraction = QLineEdit(placeholderText="0.1")
        self.kind = _combo(KIND_ITEMS)
        self.beta = QLineEdit(DEFAULTS["beta"])
        self.beta_warmup = QLineEdit(DEFAULTS["beta_warmup"])
        self.latent_dim = QLineEdit(DEFAULTS["latent_dim"])
        self.epochs = QLineEdit(DEFAULTS["epochs"])
        self.batch_size = QLineEdit(DEFAULTS["batch_size"])
        self.lr = QLineEdit(DEFAULTS["lr"])
        self.lr_schedule = _combo(SCHEDULE_ITEMS)
        self.seed = QLineEdit(DEFAULTS["seed"])
        self.device = QComboBox()
        self.device.addItem(f"auto ({self.devices[0]})", "auto")
        for name in self.devices:
            self.device.addItem(name, name)
        self.history = QCheckBox("keep a replay (2-D: each epoch's codes)")
        self.out = QLineEdit()
        for name in ("beta", "beta_warmup", "latent_dim", "epochs", "batch_size", "lr", "seed", "test_fraction"):
            setting = BY_NAME[name]
            limit = f" ({setting.bounds()})" if setting.bounds() else ""
            getattr(self, name).setToolTip(setting.help[0].upper() + setting.help[1:] + limit)
        self.history.setToolTip(BY_NAME["history"].help[0].upper() + BY_NAME["history"].help[1:])
        self.out.setToolTip("The checkpoint, written after every epoch; left empty, a free name in the models folder")

        self.reasons: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(4, 4, 4, 4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        folder_button = QPushButton("Browse…", clicked=self._browse_folder)
        out_button = QPushButton("Browse…", clicked=self._browse_out)
        self.folder_row = self._row("folder", self.folder, folder_button)
        self.fraction_row = self._row("test_fraction", self.test_fraction, QLabel("held out for testing"))
        rows = (
            ("Data set", self._row("data", self.data)),
            ("Folder", self.folder_row),
            ("Test share", self.fraction_row),
            ("Kind", self._row("kind", self.kind)),
            ("beta", self._row("beta", self.beta)),
            ("beta warm-up", self._row("beta_warmup", self.beta_warmup, QLabel("epochs"))),
            ("Latent size", self._row("latent_dim", self.latent_dim)),
            ("Epochs", self._row("epochs", self.epochs)),
            ("Batch size", self._row("batch_size", self.batch_size)),
            ("Learning rate", self._row("lr", self.lr, self.lr_schedule)),
            ("Seed", self._row("seed", self.seed)),
            ("Device", self._row("device", self.device)),
            ("History", self._row("history", self.history)),
            ("Output file", self._row("out", self.out, out_button)),
        )
        self.labels: dict[str, QLabel] = {}
        for text, row in rows:
            self.labels[text] = QLabel(text)
            form.addRow(self.labels[text], row)

        self.data.setCurrentIndex(self.data.findData(first_available_data()))
        for combo in (self.data, self.kind, self.lr_schedule, self.device):
            combo.currentIndexChanged.connect(self._on_edit)
        edits = (self.folder, self.beta, self.beta_warmup, self.latent_dim, self.epochs, self.batch_size, self.lr)
        for edit in (*edits, self.seed, self.test_fraction):
            edit.textChanged.connect(self._on_edit)
        self.history.toggled.connect(self._on_edit)
        self.out.textChanged.connect(self._on_edit)
        self._result = FormResult(None)
        self._on_edit()

    def _row(self, key: str, field: QWidget, *extra: QWidget) -> QWidget:
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(field, 1)
        for w in extra:
            line.addWidget(w)
        outer.addLayout(line)
        reason = plain(QLabel())  # names files and folders
        reason.setWordWrap(True)
        reason.hide()
        outer.addWidget(reason)
        self.reasons[key] = reason
        return box

    # -- values -----------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """The form as typed, by field name (the keys of :data:`vae_explorer.core.train_form.DEFAULTS`)."""
        return {
            "data": self.data.currentData(),
            "folder": self.folder.text(),
            "kind": self.kind.currentData(),
            "beta": self.beta.text(),
            "beta_warmup": self.beta_warmup.text(),
            "latent_dim": self.latent_dim.text(),
            "epochs": self.epochs.text(),
            "batch_size": self.batch_size.text(),
            "lr": self.lr.text(),
            "lr_schedule": self.lr_schedule.currentData(),
            "seed": self.seed.text(),
            "device": self.device.currentData(),
            "test_fraction": self.test_fraction.text(),
            "history": "1" if self.history.isChecked() else "",
            "out": self.out.text(),
        }

    def set_values(self, values: dict[str, str]) -> None:
        """Fill the form (the settings of a past run); the output gets a fresh name."""
        for key in ("data", "kind", "lr_schedule", "device"):
            combo: QComboBox = getattr(self, key)
            index = combo.findData(values.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        for key in (
            "folder",
            "beta",
            "beta_warmup",
            "latent_dim",
            "epochs",
            "batch_size",
            "lr",
            "seed",
            "test_fraction",
        ):
            if key in values:
                getattr(self, key).setText(values[key])
        self.history.setChecked(bool(values.get("history")))
        self.out.clear()
        self._on_edit()

    def set_taken(self, taken: Collection[str]) -> bool:
        """Output files of queued and running runs: refused here, and skipped by the suggested name.

        Returns whether they changed (the form then re-checked its values and emitted ``sigChanged``).
        """
        if set(taken) == self._taken:
            return False
        self._taken = set(taken)
        self._on_edit()
        return True

    def result(self) -> FormResult:
        return self._result

    # -- reactions --------------------------------------------------------------------------------
    def _on_edit(self, *args) -> None:
        values = self.values()
        folder = values["data"] == FOLDER
        vae = values["kind"] == "vae"
        for row, label in ((self.folder_row, "Folder"), (self.fraction_row, "Test share")):
            row.setVisible(folder)
            self.labels[label].setVisible(folder)
        for w in (self.beta, self.beta_warmup):
            w.setEnabled(vae)
        self._suggested = str(suggest_output(values, self._taken))
        self.out.setPlaceholderText(self._suggested)
        if not values["out"].strip():
            values["out"] = self._suggested
        self._result = parse_form(values, self.devices, self._taken)
        for key, label in self.reasons.items():
            error = self._result.errors.get(key) or (self._result.errors.get("lr_schedule") if key == "lr" else None)
            note = self._result.notes.get(key)
            label.setText(error or note or "")
            set_tone(label, "small-error" if error else "small-muted")
            label.setVisible(bool(error or note))
        self.sigChanged.emit()

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Data folder (images or IDX files)", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _browse_out(self) -> None:
        start = self.out.text() or self._suggested or str(models_dir())
        path, _ = QFileDialog.getSaveFileName(self, "Write the trained model to", start, CHECKPOINT_FILTER)
        if path:
            self.out.setText(path)
