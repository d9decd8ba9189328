"""The explorer's background work, bound to the session: encoding, t-SNE and UMAP, live decoding.

It listens to the session like a panel does, runs the heavy parts on worker
threads and hands results back through the session's ``set_*`` methods, on the
GUI thread, after checking that the model and data they were made for are still
the ones loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject

from vae_explorer.core.latent.cursor import decode_cursor
from vae_explorer.core.latent.plane_search import prepare_plane
from vae_explorer.core.latent.stream import PartialMap, encode_for_maps
from vae_explorer.core.latent.tsne import TSNEParams, tsne_cached, tsne_projection
from vae_explorer.core.latent.umap_map import UMAPParams, umap_cached, umap_projection
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.explore.map_jobs import BackgroundMaps
from vae_explorer.gui.tasks import LatestWins, TaskRunner, TaskState


class ExplorerServices(QObject):
    """Encoding, t-SNE and UMAP as cancellable tasks; cursor and tile decoding, latest request wins."""

    def __init__(self, session: Session, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.tsne_params = TSNEParams()
        self.umap_params = UMAPParams()
        self.background = {
            "tsne": BackgroundMaps(session, runner, "tsne", self._make_tsne, self),
            "umap": BackgroundMaps(session, runner, "umap", self._make_umap, self),
        }
        self.decoder = LatestWins("decoder", self)
        self.decoder.sigResult.connect(self._on_decoded)
        self.decoder.sigFailed.connect(lambda key, msg: self.session.report(f"decoding failed: {msg}"))
        self._tile_callbacks: dict[str, Callable[[np.ndarray], None]] = {}
        self.painter = LatestWins("map-points", self)  # images of large maps' points, beside the decoder
        self.painter.sigResult.connect(lambda key, image: self._point_callbacks[key](image))
        self.painter.sigFailed.connect(lambda key, msg: self.session.report(f"drawing the map failed: {msg}"))
        self._point_callbacks: dict[str, Callable[[Any], None]] = {}
        self.search = LatestWins("cursor-search", self)  # indexes that keep the cursor's nearest code quick
        self.search.sigFailed.connect(lambda key, msg: self.session.report(f"indexing the codes failed: {msg}"))
        session.model_changed.connect(self._on_model_changed)
        session.data_changed.connect(lambda: [self._on_model_changed(s) for s in SLOTS])
        session.cursor_changed.connect(self._on_cursor_changed)
        session.maps_changed.connect(self._prepare_search)
        for signal in (session.selection_changed, session.view_changed):
            signal.connect(lambda *_: [self._prepare_search(slot) for slot in SLOTS])

    def _on_model_changed(self, slot: str) -> None:
        # What the old model (or the old data) was decoding for this slot is late now.
        for kind in ("cursor", "tiles"):
            self.decoder.cancel((kind, slot))
        self.encode(slot)

    # -- encoding --------------------------------------------------------------------------
    def encode(self, slot: str) -> None:
        s, data = self.session.slots[slot], self.session.dataset
        for maps in self.background.values():
            maps.cancel(slot)
        if s.model is None or data is None:
            return
        model, images, digest = s.model, data.images, s.model.digest

        def work(state: TaskState):
            progress = lambda done, total: state.progress(done / total)  # noqa: E731
            return encode_for_maps(model, digest, data.fingerprint(), images, state.partial, progress, state.cancel)

        def current() -> bool:
            return self.session.slots[slot].model is model and self.session.dataset is data

        def partial(part: PartialMap) -> None:
            if current():
                self.session.show_partial(slot, "pca", part)

        def done(result) -> None:
            if current():
                self.session.set_codes(slot, *result)

        self.runner.start(f"encode-{slot}", f"Encoding {len(data):,} images ({s.title})", work, done, partial)

    # -- t-SNE and UMAP ----------------------------------------------------------------------
    def _make_tsne(self, codes, digest, fingerprint, nearest, progress, cancel, n_jobs):
        params = self.tsne_params
        points, from_cache = tsne_cached(codes, digest, fingerprint, params, progress, cancel, n_jobs)
        return tsne_projection(codes, points, params, nearest), from_cache

    def _make_umap(self, codes, digest, fingerprint, nearest, progress, cancel, n_jobs):
        params = self.umap_params
        points, from_cache = umap_cached(codes, digest, fingerprint, params, progress, cancel)
        return umap_projection(codes, points, params, nearest), from_cache

    # -- decoding ------------------------------------------------------------------------------
    def _on_cursor_changed(self, slot: str) -> None:
        s = self.session.slots[slot]
        if s.model is None or s.cursor_z is None:
            return
        model, z, nearest = s.model, s.cursor_z.copy(), s.nearest
        self.decoder.submit(("cursor", slot), lambda: decode_cursor(model, z, nearest))

    def _prepare_search(self, slot: str) -> None:
        """Index ``slot``'s codes for the plane its cursor moves in on a PCA map, so a drag stays quick at any size."""
        s, proj, anchor = self.session.slots[slot], self.session.projection(slot), self.session.anchor(slot)
        plane = None if proj is None else proj.inverse_plane()
        if plane is None or anchor is None or s.nearest is None:
            return
        nearest = s.nearest
        self.search.submit(slot, lambda: prepare_plane(nearest, anchor, plane))

    def idle(self) -> bool:
        """No decode and no index waits or runs."""
        return self.decoder.wait_idle(0) and self.search.wait_idle(0)

    def decode_tiles(self, slot: str, job: Callable[[], np.ndarray], callback: Callable[[np.ndarray], None]) -> None:
        """Run a map's "decode the map" ``job`` (grid, decode, mosaic) on the decoder thread; the newest wins.

        ``callback(result)`` gets the job's result on the GUI thread, unless the slot's
        model or the data was replaced meanwhile (the decoder then drops it).
        """
        self._tile_callbacks[slot] = callback
        self.decoder.submit(("tiles", slot), job)

    def draw_points(self, slot: str, job: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        """Make an image of a map's points (``job``) on the painter thread; the newest wins.

        ``callback(image)`` gets it on the GUI thread.
        """
        self._point_callbacks[slot] = callback
        self.painter.submit(slot, job)

    def _on_decoded(self, key, result) -> None:
        # Results of a replaced model or of old data never come here: the decoder drops them.
        kind, slot = key
        if kind == "cursor":
            self.session.set_decoded(slot, result)
        elif kind == "tiles" and slot in self._tile_callbacks:
            self._tile_callbacks[slot](result)

    def shutdown(self) -> None:
        self.runner.shutdown()
        self.decoder.stop()
        self.painter.stop()
        self.search.stop()
