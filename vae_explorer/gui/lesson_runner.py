"""Applying a lesson to the window: open its models and data, then set the view, the selection and the overlays.

The models and data are opened by the window's :class:`~vae_explorer.gui.opening.Opener`,
on workers, like File > Open pair; once both models have encoded the data the rest
is set through the session and the explorer's own actions. A lesson whose files
are missing (the faces models of a checkout without them) says so and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import build_vector
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.lessons import LESSONS, Lesson, lesson
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.training.history import read_history

from ..core.session import SLOTS, Session
from .explorer_view import ExplorerView
from .tasks import TaskRunner, TaskState


class LessonWindow(Protocol):
    """What the runner uses of the main window."""

    session: Session
    explorer: ExplorerView
    runner: TaskRunner

    def open_pair(self, left: str, right: str, data: str = "") -> None: ...

    def start_lesson(self, number: int) -> bool: ...


VECTOR_TASK = "lesson-vector"
ATTRIBUTES_WIDTH = 440  # the Attributes dock, widened to show its vector table and slider whole


class LessonRunner(QObject):
    """Shows lessons in the window one at a time.

    ``pending`` is the lesson whose models are still opening or encoding; once they
    are, its view, selection and overlays are set (their decoding may still be
    running: :meth:`MainWindow.is_settled` says when that is done).
    """

    def __init__(self, window: LessonWindow) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the window is a QObject
        self.window, self.session, self.explorer = window, window.session, window.explorer
        self.current: Lesson | None = None
        self.pending: Lesson | None = None  # opened, waiting for both models' codes
        self.session.codes_changed.connect(lambda slot: self._maybe_finish())
        window.runner.sigFailed.connect(lambda message: self._give_up())

    def fill_menu(self, menu: QMenu, add: Callable[[str, Callable[[], object]], QAction]) -> None:
        """Help > Lessons: one entry per lesson (``add(text, slot)`` makes one), remade each time it opens.

        A lesson whose models are not here is marked, and says what it needs; it can still be chosen.
        """

        def fill() -> None:
            menu.clear()
            for item in LESSONS:
                needs = item.needs(checkpoints_dir())
                text = f"&{item.heading}" + (f" (needs the shipped {item.data} models)" if needs else "")
                action = add(text, lambda n=item.number: self.window.start_lesson(n))
                action.setStatusTip(f"This lesson {needs}" if needs else item.text[0])

        menu.aboutToShow.connect(fill)
        fill()

    def show_text(self, item: Lesson, note: str = "") -> None:
        """The lesson's sentences in the Lesson dock, and ``note`` on what it lacks."""
        self.explorer.lesson.show_lesson(item, note)
        self.explorer.docks["lessons"].show()

    def start(self, number: int) -> bool:
        """Show lesson ``number``; False (and the window says why) when it cannot be shown."""
        if not 1 <= number <= len(LESSONS):
            return False
        item = lesson(number)
        self.current, self.pending = item, None
        self.explorer.lesson.replay.set_history("", None)  # the last lesson's replay ends
        needs = item.needs(checkpoints_dir())
        self.show_text(item, f"This lesson {needs}." if needs else "")
        if needs:
            self.session.report(f"lesson {number} {needs}")
            return False
        self.pending = item
        if not self._maybe_finish():
            left, right = (str(checkpoints_dir() / name) for name in item.files)
            self.window.open_pair(left, right, item.data)
        return True

    def _give_up(self) -> None:
        self.pending = None  # the opening failed; the window shows why

    def _on_show(self, item: Lesson) -> bool:
        """Whether the lesson's pair and data are on show and encoded."""
        s = self.session
        if s.dataset is None or s.dataset.name != item.data or s.dataset.split != "test":
            return False
        for slot, name in zip(SLOTS, item.files, strict=True):
            ckpt = s.slots[slot].model
            if ckpt is None or ckpt.path is None or Path(ckpt.path).resolve() != (checkpoints_dir() / name).resolve():
                return False
        return all(s.slots[slot].codes is not None for slot in SLOTS)

    def _maybe_finish(self) -> bool:
        item = self.pending
        if item is None or not self._on_show(item):
            return False
        self.pending = None
        s = self.session
        s.set_view(item.view)
        s.select(item.select)
        self._apply_overlays(item)
        return True

    def _apply_overlays(self, item: Lesson) -> None:
        view, on = self.explorer, set(item.overlays)
        view.tiles_action.setChecked("tiles" in on)
        if "posterior" in on:
            view.docks["samples"].raise_()
            view.samples.sample_posterior()
        if "prior" in on:
            view.docks["samples"].raise_()
            view.samples.sample_prior()
        if "kl" in on:
            view.docks["sliders"].raise_()
        if "history" in on:
            self._apply_history(item)
        if "vector" in on:
            view.docks["attributes"].raise_()
            view.resizeDocks([view.docks["attributes"]], [ATTRIBUTES_WIDTH], Qt.Orientation.Horizontal)
            self._apply_vector(item)
        if "morph" in on and item.morph is not None:
            view.docks["morph"].show()
            self.session.morph.set_start(MorphKey(item.morph[0]))
            self.session.morph.set_end(MorphKey(item.morph[1]))

    def _apply_history(self, item: Lesson) -> None:
        """Replay the VAE's training from the epochs its checkpoint stores, or say that it stores none."""
        slot = SLOTS[1]
        ckpt = self.session.slots[slot].model
        history = read_history(ckpt.metadata) if ckpt is not None else None
        self.explorer.lesson.replay.set_history(slot, history)
        if history is None and ckpt is not None:
            self.show_text(
                item,
                f"{ckpt.name} stores no training history (train --history keeps one), "
                "so there is no replay: the map shows the trained model.",
            )

    def _apply_vector(self, item: Lesson) -> None:
        """Make the lesson's attribute vector on a worker, then move both cursors ``alpha`` along it."""
        state = self.session.attributes
        try:
            data, models, table = state.vector_inputs()
            groups = parse_groups(item.vector)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
            return

        def work(task: TaskState):
            return build_vector("", groups, data, models, table)

        def done(vector) -> None:
            if state.inputs_changed(data, models) or self.current is not item:
                return
            state.add(vector)
            state.set_alpha(item.alpha)

        self.window.runner.start(VECTOR_TASK, "Computing the lesson's attribute vector", work, done)
