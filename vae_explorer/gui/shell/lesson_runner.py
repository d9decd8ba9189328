"""Applying a lesson to the window: open its models and data, set the stage, then the view, selection and overlays.

The models and data are opened by the window's :class:`~vae_explorer.gui.shell.opener.Opener`,
on workers, like File > Open pair; the lesson opens only the docks it needs
(:class:`~vae_explorer.gui.lessons.stage.LessonStage`, which gives the user's layout
back when the lessons end). Once both models have encoded the data the rest is set
through the session and the panels' public methods, and the lesson's claim is
measured on a worker (:class:`~vae_explorer.gui.lessons.measure.LessonMeasure`). A
lesson whose files are missing (the faces models of a checkout without them) says
so and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import AttributeVector
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.latent.geometry import gaussian_ellipse
from vae_explorer.core.lessons import LESSONS, Lesson, lesson
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.training.history import read_history
from vae_explorer.gui.lessons.measure import LessonMeasure
from vae_explorer.gui.lessons.stage import LessonStage

from ...core.session import SLOTS, Session
from ...core.session.work import SessionWork
from ..tasks import TaskRunner
from .explorer_view import ExplorerView


class LessonWindow(Protocol):
    """What the runner uses of the main window."""

    session: Session
    explorer: ExplorerView
    runner: TaskRunner
    work: SessionWork

    def open_pair(self, left: str, right: str, data: str = "") -> None: ...

    def start_lesson(self, number: int) -> bool: ...


VECTOR_TASK = "lesson-vector"


class LessonRunner(QObject):
    """Shows lessons in the window one at a time, and ends them.

    ``pending`` is the lesson whose models are still opening or encoding; once they
    are, its view, selection and overlays are set and its claim is measured (their
    decoding and measuring may still be running: :meth:`MainWindow.is_settled` says
    when that is done).
    """

    def __init__(self, window: LessonWindow) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the window is a QObject
        self.window, self.session, self.explorer = window, window.session, window.explorer
        self.current: Lesson | None = None
        self.pending: Lesson | None = None  # opened, waiting for both models' codes
        self.stage = LessonStage(self.explorer)
        self.measure = LessonMeasure(self.session, window.runner, self.explorer.lesson, self._resize_stage)
        self._toggles: tuple[bool, bool, bool] | None = None  # Decode the map, Hide points, Link cursors: the user's
        self.session.maps_changed.connect(lambda slot: self._maybe_finish())  # after codes_changed: maps aligned
        window.runner.sigFailed.connect(lambda message: self._give_up())
        self.explorer.lesson.sigEnd.connect(self.end)
        self.explorer.docks["lessons"].toggleViewAction().toggled.connect(lambda shown: shown or self.end())

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
        """The lesson's sentences in the Lesson bar, and ``note`` on what it lacks."""
        self.explorer.lesson.show_lesson(item, note)
        self.explorer.docks["lessons"].show()

    def start(self, number: int) -> bool:
        """Show lesson ``number``; False (and the window says why) when it cannot be shown."""
        if not 1 <= number <= len(LESSONS):
            return False
        item = lesson(number)
        self.current, self.pending = item, None
        self.measure.stop()
        self.explorer.lesson.replay.set_histories({})  # the last lesson's replay ends
        needs = item.needs(checkpoints_dir())
        self.show_text(item, f"This lesson {needs}." if needs else "")
        if needs:
            self.session.report(f"lesson {number} {needs}")
            return False
        if not self.stage.active:  # the first lesson: what to give back when lessons end
            view = self.explorer
            self._toggles = (view.tiles_action.isChecked(), view.hide_points_action.isChecked(), self.session.linked)
        self.stage.set(item)
        self.pending = item
        if not self._maybe_finish():
            left, right = (str(checkpoints_dir() / name) for name in item.files)
            self.window.open_pair(left, right, item.data)
        return True

    def end(self) -> None:
        """No more lessons: the user's docks and toggles back, no replay, no zoom, the models left on show."""
        if not self.stage.active:
            return
        self.current = self.pending = None
        self.measure.stop()
        self.window.runner.cancel(VECTOR_TASK)
        self.explorer.lesson.replay.set_histories({})
        for slot in SLOTS:
            self.session.show_draws(slot, None)
        if self._toggles is not None:
            self.explorer.tiles_action.setChecked(self._toggles[0])
            self.explorer.hide_points_action.setChecked(self._toggles[1])
            self.session.set_linked(self._toggles[2])
            self._toggles = None
        self.explorer.morph.show_distances(True)
        self.stage.end()
        self.explorer.view_all()

    def _resize_stage(self) -> None:
        """The Lesson bar grew with the measured row: size the docks again once the window has laid it out."""
        QTimer.singleShot(0, lambda: self.current is not None and self.stage.size(self.current))

    def _give_up(self) -> None:
        self.pending = None  # the opening failed; the window shows why

    def _on_show(self, item: Lesson) -> bool:
        """Whether the lesson's pair and data are on show, encoded, and mapped in the lesson's view."""
        s = self.session
        if s.dataset is None or s.dataset.name != item.data or s.dataset.split != "test":
            return False
        for slot, name in zip(SLOTS, item.files, strict=True):
            ckpt = s.slots[slot].model
            if ckpt is None or ckpt.path is None or Path(ckpt.path).resolve() != (checkpoints_dir() / name).resolve():
                return False
        return all(s.slots[slot].codes is not None and s.projection(slot, item.view) is not None for slot in SLOTS)

    def _maybe_finish(self) -> bool:
        item = self.pending
        if item is None or not self._on_show(item):
            return False
        self.pending = None
        s = self.session
        s.set_view(item.view)
        s.select(item.select)
        if item.point is not None:  # in a gap: the other cursor goes to the same place among the data
            s.set_linked(True)
            s.move_cursor(SLOTS[0], np.array(item.point, dtype=np.float64))
        self.stage.size(item)  # again: the window has its size by now
        self.explorer.view_all()
        self._apply_overlays(item)
        self.measure.start(item)
        return True

    def _apply_overlays(self, item: Lesson) -> None:
        view, on = self.explorer, set(item.overlays)
        view.tiles_action.setChecked("tiles" in on)
        view.hide_points_action.setChecked("tiles" in on)  # lesson 1: the points would cover the tiles
        if "posterior" in on:
            view.samples.sample_posterior(item.draws)
            self._zoom_to_cloud(item)
        if "prior" in on:
            view.samples.sample_prior(item.draws)
        if "history" in on:
            self._apply_history(item)
        if "vector" in on:
            self._apply_vector(item)
        view.morph.show_distances("morph" not in on)  # the strips take the height; the status line says how far
        if "morph" in on and item.morph is not None:
            morph = self.session.morph
            if item.frames:
                morph.set_frames(item.frames)
            morph.set_start(MorphKey(item.morph[0]))
            morph.set_end(MorphKey(item.morph[1]))

    def _zoom_to_cloud(self, item: Lesson) -> None:
        """Zoom the VAE's map to the selected sample's posterior: ``item.zoom`` times its ellipse, around it."""
        slot = SLOTS[1]
        s, proj = self.session.slots[slot], self.session.projection(slot)
        if not item.zoom or s.codes is None or s.codes.logvar is None or proj is None or not proj.exact:
            return
        mu, var = s.codes.mu[item.select], np.exp(s.codes.logvar[item.select])
        ellipse = gaussian_ellipse(proj, mu, var, 1.0)
        (x0, y0), (x1, y1) = ellipse.min(axis=0), ellipse.max(axis=0)
        half = item.zoom * max(x1 - x0, y1 - y0) / 2
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.explorer.maps[slot].show_region((cx - half, cy - half, 2 * half, 2 * half))

    def _apply_history(self, item: Lesson) -> None:
        """Replay both runs from the epochs their checkpoints store, or say which stores none."""
        histories, missing, trained = {}, [], {}
        for slot in SLOTS:
            s = self.session.slots[slot]
            history = read_history(s.model.metadata) if s.model is not None else None
            if history is not None:
                histories[slot] = history
            elif s.model is not None and s.codes is not None:
                missing.append(s.model.name)
                trained[slot] = s.codes.mu
        self.explorer.lesson.replay.set_histories(histories, trained)
        if missing:
            self.explorer.lesson.show_note(
                f"{' and '.join(missing)} {'stores' if len(missing) == 1 else 'store'} no training history "
                "(train --history keeps one), so there is no replay of it: its map shows the trained model."
            )

    def _apply_vector(self, item: Lesson) -> None:
        """Make the lesson's vector on a worker, move both cursors ``alpha`` along it, show alpha 0 beside alpha."""
        state = self.session.attributes

        def keep(vector: AttributeVector) -> None:
            if self.current is item:
                state.add(vector)
                state.set_alpha(item.alpha)
                self.explorer.attributes.show_traversal(1, item.alpha, 2, from_zero=True)

        try:
            self.window.work.features.define_vector("", parse_groups(item.vector), keep, job=VECTOR_TASK, quiet=True)
        except VaeExplorerError as exc:
            self.session.report(str(exc))
