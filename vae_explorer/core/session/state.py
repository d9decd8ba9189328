"""The explorer's state, observable without Qt: the one object every panel uses.

Two model slots (``left``: usually the AE, ``right``: usually the VAE) share one
data set, one map view, one selected and one hovered sample. Each slot has its
codes, its maps (the right one turned to match the left by orthogonal
Procrustes), a cursor (a code and where it sits on the map) and the last image
decoded from it. Panels change the state through methods and listen to the
signals; the heavy work (encoding, t-SNE, decoding) is done by workers that
hand their results back through ``set_*`` methods on the GUI thread. The
codes and maps (``session.maps``, :mod:`.maps`) and the selection and cursors
(``session.cursors``, :mod:`.cursors`) are members that own their state and signals.

The session is the composition root of the explorer's features: it owns the
morph (:class:`MorphState`), the attribute vectors (:class:`AttributeState`) and
the measures against known factors (:class:`EvaluationState`), which know nothing
of it, and tells them what changed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vae_explorer.core.attributes.state import AttributeState
from vae_explorer.core.attributes.vectors import ModelCodes
from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, DataError
from vae_explorer.core.evaluation.effects import vector_target
from vae_explorer.core.evaluation.state import EvaluationState
from vae_explorer.core.events import Notice, Signal
from vae_explorer.core.io.trust import TrustPolicy
from vae_explorer.core.latent.linking import carry_code
from vae_explorer.core.latent.marks import MapMarks
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.checkpoint import check_image_shape, check_same_shape
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.model.pending import settle
from vae_explorer.core.morph.state import MorphState
from vae_explorer.core.session.slot import SLOTS, ModelSlot

from .cursors import SessionCursors, other_slot
from .maps import SessionMaps


class Session:
    """State of one explorer window. All methods run on the GUI thread.

    Signals (each a :class:`~vae_explorer.core.events.Signal`):
    ``model_changed(slot)``, ``data_changed()``, ``codes_changed(slot)``,
    ``maps_changed(slot)``, ``partial_map(slot)`` (a map still being made: see :meth:`partial`), ``view_changed(view)``,
    ``selection_changed(index)``, ``hover_changed(index)``, ``cursor_changed(slot)``,
    ``decoded_changed(slot)``, ``linked_changed(on)``, ``region_linked(slot, rect)`` (the region ``slot``'s map is
    to show, linked to the other map's: see :meth:`show_region`), ``replay_changed(slot)``,
    ``draws_changed(slot)`` (draws from q(z|x) marked on a map: see :meth:`show_draws`), ``model_loaded(slot)``
    (the network of a model shown while it loaded has arrived: see :meth:`model_arrived`), ``notice(Notice)``
    (a status line or an error for the window: see :meth:`say` and :meth:`report`).
    """

    def __init__(self, device: torch.device | str = "cpu") -> None:
        self.device_name = str(device)  # resolved on first use of ``device`` (which imports torch): on a worker
        self._device: torch.device | None = None
        self.dataset: Dataset | None = None
        self.slots = {name: ModelSlot(name) for name in SLOTS}
        self.maps = SessionMaps(self.slots, lambda: self.dataset)  # codes, maps, the view, replays, draws
        self.cursors = SessionCursors(self.slots, self.maps, lambda: self.dataset)  # selection, hover, cursors
        self.model_changed = Signal("model_changed")
        self.data_changed = Signal("data_changed")
        self.notice = Signal("notice")
        maps, cursors = self.maps, self.cursors
        # Their signals, reached from the session too: each is one object, owned by its member.
        self.codes_changed, self.maps_changed = maps.codes_changed, maps.maps_changed
        self.partial_map, self.view_changed = maps.partial_map, maps.view_changed
        self.replay_changed, self.draws_changed = maps.replay_changed, maps.draws_changed
        self.selection_changed, self.hover_changed = cursors.selection_changed, cursors.hover_changed
        self.cursor_changed, self.decoded_changed = cursors.cursor_changed, cursors.decoded_changed
        self.linked_changed, self.region_linked = cursors.linked_changed, cursors.region_linked
        # Their commands, reached from the session as panels and scripts call them.
        self.set_codes, self.set_tsne, self.show_partial = maps.set_codes, maps.set_tsne, maps.show_partial
        self.set_neighbour_map = maps.set_neighbour_map
        self.partial, self.projection, self.available_views = maps.partial, maps.projection, maps.available_views
        self.set_view, self.show_replay, self.show_draws = maps.set_view, maps.show_replay, maps.show_draws
        self.select, self.set_hover, self.anchor = cursors.select, cursors.set_hover, cursors.anchor
        self.set_linked, self.move_cursor, self.link = cursors.set_linked, cursors.move_cursor, cursors.link
        self.carry, self.show_region, self.set_decoded = cursors.carry, cursors.show_region, cursors.set_decoded
        self.set_cursor_code = cursors.set_cursor_code
        self.model_loaded = Signal("model_loaded")
        self.morph = MorphState()  # the morph timeline: keys, frames, decoded frames per slot
        self.attributes = AttributeState(self.set_cursor_code, self.say)
        self.marks = MapMarks()  # both maps' colours, hidden classes and highlighted samples
        self.evaluation = EvaluationState()  # MIG and vector effects, on data with known factors
        self._renewed: dict[str, tuple[LoadedModel, Dataset | None, NearestCode, np.ndarray]] = {}
        self._wire_features()

    @property
    def device(self) -> torch.device:
        """Where models run (``auto`` resolved: cuda > mps > cpu); the first use imports torch, so a worker makes it."""
        if self._device is None:
            self._device = resolve_device(self.device_name)
        return self._device

    @property
    def view(self) -> str:
        return self.maps.view

    @property
    def selection(self) -> int | None:
        return self.cursors.selection

    @property
    def hover(self) -> int | None:
        return self.cursors.hover

    @property
    def linked(self) -> bool:
        return self.cursors.linked

    @property
    def replays(self) -> dict[str, tuple[np.ndarray, np.ndarray | None] | None]:
        return self.maps.replays

    @property
    def draws(self) -> dict[str, np.ndarray | None]:
        return self.maps.draws

    def _wire_features(self) -> None:
        """Tell the morph and the attributes what changed; they know nothing of the session."""
        morph, attributes = self.morph, self.attributes
        self.data_changed.connect(morph.data_replaced)
        self.model_changed.connect(morph.model_replaced)
        self.data_changed.connect(lambda: attributes.data_replaced(self.dataset))
        self.model_changed.connect(lambda slot: attributes.model_replaced(slot, self.model_codes(slot)))
        self.codes_changed.connect(lambda slot: attributes.codes_replaced(slot, self.model_codes(slot)))
        self.cursor_changed.connect(lambda slot: attributes.cursor_moved(slot, self.slots[slot].cursor_z))
        self.data_changed.connect(lambda: self.marks.data_replaced(self.dataset))
        attributes.table_changed.connect(lambda: self.marks.table_replaced(attributes.attribute_table()))
        evaluation = self.evaluation
        self.data_changed.connect(lambda: evaluation.data_replaced(self.dataset))
        self.model_changed.connect(lambda slot: evaluation.codes_replaced(slot, self.slots[slot].model, None))
        self.codes_changed.connect(lambda slot: evaluation.codes_replaced(slot, *self._model_and_codes(slot)))
        attributes.vectors_changed.connect(self._measure_active_vector)
        self.codes_changed.connect(self._carry_cursor)
        attributes.active_changed.connect(lambda name: self._measure_active_vector())

    def _model_and_codes(self, slot: str) -> tuple[LoadedModel | None, np.ndarray | None]:
        s = self.slots[slot]
        return s.model, (s.codes.mu if s.codes is not None else None)

    def _measure_active_vector(self) -> None:
        """Tell the evaluation which vector is active, in which space it is bound, and what factor it is for."""
        vector = self.attributes.active_vector()
        if vector is None:
            self.evaluation.vector_changed(None, {}, None)
            return
        entries = {slot: self.attributes.entry(vector.name, slot) for slot in SLOTS}
        values = {slot: e.values for slot, e in entries.items() if e is not None}
        self.evaluation.vector_changed(vector.name, values, vector_target(vector.groups, vector.name))

    def model_codes(self, slot: str) -> ModelCodes | None:
        """``slot``'s model as attribute vectors see it: its codes of the data (once encoded) and its names."""
        s = self.slots[slot]
        if s.model is None:
            return None
        codes = s.codes.mu if s.codes is not None else None
        return ModelCodes(codes, s.model.name, s.model.digest, s.model.kind, s.latent_dim)

    # -- models and data -------------------------------------------------------------
    def _check_fits(self, model: LoadedModel, slot: str, dataset: Dataset | None) -> None:
        other = self.slots[other_slot(slot)].model
        if other is not None:
            check_same_shape(model, other, beside=True)
        if dataset is not None:
            check_image_shape(model, dataset.image_shape, dataset.name)

    def _open(self, model: str | Path | LoadedModel, trust: TrustPolicy | None) -> LoadedModel:
        return model if isinstance(model, LoadedModel) else open_model(model, self.device, trust)

    def open_pair(
        self,
        left: str | Path | LoadedModel,
        right: str | Path | LoadedModel,
        dataset: Dataset,
        trust: TrustPolicy | None = None,
    ) -> None:
        """Show two models (files, or loaded already) on a data set; nothing changes unless all three fit.

        A model file among the files runs only as ``trust`` allows.
        """
        a, b = self._open(left, trust), self._open(right, trust)
        check_same_shape(b, a)
        check_image_shape(a, dataset.image_shape, dataset.name)
        check_image_shape(b, dataset.image_shape, dataset.name)
        self._set_dataset(dataset)
        for name, model in zip(SLOTS, (a, b), strict=True):
            self._set_model(name, model)

    def open_on_its_data(self, slot: str, model: LoadedModel, dataset: Dataset) -> LoadedModel | None:
        """Show ``model`` in ``slot`` on ``dataset`` (the data it was trained on); nothing changes unless they fit.

        The model beside it stays when it takes the data's images; otherwise it leaves
        that side empty, and is returned (to say so).
        """
        check_image_shape(model, dataset.image_shape, dataset.name)
        other = other_slot(slot)
        gone = self.slots[other].model
        if gone is not None and gone.image_shape == dataset.image_shape:
            gone = None
        elif gone is not None:
            self.slots[other] = ModelSlot(other)  # before the data changes: no side holds a model that cannot read it
            self.show_replay(other, None)
            self.model_changed.emit(other)
        self._set_dataset(dataset)
        self._set_model(slot, model)
        return gone

    def load_model(self, slot: str, path: str | Path, trust: TrustPolicy | None = None) -> LoadedModel:
        """Load one checkpoint or model file into ``slot``; it must fit the data and the other model."""
        model = open_model(path, self.device, trust)
        self.set_model(slot, model)
        return model

    def set_model(self, slot: str, model: LoadedModel) -> None:
        """Put a loaded model into ``slot``, if it fits the data and the other model."""
        self._check_fits(model, slot, self.dataset)
        self._set_model(slot, model)

    def _set_model(self, slot: str, model: LoadedModel) -> None:
        self.slots[slot] = ModelSlot(slot, model)
        self.show_replay(slot, None)  # a replay belongs to the model it was recorded for
        self.show_draws(slot, None)
        if slot == SLOTS[0]:  # the right map is aligned to the left one
            self.maps.realign()
        self.model_changed.emit(slot)

    def model_arrived(self, slot: str, shown: LoadedModel, loaded: LoadedModel) -> None:
        """``loaded``, the network of ``shown`` (a model on show while it loaded), has come from a worker.

        Put in place, it changes nothing on show but what waited on it; a file that changed
        meanwhile shows as a model opened anew. Late (``shown`` was replaced), it is dropped.
        """
        if self.slots[slot].model is not shown:
            return
        if settle(shown, loaded):
            self.model_loaded.emit(slot)
        else:
            self.set_model(slot, loaded)

    def drop_model(self, slot: str) -> None:
        """Leave ``slot`` empty: its model could not be loaded."""
        self.slots[slot] = ModelSlot(slot)
        self.show_replay(slot, None)
        self.show_draws(slot, None)
        self.model_changed.emit(slot)

    def renew_model(self, slot: str, model: LoadedModel) -> None:
        """``slot``'s model with new weights (one still training): its codes are made again, and the selection,
        the cursor's place among the data, the attribute vectors and the morph keys stay."""
        self._check_fits(model, slot, self.dataset)
        old = self.slots[slot]
        self._renewed.pop(slot, None)
        if old.cursor_z is not None and old.nearest is not None:
            self._renewed[slot] = (model, self.dataset, old.nearest, old.cursor_z)
        self._set_model(slot, model)

    def _carry_cursor(self, slot: str) -> None:
        """A renewed model's codes are in: its cursor goes to the same place among the data as before."""
        renewed, s = self._renewed.get(slot), self.slots[slot]
        if renewed is None or renewed[0] is not s.model or s.codes is None:
            return
        del self._renewed[slot]
        model, dataset, nearest, z = renewed
        if dataset is self.dataset:
            self.set_cursor_code(slot, carry_code(z, nearest, s.codes.mu))

    def set_dataset(self, dataset: Dataset) -> None:
        """Use another data set with the loaded models; it must have their image shape."""
        for slot in self.slots.values():
            if slot.model is not None:
                try:
                    check_image_shape(slot.model, dataset.image_shape, dataset.name)
                except CheckpointError as exc:
                    raise DataError(str(exc)) from None
        self._set_dataset(dataset)

    def _set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.cursors.forget()
        for name, slot in self.slots.items():
            self.slots[name] = ModelSlot(name, slot.model)
            self.show_draws(name, None)  # draws of a sample of the data replaced
        self.data_changed.emit()

    # -- telling the user ---------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A status note for the user (the window's status bar): what happened, not an error."""
        self.notice.emit(Notice(text))

    def report(self, text: str, details: str = "") -> None:
        """An error for the user (the window's message bar); ``details``: a traceback, for a bug."""
        self.notice.emit(Notice(text, error=True, details=details))
