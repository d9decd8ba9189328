"""The morph's writes: an animated GIF, a PNG strip of every frame, the recipe, each written off the GUI thread.

The frames are the ones decoded for ``session.morph`` (see
:meth:`~vae_explorer.core.session.work.SessionWork.decode_morph`), written through
the same pipeline as ``vae-explorer morph``; what went wrong goes to the window's message bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.morph.pipeline import GifOptions, RenderedMorph, write_gif, write_strip
from vae_explorer.core.morph.recipe import explorer_recipe
from vae_explorer.core.session import Session
from vae_explorer.gui.tasks import Task, TaskRunner

EXPORT_TASK = "morph-export"


class MorphWriter:
    """Writes the session's decoded morph to files, in the background."""

    def __init__(self, session: Session, runner: TaskRunner) -> None:
        self.session, self.runner = session, runner

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
