"""The explorer's measures against known factors, observable without Qt: each model's MIG, the active vector's effect.

The same numbers ``vae-explorer evaluate`` prints for the open data's test split:
the MIG of each model's codes of all the data (:func:`measure_model`), and the
measured effect of the active attribute vector, ``alpha`` 1, on the first
:data:`DEFAULT_SAMPLES` faces (:func:`vector_effect`). Only data with known
factors (the generated faces) is measured; for other data the state stays empty.

Like the attribute state it knows nothing of the session: its owner tells it
what changed, and it asks for work through two signals whose jobs a worker runs
and hands back to :meth:`apply_measure` and :meth:`apply_effect`, which drop a
result made for codes, a model or a vector that has since been replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import DataError
from vae_explorer.core.events import Signal
from vae_explorer.core.model.loaded import Network

from .disentanglement import Disentanglement
from .effects import DEFAULT_SAMPLES, VectorEffect, vector_effect
from .ground_truth import known_factors, measure_model

if TYPE_CHECKING:
    from .predictor import FactorPredictor

EFFECT_ALPHA = 1.0  # one unit of the vector, as `evaluate` measures by default


@dataclass(frozen=True, eq=False)
class MeasureJob:
    """The MIG of ``slot``'s ``codes: (N, d)`` of ``dataset``."""

    slot: str
    codes: np.ndarray
    dataset: Dataset

    def run(self) -> Disentanglement:
        return measure_model(self.codes, self.dataset)


@dataclass(frozen=True, eq=False)
class EffectJob:
    """The effect of vector ``values: (d,)`` named ``vector`` on ``slot``'s model, from ``codes: (N, d)``."""

    vector: str
    slot: str
    model: Network
    codes: np.ndarray
    values: np.ndarray
    target: str | None
    alpha: float = EFFECT_ALPHA
    samples: int = DEFAULT_SAMPLES

    def run(self, predictor: FactorPredictor) -> VectorEffect:
        """Decode the first ``samples`` codes before and after the move and read both (a second or two)."""
        return vector_effect(self.model, predictor, self.codes[: self.samples], self.values, self.alpha, self.target)


class EvaluationState:
    """Measures of the loaded models against the open data's known factors. All methods run on the GUI thread.

    Signals: ``measures_changed(slot)``, ``effects_changed()``, and the work to do:
    ``measure_needed(MeasureJob)``, ``effect_needed(EffectJob)``.
    ``measures[slot]`` is a :class:`Disentanglement`; ``effects[slot]`` the
    :class:`VectorEffect` of the vector named ``vector``.
    """

    def __init__(self) -> None:
        self.measurable = False  # the open data has known factors
        self.models: dict[str, tuple[Network | None, np.ndarray | None]] = {}
        self.measures: dict[str, Disentanglement] = {}
        self.vector: str | None = None
        self.target: str | None = None
        self.values: dict[str, np.ndarray] = {}  # the active vector in each slot's space
        self.effects: dict[str, VectorEffect] = {}
        self._dataset: Dataset | None = None
        self.measures_changed = Signal("measures_changed")
        self.effects_changed = Signal("effects_changed")
        self.measure_needed = Signal("measure_needed")
        self.effect_needed = Signal("effect_needed")

    # -- what changed --------------------------------------------------------------------------
    def data_replaced(self, dataset: Dataset | None) -> None:
        """New data: nothing measured holds; measure only if it has known factors."""
        self._dataset = dataset
        try:
            self.measurable = dataset is not None and known_factors(dataset) is not None
        except DataError:
            self.measurable = False
        self.models = {slot: (model, None) for slot, (model, _) in self.models.items()}
        self._clear_measures()
        self._clear_effects()

    def codes_replaced(self, slot: str, model: Network | None, codes: np.ndarray | None) -> None:
        """``slot`` holds ``model`` (or none) with ``codes: (N, d)`` of the data (or none yet): measure it."""
        self.models[slot] = (model, codes)
        if self.measures.pop(slot, None) is not None:
            self.measures_changed.emit(slot)
        if self.effects.pop(slot, None) is not None:
            self.effects_changed.emit()
        if self.measurable and codes is not None and codes.shape[1] >= 2 and self._dataset is not None:
            self.measure_needed.emit(MeasureJob(slot, codes, self._dataset))
        self._request_effect(slot)

    def vector_changed(self, name: str | None, values: dict[str, np.ndarray], target: str | None) -> None:
        """The active vector is ``name`` with ``values[slot]: (d,)`` in each model's space; measure what is new."""
        same = name == self.vector and target == self.target
        if not same:
            self._clear_effects()
        self.vector, self.target = name, target
        old, self.values = self.values, dict(values)
        for slot in sorted(set(old) | set(values)):
            if same and old.get(slot) is values.get(slot):
                continue
            if self.effects.pop(slot, None) is not None:
                self.effects_changed.emit()
            self._request_effect(slot)

    # -- results from the workers -----------------------------------------------------------------
    def apply_measure(self, job: MeasureJob, result: Disentanglement) -> bool:
        """Keep a worker's MIG if the slot still has the codes it was made from."""
        if self.models.get(job.slot, (None, None))[1] is not job.codes:
            return False
        self.measures[job.slot] = result
        self.measures_changed.emit(job.slot)
        return True

    def apply_effect(self, job: EffectJob, result: VectorEffect) -> bool:
        """Keep a worker's vector effect if the vector, the model and its codes are still the ones it used."""
        model, codes = self.models.get(job.slot, (None, None))
        if job.vector != self.vector or self.values.get(job.slot) is not job.values:
            return False
        if model is not job.model or codes is not job.codes:
            return False
        self.effects[job.slot] = result
        self.effects_changed.emit()
        return True

    # -- inside ------------------------------------------------------------------------------------
    def _request_effect(self, slot: str) -> None:
        model, codes = self.models.get(slot, (None, None))
        values = self.values.get(slot)
        if not self.measurable or self.vector is None or model is None or codes is None or values is None:
            return
        if len(values) != codes.shape[1]:
            return  # a vector of the model that was there before; its rebind is on the way
        self.effect_needed.emit(EffectJob(self.vector, slot, model, codes, values, self.target))

    def _clear_measures(self) -> None:
        slots, self.measures = list(self.measures), {}
        for slot in slots:
            self.measures_changed.emit(slot)

    def _clear_effects(self) -> None:
        if self.effects:
            self.effects = {}
            self.effects_changed.emit()
