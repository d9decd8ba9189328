"""Maps made on a worker once the codes are in (t-SNE, UMAP): started while their view is on show, cancellable.

Each kind of map is one :class:`BackgroundMaps`, given how to make a slot's map
(from the cache or computed, with progress and partial maps). Both sides are made
side by side, the cores shared between them. Cancelled by the user, the view goes
back to the PCA map; replaced by newer codes, the old run is simply dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject

from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import VIEW_TITLES, NeighbourProjection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.latent.tsne import Progress, threads_each
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import TaskRunner, TaskState

# make(codes, model digest, data fingerprint, codes' index, progress, cancel, threads) -> (projection, from the cache)
MakeMap = Callable[
    [np.ndarray, str, str, NearestCode | None, Progress, threading.Event, int], tuple[NeighbourProjection, bool]
]


class BackgroundMaps(QObject):
    """The maps of ``view`` for both sides, made by ``make`` on workers while the view is on show."""

    def __init__(self, session: Session, runner: TaskRunner, view: str, make: MakeMap, parent=None) -> None:
        super().__init__(parent)
        self.session, self.runner, self.view, self.make = session, runner, view, make
        self.title = VIEW_TITLES[view]
        session.codes_changed.connect(lambda slot: self.start_due())
        session.view_changed.connect(lambda view: self.start_due())

    def task_name(self, slot: str) -> str:
        return f"{self.view}-{slot}"

    def start_due(self) -> None:
        """Start the map of each side that has codes and neither has the map nor is making it."""
        if self.session.view != self.view:
            return
        due = [
            slot
            for slot, s in self.session.slots.items()
            if s.codes is not None and self.view not in s.native and self.task_name(slot) not in self.runner.tasks
        ]
        for slot in due:  # side by side, the cores shared between them
            self.start(slot, threads_each(len(due)))

    def start(self, slot: str, n_jobs: int = -1) -> None:
        s, data = self.session.slots[slot], self.session.dataset
        if s.codes is None or data is None or s.model is None:
            return
        codes, digest, nearest, make = s.codes.mu, s.model.digest, s.nearest, self.make
        fingerprint = data.fingerprint()

        def work(state: TaskState):
            def progress(fraction: float, partial: PartialMap | None) -> None:
                state.progress(fraction, partial.note if partial is not None else "")
                if partial is not None and len(partial.indices):
                    state.partial(partial)

            return make(codes, digest, fingerprint, nearest, progress, state.cancel, n_jobs)  # KD-trees built here

        def current() -> bool:
            now = self.session.slots[slot]
            return now.codes is not None and now.codes.mu is codes

        def partial(part: PartialMap) -> None:
            if current():
                self.session.show_partial(slot, self.view, part)

        def done(result) -> None:
            projection, from_cache = result
            if current():
                self.session.set_neighbour_map(slot, self.view, projection)
                if from_cache:
                    self.session.say(f"{self.title} of {s.title} loaded from the cache")

        def cancelled() -> None:
            # Cancelled by the user (not replaced by a newer run): go back to a finished map.
            if current() and self.task_name(slot) not in self.runner.tasks and self.session.view == self.view:
                self.cancel()
                self.session.say(f"{self.title} cancelled: back to the PCA map")
                self.session.set_view("pca")

        title = f"{self.title} of {len(codes):,} codes ({s.title})"
        task = self.runner.start(self.task_name(slot), title, work, done, partial)
        task.sigCancelled.connect(cancelled)

    def cancel(self, slot: str | None = None) -> None:
        """Stop making the map of ``slot`` (default: both sides)."""
        for name in SLOTS if slot is None else (slot,):
            self.runner.cancel(self.task_name(name))
