"""Maps made on a worker once the codes are in (t-SNE, UMAP): started while their view is on show, cancellable.

Each kind of map is one :class:`NeighbourMaps`, given how to make a slot's map (from
the cache or computed, with progress and partial maps). Both sides are made side
by side, the cores shared between them. Cancelled by the user, the view goes back
to the PCA map; a result made from codes since replaced is dropped by the
session's one staleness rule (:class:`~.generations.Generations`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import VIEW_TITLES, NeighbourProjection
from vae_explorer.core.latent.stream import PartialMap
from vae_explorer.core.latent.tsne import Progress, threads_each
from vae_explorer.core.session.slot import SLOTS

from .executor import Executor, JobState
from .generations import Generations
from .state import Session

# make(codes, model digest, data fingerprint, codes' index, progress, cancel, threads) -> (projection, from the cache)
MakeMap = Callable[
    [np.ndarray, str, str, NearestCode | None, Progress, threading.Event, int], tuple[NeighbourProjection, bool]
]


class NeighbourMaps:
    """The maps of ``view`` for both sides, made by ``make`` on the executor while the view is on show."""

    def __init__(
        self, session: Session, executor: Executor, generations: Generations, view: str, make: MakeMap
    ) -> None:
        self.session, self.executor, self.generations = session, executor, generations
        self.view, self.make, self.title = view, make, VIEW_TITLES[view]

    def job_name(self, slot: str) -> str:
        return f"{self.view}-{slot}"

    def start_due(self) -> None:
        """Start the map of each side that has codes and neither has the map nor is making it."""
        if self.session.view != self.view:
            return
        due = [
            slot
            for slot, s in self.session.slots.items()
            if s.codes is not None and self.view not in s.native and not self.executor.running(self.job_name(slot))
        ]
        for slot in due:  # side by side, the cores shared between them
            self.start(slot, threads_each(len(due)))

    def start(self, slot: str, n_jobs: int = -1) -> None:
        """Make ``slot``'s map (or read it from the cache), showing it as it converges."""
        s, data = self.session.slots[slot], self.session.dataset
        if s.codes is None or data is None or s.model is None:
            return
        codes, digest, nearest, make, view = s.codes.mu, s.model.digest, s.nearest, self.make, self.view
        fingerprint, stamp = data.fingerprint(), self.generations.stamp(("codes", slot))

        def work(state: JobState):
            def progress(fraction: float, partial: PartialMap | None) -> None:
                state.progress(fraction, partial.note if partial is not None else "")
                if partial is not None and len(partial.indices):
                    state.partial(partial)

            return make(codes, digest, fingerprint, nearest, progress, state.cancel, n_jobs)  # KD-trees built here

        def done(result: tuple[Any, bool]) -> None:
            self.session.set_neighbour_map(slot, view, result[0])
            if result[1]:
                self.session.say(f"{self.title} of {s.title} loaded from the cache")

        def cancelled() -> None:
            # Cancelled by the user (not replaced by a newer run): go back to a finished map.
            if not self.executor.running(self.job_name(slot)) and self.session.view == view:
                self.cancel()
                self.session.say(f"{self.title} cancelled: back to the PCA map")
                self.session.set_view("pca")

        fresh = self.generations.when_fresh
        self.executor.start(
            self.job_name(slot),
            f"{self.title} of {len(codes):,} codes ({s.title})",
            work,
            fresh(stamp, done),
            fresh(stamp, lambda part: self.session.show_partial(slot, view, part)),
            on_cancelled=fresh(stamp, cancelled),
        )

    def cancel(self, slot: str | None = None) -> None:
        """Stop making the map of ``slot`` (default: both sides)."""
        for name in SLOTS if slot is None else (slot,):
            self.executor.cancel(self.job_name(name))
