"""The features' background work, decided without Qt: the morph's frames, attribute vectors, measures.

Part of :class:`~vae_explorer.core.session.work.SessionWork`, on the same executor
and the same staleness rule (:class:`~.generations.Generations`); the feature
states stamp their own requests too, and check them when the result comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vae_explorer.core.attributes.binding import Rebind, bind_vector
from vae_explorer.core.attributes.files import load_vector as read_vector
from vae_explorer.core.attributes.groups import Groups
from vae_explorer.core.attributes.vectors import AttributeVector, build_vector
from vae_explorer.core.evaluation.state import EffectJob, MeasureJob
from vae_explorer.core.morph.pipeline import MorphModel, RenderedMorph, render_morph
from vae_explorer.core.session.slot import SLOTS

from .executor import Executor, JobState
from .generations import Generations
from .state import Session

if TYPE_CHECKING:
    from vae_explorer.core.evaluation.predictor import FactorPredictor

MORPH_JOB = "morph"


class FeatureWork:
    """Decodes the morph, remakes and defines attribute vectors, measures the models against known factors."""

    def __init__(self, session: Session, executor: Executor, generations: Generations) -> None:
        self.session, self.executor, self.generations = session, executor, generations
        self._predictor: FactorPredictor | None = None
        self._lock = threading.Lock()
        session.morph.keys_changed.connect(self.decode_morph)
        session.morph.settings_changed.connect(self.decode_morph)
        session.attributes.rebind_needed.connect(self.rebind)
        session.evaluation.measure_needed.connect(self.measure)
        session.evaluation.effect_needed.connect(self.effect)

    def decode_morph(self) -> None:
        """Decode the frames of the current keys, frame count and method with every loaded model."""
        state, session = self.session.morph, self.session
        if not state.ready:
            self.executor.cancel(MORPH_JOB)
            return
        slots = [name for name in SLOTS if session.slots[name].model is not None]
        if not slots:
            return
        models = [
            MorphModel(s.model.short_name, s.model, s.nearest)  # type: ignore[union-attr]
            for s in (session.slots[name] for name in slots)
        ]
        keys, frames, method, generation = state.chain(), state.frames, state.method, state.generation
        dataset, stamp = session.dataset, self.generations.stamp(*(("model", slot) for slot in slots))

        def work(job: JobState) -> RenderedMorph:
            return render_morph(models, keys, frames, method, dataset, job.cancel, job.progress)

        def failed(message: str) -> None:
            state.decode_failed.emit(message)
            session.report(message)

        done = self.generations.when_fresh(stamp, lambda rendered: state.set_results(rendered, slots, generation))
        self.executor.start(MORPH_JOB, f"Decoding a morph of {frames} frames", work, done, on_failed=failed)
        state.decode_started.emit()

    def rebind(self, job: Rebind) -> None:
        """Remake the attribute vectors in a model's space for its new codes (the state checks the job's generation)."""
        title = f"Remaking {len(job.vectors)} attribute vector{'s' if len(job.vectors) > 1 else ''} ({job.model.model})"
        apply = lambda entries: self.session.attributes.apply_rebind(job, entries)  # noqa: E731
        self.executor.start(f"attribute-rebind-{job.slot}", title, lambda state: job.run(state.cancel), apply)

    def measure(self, job: MeasureJob) -> None:
        """A model's MIG on the data's known factors (kept only while its codes are the ones measured)."""
        self.executor.start(
            f"evaluation-mig-{job.slot}",
            f"Measuring the MIG of the {job.slot} model",
            lambda state: job.run(),
            lambda result: self.session.evaluation.apply_measure(job, result),
        )

    def effect(self, job: EffectJob) -> None:
        """What the active vector does to the factor it is for, read by the shipped predictor."""
        self.executor.start(
            f"evaluation-effect-{job.slot}",
            f"Measuring the effect of {job.vector!r} ({job.slot} model)",
            lambda state: job.run(self.predictor()),
            lambda result: self.session.evaluation.apply_effect(job, result),
        )

    def predictor(self) -> FactorPredictor:
        """The shipped factor predictor, read once, on first use (from a worker)."""
        with self._lock:
            if self._predictor is None:
                from vae_explorer.core.evaluation.predictor import load_predictor  # on a worker: imports torch

                self._predictor = load_predictor()[0]
            return self._predictor

    def define_vector(
        self,
        name: str,
        groups: Groups,
        keep: Callable[[AttributeVector], None],
        balance: bool | None = None,
        job: str = "attribute-vector",
        quiet: bool = False,
    ) -> None:
        """Make a vector from ``groups`` in every model's space on a worker; ``keep(vector)`` unless a model changed.

        Raises :class:`DataError` (at once) while there is no data or no codes to make it from.
        """
        title = "Computing an attribute vector"
        self.define_vectors([(name, groups)], lambda vectors: keep(vectors[0]), job, title, balance, quiet)

    def define_vectors(
        self,
        wanted: list[tuple[str, Groups]],
        keep: Callable[[list[AttributeVector]], None],
        job: str = "attribute-vectors",
        title: str = "Computing attribute vectors",
        balance: bool | None = None,
        quiet: bool = True,
    ) -> None:
        """Make several named vectors in one job (a saved view's); ``keep(vectors)`` unless a model changed meanwhile.

        Not ``quiet``, a late result says why it was dropped. Raises :class:`DataError` (at once) while there is no
        data or no codes to make them from.
        """
        data, models, table = self.session.attributes.vector_inputs()
        make = lambda: [build_vector(name, groups, data, models, table, balance) for name, groups in wanted]  # noqa: E731
        note = None if quiet else "the data or a model changed while the vector was computed: define it again"
        self._vector_job(job, title, make, keep, note)

    def load_vector(self, path: str, keep: Callable[[AttributeVector, list[str]], None]) -> None:
        """Read a vector file and bind it to the loaded models (as ``traverse --vector`` does) on a worker.

        ``keep(vector, notes)`` unless a model changed meanwhile; the notes say where its values came from.
        """
        attributes = self.session.attributes
        data, models, table = attributes.dataset, dict(attributes.models), attributes.attribute_table()
        make = lambda: bind_vector(read_vector(path), data, models, table)  # noqa: E731
        note = "the data or a model changed while the vector was read: load it again"
        self._vector_job("attribute-load", f"Loading {path}", make, lambda result: keep(*result), note)

    def _vector_job(self, job: str, title: str, make: Callable[[], Any], keep: Callable[[Any], None], note: str | None):
        """Run ``make()`` on a worker; ``keep(result)`` while the data and every model's codes are the ones it used."""
        stamp = self.generations.stamp(*(("codes", slot) for slot in SLOTS))

        def done(result: Any) -> None:
            if self.generations.fresh(stamp):
                keep(result)
            elif note is not None:
                self.session.say(note)

        self.executor.start(job, title, lambda state: make(), done)
