"""The one staleness rule of the session's work: a result carries the generation of what it was computed from."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

Stamp = tuple[tuple[Hashable, int], ...]


class Generations:
    """Counters of what results are computed from: a result stamped with older ones is stale."""

    def __init__(self) -> None:
        self._now: dict[Hashable, int] = {}

    def bump(self, *sources: Hashable) -> None:
        for source in sources:
            self._now[source] = self._now.get(source, 0) + 1

    def stamp(self, *sources: Hashable) -> Stamp:
        return tuple((source, self._now.get(source, 0)) for source in sources)

    def fresh(self, stamp: Stamp) -> bool:
        return all(self._now.get(source, 0) == generation for source, generation in stamp)

    def when_fresh(self, stamp: Stamp, callback: Callable[..., None]) -> Callable[..., None]:
        """``callback``, called only while ``stamp`` is fresh: the one place stale results are dropped."""

        def call(*args: Any) -> None:
            if self.fresh(stamp):
                callback(*args)

        return call
