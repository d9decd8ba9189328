"""What the session computes when something changes, decided without Qt; an executor runs it.

A change of models or data starts encoding, new codes a t-SNE or UMAP map (in that view), the
morph and the measures; a cursor that moves asks for a decode, latest wins. One
staleness rule: a request carries the generation of what it was computed from
(:class:`Generations`), and a result whose generation has moved on is dropped.
The feature states (morph, attribute vectors, measures) stamp their own requests
the same way and check them when the result comes back. Run it on
:class:`~vae_explorer.core.session.executor.SyncExecutor` and a cursor dragged
through the session decodes at once; the window runs it on threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vae_explorer.core.latent.cursor import decode_cursor
from vae_explorer.core.latent.plane_search import prepare_plane
from vae_explorer.core.latent.stream import encode_for_maps
from vae_explorer.core.latent.tsne import TSNEParams, tsne_cached, tsne_projection
from vae_explorer.core.latent.umap_map import UMAPParams, umap_cached, umap_projection
from vae_explorer.core.session.slot import SLOTS

from .executor import Executor, JobState
from .features import FeatureWork
from .generations import Generations, Stamp
from .neighbour_maps import NeighbourMaps
from .state import Session

DECODER, PAINTER, SEARCH = "decoder", "map-points", "cursor-search"  # the lanes: one worker thread each


class SessionWork:
    """The session's background work: encoding, t-SNE and UMAP, decoding, the morph, vector rebinds and measures."""

    def __init__(self, session: Session, executor: Executor, tsne_params: TSNEParams | None = None) -> None:
        self.session, self.executor = session, executor
        self.tsne_params = tsne_params or TSNEParams()
        self.umap_params = UMAPParams()
        self.generations = Generations()
        self.neighbour_maps = {
            "tsne": NeighbourMaps(session, executor, self.generations, "tsne", self._make_tsne),
            "umap": NeighbourMaps(session, executor, self.generations, "umap", self._make_umap),
        }
        session.model_changed.connect(self._on_model_changed)
        session.data_changed.connect(self._on_data_changed)
        session.codes_changed.connect(self._on_codes_changed)
        session.view_changed.connect(lambda view: self._maybe_maps())
        session.cursor_changed.connect(self.decode_cursor)
        session.maps_changed.connect(self.prepare_search)
        for signal in (session.selection_changed, session.view_changed):
            signal.connect(lambda *_: [self.prepare_search(slot) for slot in SLOTS])
        self.features = FeatureWork(session, executor, self.generations)

    # -- what changed ----------------------------------------------------------------------------
    def _on_model_changed(self, slot: str) -> None:
        self.generations.bump(("model", slot), ("codes", slot))  # what the old model made is late now
        self.encode(slot)

    def _on_data_changed(self) -> None:
        for slot in SLOTS:
            self._on_model_changed(slot)

    def _on_codes_changed(self, slot: str) -> None:
        self.generations.bump(("codes", slot))
        self._maybe_maps()
        self.features.decode_morph()

    def _when_fresh(self, stamp: Stamp, callback: Callable[..., None]) -> Callable[..., None]:
        return self.generations.when_fresh(stamp, callback)

    # -- encoding, t-SNE and UMAP ------------------------------------------------------------------------
    def encode(self, slot: str) -> None:
        """Encode the data with ``slot``'s model: the PCA map shows as the codes arrive."""
        s, data = self.session.slots[slot], self.session.dataset
        for maps in self.neighbour_maps.values():
            maps.cancel(slot)
        if s.model is None or data is None:
            return
        model, images, digest = s.model, data.images, s.model.digest
        stamp = self.generations.stamp(("model", slot))

        def work(state: JobState):
            progress = lambda done, total: state.progress(done / total)  # noqa: E731
            return encode_for_maps(model, digest, data.fingerprint(), images, state.partial, progress, state.cancel)

        self.executor.start(
            f"encode-{slot}",
            f"Encoding {len(data):,} images ({s.title})",
            work,
            self._when_fresh(stamp, lambda result: self.session.set_codes(slot, *result)),
            self._when_fresh(stamp, lambda part: self.session.show_partial(slot, "pca", part)),
        )

    def _maybe_maps(self) -> None:
        for maps in self.neighbour_maps.values():
            maps.start_due()

    def _make_tsne(self, codes, digest, fingerprint, nearest, progress, cancel, n_jobs):
        params = self.tsne_params
        points, from_cache = tsne_cached(codes, digest, fingerprint, params, progress, cancel, n_jobs)
        return tsne_projection(codes, points, params, nearest), from_cache

    def _make_umap(self, codes, digest, fingerprint, nearest, progress, cancel, n_jobs):
        params = self.umap_params
        points, from_cache = umap_cached(codes, digest, fingerprint, params, progress, cancel)
        return umap_projection(codes, points, params, nearest), from_cache

    def start_tsne(self, slot: str, n_jobs: int = -1) -> None:
        """Make ``slot``'s t-SNE map (or read it from the cache), showing it as it converges."""
        self.neighbour_maps["tsne"].start(slot, n_jobs)

    def cancel_tsne(self) -> None:
        self.neighbour_maps["tsne"].cancel()

    # -- decoding ------------------------------------------------------------------------------------
    def decode_cursor(self, slot: str) -> None:
        """Decode ``slot``'s cursor on the decoder lane; the newest position wins."""
        s = self.session.slots[slot]
        if s.model is None or s.cursor_z is None:
            return
        model, z, nearest = s.model, s.cursor_z.copy(), s.nearest
        done = self._when_fresh(self.generations.stamp(("model", slot)), lambda r: self.session.set_decoded(slot, r))
        self.executor.latest(DECODER, ("cursor", slot), lambda: decode_cursor(model, z, nearest), done, self._failed)

    def decode_tiles(self, slot: str, job: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        """Run a map's "decode the map" ``job`` on the decoder lane; ``callback(result)`` unless the model changed."""
        done = self._when_fresh(self.generations.stamp(("model", slot)), callback)
        self.executor.latest(DECODER, ("tiles", slot), job, done, self._failed)

    def draw_points(self, slot: str, job: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        """Make an image of a map's points (``job``) on the painter lane; the newest wins."""
        failed = lambda msg: self.session.report(f"drawing the map failed: {msg}")  # noqa: E731
        self.executor.latest(PAINTER, slot, job, callback, failed)

    def prepare_search(self, slot: str) -> None:
        """Index ``slot``'s codes for the plane its cursor moves in on a PCA map, so a drag stays quick at any size."""
        s, proj, anchor = self.session.slots[slot], self.session.projection(slot), self.session.anchor(slot)
        plane = None if proj is None else proj.inverse_plane()
        if plane is None or anchor is None or s.nearest is None:
            return
        nearest = s.nearest
        failed = lambda msg: self.session.report(f"indexing the codes failed: {msg}")  # noqa: E731
        self.executor.latest(SEARCH, slot, lambda: prepare_plane(nearest, anchor, plane), lambda _: None, failed)

    def _failed(self, message: str) -> None:
        self.session.report(f"decoding failed: {message}")

    def idle(self) -> bool:
        """No decode and no index waits or runs."""
        return self.executor.idle()

    def shutdown(self) -> None:
        self.executor.shutdown()
