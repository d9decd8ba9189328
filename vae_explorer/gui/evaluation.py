"""The measures against known factors, computed off the GUI thread: each model's MIG, the active vector's effect.

It listens to ``session.evaluation`` like a panel does and runs its jobs (the
same core functions ``vae-explorer evaluate`` runs) as tasks, one per kind and
model slot, a newer one replacing an older; results go back through the state,
which drops any made for codes, a model or a vector since replaced.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from vae_explorer.core.evaluation.predictor import FactorPredictor
from vae_explorer.core.evaluation.state import EffectJob, EvaluationState, MeasureJob
from vae_explorer.gui.tasks import TaskRunner


class EvaluationService(QObject):
    """Runs the evaluation state's jobs on workers; the shipped factor predictor is read once, on the first vector."""

    def __init__(self, state: EvaluationState, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state, self.runner = state, runner
        self._predictor: FactorPredictor | None = None
        self._lock = threading.Lock()
        state.measure_needed.connect(self.measure)
        state.effect_needed.connect(self.effect)

    def predictor(self) -> FactorPredictor:
        """The shipped factor predictor, loaded on first use (from a worker)."""
        with self._lock:
            if self._predictor is None:
                from vae_explorer.core.evaluation.predictor import load_predictor  # on a worker: a network's module

                self._predictor = load_predictor()[0]
            return self._predictor

    def measure(self, job: MeasureJob) -> None:
        self.runner.start(
            f"evaluation-mig-{job.slot}",
            f"Measuring the MIG of the {job.slot} model",
            lambda task: job.run(),
            lambda result: self.state.apply_measure(job, result),
        )

    def effect(self, job: EffectJob) -> None:
        self.runner.start(
            f"evaluation-effect-{job.slot}",
            f"Measuring the effect of {job.vector!r} ({job.slot} model)",
            lambda task: job.run(self.predictor()),
            lambda result: self.state.apply_effect(job, result),
        )
