"""Maps that fill in while a data set is encoded, and the map that replaces them at the end.

A large data set is encoded in a seeded random order, so its first chunk is a fair
sample even of images sorted by class. The PCA of that first chunk places every
code as it arrives (:class:`PartialMap`); at the end the PCA of all codes replaces
it, turned by an orthogonal Procrustes to match the first fit, so the points move
by no more than the two fits differ. :func:`pca_map` makes the final map the same
way whether the codes were streamed or read from the cache: the same data always
gives the same map.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vae_explorer.core.latent.codes import (
    Codes,
    codes_cache_path,
    encode_images,
    load_cached_codes,
    save_cached_codes,
)
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import LatentPlane, PCAProjection, Projection, procrustes_rotation
from vae_explorer.core.model.loaded import Network

FIRST_FIT = 2048  # codes the first map is fitted on
STREAM_ABOVE = 4 * FIRST_FIT  # fewer images are encoded in one go (a second or two): no partial maps
BATCH = 512  # images per batch while streaming (FIRST_FIT is a whole number of batches)
MAX_PARTIALS = 50  # partial maps per encoding at most: drawing one costs time in proportion to the points so far


@dataclass(frozen=True)
class PartialMap:
    """A map while it is being made: the points of the rows done so far, drawn in this order.

    ``indices: (n,) int64`` rows of the data; ``points: (n, 2) float32`` their map
    points; ``total`` the rows of the whole data set; ``note`` what the map's title
    says meanwhile (``encoding: 12,000 of 70,000``).
    """

    indices: np.ndarray
    points: np.ndarray
    total: int
    note: str = ""

    def turned(self, rotation: np.ndarray) -> PartialMap:
        """The same points turned by the orthogonal ``rotation (2, 2)``."""
        points = (self.points @ np.asarray(rotation, dtype=np.float32)).astype(np.float32)
        return PartialMap(self.indices, points, self.total, self.note)

    def nearest_point(self, p: np.ndarray) -> tuple[int, float]:
        """The data row nearest to the map point ``p (2,)`` -> ``(row, distance)``, by brute force.

        A partial map lives for a second or two: a search over its points costs less
        than a KD-tree for each.
        """
        if not len(self.points):
            return -1, float("inf")
        d2 = (self.points[:, 0] - np.float32(p[0])) ** 2 + (self.points[:, 1] - np.float32(p[1])) ** 2
        i = int(np.argmin(d2))
        return int(self.indices[i]), float(np.sqrt(d2[i]))


def encoding_order(n: int, seed: int = 0) -> np.ndarray:
    """The order a streamed encoding visits ``n`` rows: a seeded permutation ``(n,) int64``."""
    return np.random.default_rng(seed).permutation(n)


def pca_map(codes: np.ndarray) -> PCAProjection:
    """The PCA map of ``codes (N, d)``; above :data:`STREAM_ABOVE` codes turned to match their first fit."""
    full = PCAProjection(codes)
    if len(codes) <= STREAM_ABOVE:
        return full
    rows = encoding_order(len(codes))[:FIRST_FIT]
    first = PCAProjection(codes[rows])
    return full.turned(procrustes_rotation(full.points[rows], first.points))


def maps_of(codes: Codes) -> dict[str, Projection]:
    """The maps a set of codes has as soon as it exists: PCA, and the latent plane for 2-D codes.

    Their KD-trees (hover, clicks), the codes' own and their hulls (linked cursors) are built here, so the caller
    (a worker) pays for them rather than the GUI.
    """
    maps: dict[str, Projection] = {"pca": pca_map(codes.mu)}
    if codes.mu.shape[1] == 2:
        maps["latent"] = LatentPlane(codes.mu)
    for proj in maps.values():
        proj.point_index().build()
        proj.hull()
    return maps


class _Stream:
    """Places each batch of codes with the first fit and hands out partial maps now and then."""

    def __init__(self, n: int, on_partial: Callable[[PartialMap], None], interval_s: float) -> None:
        self.n, self.on_partial, self.interval_s = n, on_partial, interval_s
        self.order = encoding_order(n)
        self.placed = np.empty((n, 2), np.float32)  # in encoding order
        self.first_codes: list[np.ndarray] = []
        self.first: PCAProjection | None = None
        self.last_shown, self.shown_upto = 0.0, 0

    def on_batch(self, done: int, rows: np.ndarray, mu: np.ndarray) -> None:
        if self.first is None:
            self.first_codes.append(mu)
            if done < FIRST_FIT:
                return
            codes = np.concatenate(self.first_codes)
            self.first = PCAProjection(codes[:FIRST_FIT])
            self.placed[:done] = self.first.project(codes)
            self.first_codes = []
        else:
            self.placed[done - len(mu) : done] = self.first.project(mu)
        now = time.monotonic()
        due = now - self.last_shown >= self.interval_s and done - self.shown_upto >= self.n // MAX_PARTIALS
        if done < self.n and (self.last_shown == 0.0 or due):
            self.last_shown, self.shown_upto = now, done
            note = f"encoding: {done:,} of {self.n:,} codes shown"
            self.on_partial(PartialMap(self.order[:done], self.placed[:done], self.n, note))


def encode_streaming(
    model: Network,
    images: np.ndarray,
    on_partial: Callable[[PartialMap], None],
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    interval_s: float = 1.0,
) -> Codes:
    """Encode ``images`` -> :class:`Codes`, handing ``on_partial`` the map of the codes so far.

    The first partial map comes after :data:`FIRST_FIT` codes, then one about every
    ``interval_s`` seconds, but no sooner than a fiftieth of the codes later (see
    :data:`MAX_PARTIALS`: on a busy machine, where encoding takes longer, the maps
    are not drawn more often). Data sets of :data:`STREAM_ABOVE` images or fewer are
    encoded in one go, with no partial map.
    """
    n = len(images)
    if n <= STREAM_ABOVE:
        return encode_images(model, images, progress=progress, cancel=cancel)
    stream = _Stream(n, on_partial, interval_s)
    return encode_images(model, images, BATCH, progress, cancel, stream.order, stream.on_batch)


def encode_for_maps(
    model: Network,
    model_digest: str,
    data_fingerprint: str,
    images: np.ndarray,
    on_partial: Callable[[PartialMap], None],
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Codes, dict[str, Projection], NearestCode]:
    """The explorer's encoding: codes from the cache or streamed, their maps, their KD-tree.

    Returns ``(codes, maps, nearest)`` with every KD-tree built, ready to hand to the session.
    """
    path = codes_cache_path(model, model_digest, data_fingerprint, len(images))
    codes = load_cached_codes(model, path, len(images))
    if codes is None:
        codes = encode_streaming(model, images, on_partial, progress, cancel)
        # the key again: a model that was still loading may have come to another device than expected
        save_cached_codes(codes_cache_path(model, model_digest, data_fingerprint, len(images)), codes)
    maps = maps_of(codes)
    nearest = NearestCode(codes.mu)
    nearest.build()
    return codes, maps, nearest
