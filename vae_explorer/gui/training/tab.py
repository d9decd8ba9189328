"""The Train tab: the form, the queue, one child process at a time, its live views, and the run log.

Training runs in a child process (``vae-explorer train --progress json``), so it
never competes with the explorer for the interpreter lock and its crash never
takes the explorer down. Each epoch's pictures are drawn from the checkpoint the
child has just written, on a worker thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.core.training.form import form_values
from vae_explorer.core.training.job import RunState, config_from_dict, resume_run, train_arguments
from vae_explorer.core.training.run_log import RunLog
from vae_explorer.core.training.settings import TrainConfig

from ...core.session import Session
from .form import TrainForm
from .live import LiveViews
from .log_view import RunLogView
from .pictures import EpochPictures
from .plots import LossCurves
from .process import TrainProcess
from .queue import RunQueue, describe
from .records import RunRecords
from .run_status import RunStatus, ask_to_stop

log = logging.getLogger(__name__)
STOP_WAIT_MS = 30_000  # a clean stop ends after the current step; a child still importing torch needs longer


class TrainTab(QWidget):
    """Train AE / VAE / beta-VAE models in the background and watch them learn.

    Signals: ``sigRunStarted(run_id)``, ``sigRunEnded(entry)`` with the run-log
    record, ``sigOpenRequested(slot, path)`` when a run's checkpoint is to be opened in
    the explorer (the window loads it in the background and reports how that went).
    """

    sigRunStarted = Signal(str)
    sigRunEnded = Signal(dict)
    sigOpenRequested = Signal(str, str)

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        run_log: RunLog | None = None,
        devices: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.log = run_log or RunLog()
        self.queue = RunQueue()
        self.process: TrainProcess | None = None
        self.state: RunState | None = None  # the run shown: running, or the last one
        self._closing = False
        self.form = TrainForm(devices)
        self.run_status = RunStatus()
        self.log_view = RunLogView()
        self.live = LiveViews(self.log_view)  # the plots are built when the tab is first shown, or a run starts
        self.live.sigNotice.connect(self.run_status.show_notice)
        self._build()
        self.form.sigChanged.connect(self._refresh)
        self.run_status.stop_button.clicked.connect(self.stop)
        self.log_view.sigOpen.connect(self.open_in_explorer)
        self.log_view.sigResume.connect(self.resume)
        self.log_view.sigUseSettings.connect(self.use_settings)
        self.records = RunRecords(self.log, self.log_view, self)  # the file is written off the GUI thread
        self.records.sigFailed.connect(self.run_status.show_notice)
        self.run_status.show_notice(self.log.problem)
        self._refresh()

    def _build(self) -> None:
        self.start_button = QPushButton("Start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_or_queue)
        self.queue.remove_button.clicked.connect(self._refresh)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        for w in (self.form, self.start_button, self.queue):
            left_layout.addWidget(w)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # never clipped: see _fit_form
        self.form_scroll = scroll
        self._fit_form()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 4, 4, 4)
        right_layout.addWidget(self.run_status)
        right_layout.addWidget(self.live, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([scroll.minimumWidth(), 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def _fit_form(self) -> None:
        """The form's column as wide as its fields ask (the rows on show), never narrower: nothing in it is clipped."""
        scroll, form = self.form_scroll, self.form_scroll.widget()
        width = max(form.sizeHint().width(), form.minimumSizeHint().width())
        scroll.setMinimumWidth(width + scroll.verticalScrollBar().sizeHint().width())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.live.ensure()
        super().showEvent(event)

    @property
    def curves(self) -> LossCurves | None:
        """The run's loss curves (None until the tab is first shown or a run starts)."""
        return self.live.curves

    @property
    def pictures(self) -> EpochPictures | None:
        """The run's epoch pictures (None until the tab is first shown or a run starts)."""
        return self.live.pictures

    # -- state --------------------------------------------------------------------------------------
    def busy(self) -> bool:
        """A run is going (or stopping)."""
        return self.process is not None

    def taken_outputs(self) -> set[str]:
        files = self.queue.outputs()
        if self.process is not None and self.state is not None:
            files.add(str(self.state.config.out))
        return files

    def _refresh(self) -> None:
        self._fit_form()  # a folder's rows, a reason shown: the form may ask for more width
        taken = self.taken_outputs()
        if self.form.set_taken(taken):
            return  # the form's sigChanged has run this refresh already, with these files
        self.log_view.set_busy_files(taken)
        ok = self.form.result().config is not None
        self.start_button.setText("Add to queue" if self.busy() else "Start")
        self.start_button.setEnabled(ok and not self._closing)
        self.start_button.setToolTip("" if ok else "Fix the values marked in red first")
        self.run_status.set_stop(self.busy(), self.busy() and self.process.stop_requested)
        self.queue.refresh()

    # -- runs ---------------------------------------------------------------------------------------
    def start_or_queue(self) -> None:
        """Start the form's run, or queue it behind the running one."""
        cfg = self.form.result().config
        if cfg is not None:
            self.enqueue(cfg)

    def enqueue(self, cfg: TrainConfig) -> None:
        if self.process is None:
            self._launch(cfg)
        else:
            self.queue.append(cfg)
        self._refresh()

    def _launch(self, cfg: TrainConfig) -> None:
        try:
            Path(cfg.out).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.run_status.show_notice(f"cannot create the folder for {cfg.out}: {exc.strerror or exc}")
            return
        state = self.state = RunState(cfg)
        self.log.live_ids.add(state.id)
        self.records.save(state)
        self.run_status.show_start(f"Starting: {describe(cfg)}")
        self.live.begin(state)
        process = self.process = TrainProcess(self)
        process.sigEvent.connect(lambda event: self._on_event(process, event))
        process.sigFinished.connect(lambda code, crashed: self._on_finished(process, code, crashed))
        self.run_status.show_progress(state)
        process.start(train_arguments(cfg))
        self.sigRunStarted.emit(state.id)

    def stop(self) -> None:
        """Stop the run after its current step; asked again, end the child at once.

        Either way the last completed epoch's checkpoint stays whole on disk.
        """
        if self.process is not None and self.state is not None:
            if self.process.stop_requested:
                self.process.kill()
                return
            self.process.stop()
            self.state.status = "stopping"
            self.run_status.status.setText("Stopping after the current step…")
            self._refresh()

    def resume(self, entry: dict[str, Any], epochs: int) -> None:
        """Continue a past run's checkpoint up to ``epochs`` (queued if a run is going)."""
        path = entry.get("checkpoint")
        if not path:
            return
        self.enqueue(resume_run(entry.get("settings") or {}, path, epochs))

    def use_settings(self, entry: dict[str, Any]) -> None:
        self.form.set_values(form_values(config_from_dict(entry.get("settings") or {})))

    def flush_log(self, timeout: float = 5.0) -> bool:
        """Wait (bounded) until the run log's file holds every record shown; True when it does."""
        return self.records.flush(timeout)

    # -- the child's events ----------------------------------------------------------------------------
    def _on_event(self, process: TrainProcess, event: dict[str, Any]) -> None:
        state = self.state
        if state is None or process is not self.process:
            return
        try:
            state.apply(event)
        except (KeyError, TypeError, ValueError):
            log.warning("ignored a malformed progress event: %r", event)
            return
        self.live.show_event(event)
        if event["event"] in ("start", "epoch"):
            self.records.save(state, select=False)  # the log follows the run, epoch by epoch
        self.run_status.show_progress(state)

    def _on_finished(self, process: TrainProcess, code: int, crashed: bool) -> None:
        state = self.state
        if process is not self.process or state is None:
            return
        state.finish(code, crashed, list(process.error_lines), killed=process.killed)
        self.process = None
        process.deleteLater()
        entry = self.records.save(state)
        self.run_status.show_end(state, entry, self.taken_outputs())
        self.sigRunEnded.emit(entry)
        if self.queue and not self._closing:
            self._launch(self.queue.pop_first())
        self._refresh()

    # -- the explorer ----------------------------------------------------------------------------------
    def open_in_explorer(self, slot: str, entry: dict[str, Any]) -> None:
        """Ask for a run's checkpoint in the explorer's ``slot``."""
        path = entry.get("checkpoint")
        if path:
            self.sigOpenRequested.emit(slot, str(path))

    # -- closing -----------------------------------------------------------------------------------------
    def confirm_close(self, answer: bool | None = None) -> bool:
        """May the window close? While training, ask (or take ``answer``); yes stops the run cleanly."""
        if self.process is None:
            self.shutdown()
            return True
        if answer is None:
            answer = ask_to_stop(self.window(), self.state)
        if answer:
            self.shutdown()
        return bool(answer)

    def shutdown(self, wait_ms: int = STOP_WAIT_MS) -> None:
        """Empty the queue, stop the run cleanly and wait (bounded) for the child; kill it past the bound."""
        first = not self._closing
        self._closing = True
        self.queue.clear()
        process = self.process
        if process is not None:
            process.end(wait_ms)
        if first:
            self.live.shutdown()
            self.flush_log()
            self.records.stop()
        self._refresh()
