"""The strip above a run's plots: progress bar and Stop, a status line, notices, and the failure report."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.training.job import RunState, progress_text
from vae_explorer.gui.widgets.theme import set_tone, use_style_sheet

from .log_view import can_open


class RunStatus(QWidget):
    """Where the run stands. ``stop_button`` is wired by the tab; the rest only shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("no run yet")
        self.progress.setTextVisible(True)
        self.stop_button = QPushButton("Stop")
        self.status = QLabel("Fill in the form and press Start.")
        self.status.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        set_tone(self.notice, "error")
        self.notice.hide()
        self.failure = QFrame(objectName="failure")
        use_style_sheet(self.failure)
        self.failure_title = QLabel()
        self.failure_title.setWordWrap(True)
        self.failure_text = QPlainTextEdit(readOnly=True)
        self.failure_text.setMaximumHeight(120)
        self.failure_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        dismiss = QPushButton("Dismiss", clicked=lambda: self.failure.hide())
        box = QVBoxLayout(self.failure)
        title_row = QHBoxLayout()
        title_row.addWidget(self.failure_title, 1)
        title_row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(title_row)
        box.addWidget(self.failure_text)
        self.failure.hide()
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.notice)
        layout.addWidget(self.failure)
        self.set_stop(False, False)

    def set_stop(self, running: bool, stopping: bool) -> None:
        self.stop_button.setEnabled(running)
        self.stop_button.setText("Kill now" if stopping else "Stop")
        self.stop_button.setToolTip(
            "End the child at once (the last completed epoch's checkpoint is kept)"
            if stopping
            else "Stop after the current step; the last completed epoch's checkpoint is kept"
        )

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_progress(self, state: RunState) -> None:
        self.progress.setValue(int(round(1000 * state.fraction)))
        self.progress.setFormat(progress_text(state))
        if state.status == "running" and state.steps:
            m = state.model
            kind = "an AE" if m.get("kind") == "ae" else ("a VAE" if state.config.beta == 1.0 else "a beta-VAE")
            self.status.setText(
                f"Training {kind} ({m.get('latent_dim')}-D) on {Path(state.config.data).name} with "
                f"{state.device}: beta {state.beta:.3g}, {state.images_per_sec:,.0f} images/s, "
                f"{state.n_train:,} images per epoch → {Path(state.config.out).name}"
            )

    def show_start(self, text: str) -> None:
        self.show_notice("")
        self.failure.hide()
        self.status.setText(text)

    def show_end(self, state: RunState, entry: dict[str, Any], busy_files: Collection[str] = ()) -> None:
        """The run's end, saying only what the log's buttons allow for its record ``entry``.

        A finished or stopped run gets a line; a failure, the report with its error output.
        ``busy_files``: checkpoints a queued or running run writes (not to be resumed now).
        """
        self.show_progress(state)
        checkpoint = entry.get("checkpoint")
        openable = can_open(entry)
        resumable = openable and str(checkpoint) not in busy_files
        if openable:
            name = Path(str(checkpoint)).name
            kept = f"The last good checkpoint, {checkpoint}, holds {state.epochs_done} epoch(s). "
            kept += f"Open on the left or on the right shows it{'; Resume continues it' if resumable else ''}."
        else:
            name = ""
            kept = "No epoch was completed: no checkpoint was written, so there is nothing to open or resume."
        if state.status in ("failed", "crashed"):
            self.failure_title.setText(f"<b>Training {state.exit_text}.</b> {kept}")
            self.failure_text.setPlainText("\n".join(state.error_lines) or "(no error output)")
            self.failure.show()
            self.status.setText(f"Training {state.exit_text}.")
        elif state.status == "stopped":
            how = "Killed at your request" if state.exit_text.startswith("killed") else "Stopped"
            self.status.setText(f"{how}. {kept}" + ("" if openable else " Start runs it again."))
        elif openable:
            self.status.setText(f"Finished: {name}. Open on the left or on the right (below) shows it in the explorer.")
        else:
            self.status.setText(f"Finished. {kept}")


def ask_to_stop(parent: QWidget, state: RunState | None) -> bool:
    """Ask whether to stop the running ``state`` and close; the default answer is no."""
    where = f" (epoch {state.epoch or state.epochs_done + 1} of {state.epochs})" if state else ""
    reply = QMessageBox.question(
        parent,
        "Training is running",
        f"A model is training{where}. Stop the run and close? "
        "The checkpoint of its last completed epoch is kept, and Resume continues it later.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return reply == QMessageBox.StandardButton.Yes
