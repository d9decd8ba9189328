"""The morph's background work: decode the timeline whenever what to morph changes, and export it.

It listens to ``session.morph`` like a panel does. Decoding runs as a named task
(a newer request cancels an older one); the frames come back through
``session.morph.set_results`` on the GUI thread, dropped if the request or the
models have changed since. Errors go to the window's message bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from vae_explorer.core.io.images import save_strip
from vae_explorer.core.morph.frames import MorphFrames, morph_frames
from vae_explorer.core.morph.keys import key_images
from vae_explorer.core.morph.recipe import GifOptions, RenderedMorph, model_title, session_recipe, write_gif
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
        slots = {name: s for name, s in session.slots.items() if s.model is not None}
        if not slots:
            return
        jobs = {name: (s.model, s.nearest) for name, s in slots.items()}
        keys, frames, method, generation = state.chain(), state.frames, state.method, state.generation
        dataset = session.dataset
        shape = tuple(next(iter(slots.values())).model.config.image_shape)

        def work(task: TaskState) -> dict[str, MorphFrames]:
            images = key_images(keys, dataset, shape)  # type: ignore[arg-type]
            out = {}
            for k, (name, (model, nearest)) in enumerate(jobs.items()):
                task.check()
                out[name] = morph_frames(model, images, frames, method, nearest, task.cancel)
                task.progress((k + 1) / len(jobs))
            return out

        def done(results: dict[str, MorphFrames]) -> None:
            if all(session.slots[name].model is model for name, (model, _) in jobs.items()):
                state.set_results(results, generation)

        def failed(message: str) -> None:
            self.sigFailed.emit(message)
            self.session.report(message)  # the window's message bar

        self.runner.start(DECODE_TASK, f"Decoding a morph of {frames} frames", work, done, on_failed=failed)
        self.sigStarted.emit()

    # -- exports ---------------------------------------------------------------------------------
    def rendered(self) -> RenderedMorph | None:
        """The decoded frames of both models, left to right, as an export takes them."""
        results = self.session.morph.results
        names = [name for name in SLOTS if name in results]
        if not names:
            return None
        titles = []
        for name in names:
            ck = self.session.slots[name].checkpoint
            titles.append(model_title(ck) if ck else name)
        return RenderedMorph(titles, [results[name] for name in names], [])

    def _export(self, title: str, write: Callable[[], Any], path: str | Path) -> Task:
        def done(result: Any) -> None:
            self.session.say(f"wrote {path}")

        return self.runner.start(EXPORT_TASK, title, lambda state: write(), done)

    def export_gif(self, path: str | Path, options: GifOptions) -> Task | None:
        """Write the decoded morph as an animated GIF, in the background."""
        rendered = self.rendered()
        if rendered is None:
            self.session.say("nothing to export yet: choose A and B first")
            return None
        return self._export(f"Writing {Path(path).name}", lambda: write_gif(path, rendered, options), path)

    def export_strip(self, path: str | Path, scale: int = 1) -> Task | None:
        """Write every frame in a row per model as one PNG, in the background."""
        rendered = self.rendered()
        if rendered is None:
            self.session.say("nothing to export yet: choose A and B first")
            return None
        return self._export(f"Writing {Path(path).name}", lambda: save_strip(path, rendered.rows(), scale), path)

    def save_recipe(self, path: str | Path, options: GifOptions) -> Task | None:
        """Write the JSON recipe that ``vae-explorer morph --recipe`` replays to these frames."""
        if not self.session.morph.ready:
            self.session.say("nothing to save yet: choose A and B first")
            return None
        recipe = session_recipe(self.session, options)
        return self._export(f"Writing {Path(path).name}", lambda: recipe.save(path), path)
