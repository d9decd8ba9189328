"""The morph's background work: decode the timeline whenever what to morph changes, and export it.

It listens to ``session.morph`` like a panel does. Decoding runs as a named task
(a newer request cancels an older one) through the same pipeline as
``vae-explorer morph`` (:func:`~vae_explorer.core.morph.pipeline.render_morph`);
the frames come back through ``session.morph.set_results`` on the GUI thread,
dropped if the request or the models have changed since. Errors go to the
window's message bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.morph.pipeline import (
    GifOptions,
    MorphModel,
    RenderedMorph,
    render_morph,
    write_gif,
    write_strip,
)
from vae_explorer.core.morph.recipe import explorer_recipe
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import Task, TaskRunner, TaskState

DECODE_TASK = "morph"
EXPORT_TASK = "morph-export"


class MorphService(QObject):
    """Decodes and exports the session's morph off the GUI thread.

    Signals: ``sigStarted()`` when a decode starts, ``sigFailed(message)`` when
    the newest one failed (the message also goes to the window's message bar).
    """

    sigStarted = Signal()
    sigFailed = Signal(str)

    def __init__(self, session: Session, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        morph = session.morph
        morph.keys_changed.connect(self.request)
        morph.settings_changed.connect(self.request)
        session.codes_changed.connect(lambda slot: self.request())

    def request(self) -> None:
        """Decode the frames of the current keys, frame count and method with every loaded model."""
        state, session = self.session.morph, self.session
        if not state.ready:
            self.runner.cancel(DECODE_TASK)
            return
        slots = [name for name in SLOTS if session.slots[name].model is not None]
        if not slots:
            return
        models = [
            MorphModel(s.model.short_name, s.model, s.nearest)  # type: ignore[union-attr]
            for s in (session.slots[name] for name in slots)
        ]
        keys, frames, method, generation = state.chain(), state.frames, state.method, state.generation
        dataset = session.dataset

        def work(task: TaskState) -> RenderedMorph:
            return render_morph(models, keys, frames, method, dataset, task.cancel, task.progress)

        def done(rendered: RenderedMorph) -> None:
            if all(session.slots[name].model is m.model for name, m in zip(slots, models, strict=True)):
                state.set_results(rendered, slots, generation)

        def failed(message: str) -> None:
            self.sigFailed.emit(message)
            self.session.report(message)  # the window's message bar

        self.runner.start(DECODE_TASK, f"Decoding a morph of {frames} frames", work, done, on_failed=failed)
        self.sigStarted.emit()

    # -- exports ---------------------------------------------------------------------------------
    def _export(self, path: str | Path, write: Callable[[], Any]) -> Task:
        return self.runner.start(
            EXPORT_TASK,
            f"Writing {Path(path).name}",
            lambda state: write(),
            lambda result: self.session.say(f"wrote {path}"),
        )

    def _rendered(self) -> RenderedMorph | None:
        rendered = self.session.morph.rendered
        if rendered is None:
            self.session.say("nothing to export yet: choose A and B first")
        return rendered

    def export_gif(self, path: str | Path, options: GifOptions) -> Task | None:
        """Write the decoded morph as an animated GIF, in the background."""
        rendered = self._rendered()
        return None if rendered is None else self._export(path, lambda: write_gif(path, rendered, options))

    def export_strip(self, path: str | Path, options: GifOptions) -> Task | None:
        """Write every frame in a row per model as one PNG, in the background."""
        rendered = self._rendered()
        return None if rendered is None else self._export(path, lambda: write_strip(path, rendered, options))

    def save_recipe(self, path: str | Path, options: GifOptions) -> Task | None:
        """Write the JSON recipe that ``vae-explorer morph --recipe`` replays to these frames."""
        state = self.session.morph
        if not state.ready:
            self.session.say("nothing to save yet: choose A and B first")
            return None
        models = [s.model for s in self.session.slots.values() if s.model is not None]
        try:
            recipe = explorer_recipe(state.chain(), state.frames, state.method, models, self.session.dataset, options)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return None
        return self._export(path, lambda: recipe.save(path))
