"""How the right side's maps are turned to match the left side's, finished or still being made.

Two models' maps of the same data are unrelated planes; an orthogonal Procrustes
over the points of the same samples turns the right one to match the left one, so
that a sample sits in about the same place in both. While codes stream in, the
right side's partial maps are turned once, by their first points, and keep that
turn until the finished map replaces them.
"""

from __future__ import annotations

import numpy as np

from vae_explorer.core.latent.projection import Aligned, Projection, align_to, procrustes_rotation
from vae_explorer.core.latent.stream import FIRST_FIT, PartialMap
from vae_explorer.core.session.slot import ModelSlot


def turned_to_left(proj: Projection, view: str, left: ModelSlot) -> Projection:
    """The right side's map ``proj`` of ``view`` turned to match the left's finished map, else the part on show."""
    if view == "latent":  # the latent plane is drawn as it is: its axes mean something
        return proj
    if view in left.native:
        return align_to(proj, left.native[view])
    partial = left.partial.get(view)
    if partial is not None and len(partial.indices) >= FIRST_FIT:
        return Aligned(proj, procrustes_rotation(proj.points[partial.indices], partial.points))
    return proj


def partial_turn(partial: PartialMap, left: ModelSlot) -> np.ndarray | None:
    """The turn ``(2, 2)`` for the right side's partial PCA map, or ``None`` while the left's first points are due.

    The reference is where the left side puts the same first rows: its finished map,
    or its own partial map (same data, same encoding order, so the same first rows).
    """
    rows = partial.indices[:FIRST_FIT]
    own = partial.points[:FIRST_FIT]
    if "pca" in left.native:
        return procrustes_rotation(own, left.native["pca"].points[rows])
    theirs = left.pending.get("pca")
    if theirs is not None and np.array_equal(theirs.indices[: len(rows)], rows):
        return procrustes_rotation(own, theirs.points[: len(rows)])
    if left.loaded and left.codes is None:
        return None  # the left side is encoding: its first points are coming
    return np.eye(2)
