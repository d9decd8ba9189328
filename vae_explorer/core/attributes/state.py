"""The explorer's attribute state, observable without Qt: the vectors, the active one, alpha, map selections.

Owned by the session as ``session.attributes``. Moving alpha moves the cursor of
both models along their own vector from where the cursor was when alpha left 0
(its *base*); any other move of a cursor (a drag, a selection) makes the new
position the base and puts alpha back to 0.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from vae_explorer.core.attributes.files import find_entry
from vae_explorer.core.attributes.groups import Groups, SelectionGroups
from vae_explorer.core.attributes.vectors import (
    ALPHA_RANGE,
    AttributeVector,
    ModelCodes,
    VectorEntry,
    apply_vector,
    build_vector,
    compute_entry,
)
from vae_explorer.core.data import AttributeTable, Dataset, load_attribute_table
from vae_explorer.core.errors import DataError
from vae_explorer.core.events import Signal

if TYPE_CHECKING:
    from vae_explorer.core.session import Session

SELECTION_KEYS = ("A", "B")
TOOLS = ("rectangle", "lasso")


class AttributeState:
    """Attribute vectors of the session's data in each model's space. All methods run on the GUI thread.

    Signals: ``vectors_changed()``, ``active_changed(name)``, ``alpha_changed(alpha)``,
    ``selection_changed(key)``, ``tool_changed(tool)``, ``table_changed()``.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.vectors: dict[str, AttributeVector] = {}
        self.active: str | None = None
        self.alpha = 0.0
        self.selections: dict[str, np.ndarray | None] = dict.fromkeys(SELECTION_KEYS)
        self.tool: str | None = None
        self.tool_target = "A"
        self.table: AttributeTable | None = None
        self._bases: dict[str, np.ndarray] = {}
        self._moving = False
        # groups resolved on the current data, by (definition, table): both models need the same indices
        self._resolved: dict[tuple[str, int], tuple[np.ndarray, np.ndarray] | None] = {}
        self.vectors_changed = Signal("vectors_changed")
        self.active_changed = Signal("active_changed")
        self.alpha_changed = Signal("alpha_changed")
        self.selection_changed = Signal("selection_changed")
        self.tool_changed = Signal("tool_changed")
        self.table_changed = Signal("table_changed")
        session.data_changed.connect(self._on_data_changed)
        session.codes_changed.connect(self._on_codes_changed)
        session.model_changed.connect(lambda slot: self._bases.pop(slot, None))
        session.cursor_changed.connect(self._on_cursor_changed)

    # -- what vectors are made from ---------------------------------------------------------
    def attribute_table(self) -> AttributeTable | None:
        """The table loaded for the data, else the one that came with it."""
        data = self.session.dataset
        return self.table if self.table is not None else (data.attributes if data is not None else None)

    def model_codes(self) -> dict[str, ModelCodes]:
        """Each slot's codes of the current data, with what names its model."""
        data, out = self.session.dataset, {}
        for name, s in self.session.slots.items():
            if s.codes is not None and s.checkpoint is not None and data is not None and len(s.codes.mu) == len(data):
                out[name] = ModelCodes(s.codes.mu, s.checkpoint.name, s.checkpoint.digest, s.checkpoint.config.kind)
        return out

    def selection_groups(self, against_rest: bool) -> SelectionGroups:
        """Selection A vs selection B (or vs the rest) of the current data."""
        data = self.session.dataset
        a, b = self.selections["A"], self.selections["B"]
        if data is None:
            raise DataError("no data is open")
        if a is None or not len(a):
            raise DataError("select group A in a map first (drag with the selection tool)")
        if not against_rest and (b is None or not len(b)):
            raise DataError("select group B in a map first, or compare group A with the rest")
        neg = None if against_rest else tuple(int(i) for i in b)
        return SelectionGroups(tuple(int(i) for i in a), neg, data.fingerprint())

    def vector_inputs(self) -> tuple[Dataset, dict[str, ModelCodes], AttributeTable | None]:
        """What a new vector is computed from: the data, each model's codes, the attribute table."""
        data = self.session.dataset
        if data is None:
            raise DataError("open data first")
        models = self.model_codes()
        if not models:
            raise DataError("the models have not encoded the data yet")
        return data, models, self.attribute_table()

    def define(self, name: str, groups: Groups) -> AttributeVector:
        """Make a vector from two groups in every model's space and make it the active one."""
        vector = build_vector(name, groups, *self.vector_inputs())
        self.add(vector)
        return vector

    def add(self, vector: AttributeVector) -> None:
        """Add (or replace, by name) a vector and make it the active one."""
        self.vectors[vector.name] = vector
        if self.active == vector.name:
            self.active = None  # replaced: alpha starts again from 0
        self.vectors_changed.emit()
        self.set_active(vector.name)

    def add_loaded(self, vector: AttributeVector) -> list[str]:
        """Add a vector read from a file, bound to the loaded models; returns notes for the user.

        An entry made with a loaded checkpoint is used as it is. For another model of
        the same latent size the vector is recomputed from its groups when they apply
        to the current data, else its values are used with a note.
        """
        notes, bound = [], {}
        codes = self.model_codes()
        for slot, s in self.session.slots.items():
            if s.checkpoint is None:
                continue
            entry, exact = find_entry(vector, s.checkpoint.digest, s.checkpoint.config.kind, s.latent_dim)
            if exact:
                bound[slot] = entry
                continue
            fresh = self._recompute(vector, slot, codes.get(slot))
            if fresh is not None:
                bound[slot] = fresh
                notes.append(f"{vector.name!r} recomputed in {s.checkpoint.name}'s space from its groups")
            elif entry is not None:
                bound[slot] = replace(entry, digest=s.checkpoint.digest)
                notes.append(f"{vector.name!r} was made with {entry.model}; used as it is with {s.checkpoint.name}")
            else:
                notes.append(f"{vector.name!r} has no {s.latent_dim}-D vector for {s.checkpoint.name}")
        if not bound:
            raise DataError(f"{vector.name!r}: no vector fits the loaded models ({'; '.join(notes)})")
        vector.entries = bound
        self.add(vector)
        return notes

    def remove(self, name: str) -> None:
        if self.vectors.pop(name, None) is None:
            return
        self.vectors_changed.emit()
        if self.active == name:
            self.set_active(next(iter(self.vectors), None))

    def entry(self, name: str | None, slot: str) -> VectorEntry | None:
        """The vector ``name`` in ``slot``'s space, if it was made for the model loaded there."""
        vector = self.vectors.get(name) if name else None
        s = self.session.slots[slot]
        if vector is None or s.checkpoint is None:
            return None
        e = vector.entries.get(slot)
        return e if e is not None and e.digest == s.checkpoint.digest and e.latent_dim == s.latent_dim else None

    def active_vector(self) -> AttributeVector | None:
        return self.vectors.get(self.active) if self.active else None

    # -- applying ---------------------------------------------------------------------------
    def set_active(self, name: str | None) -> None:
        if name is not None and name not in self.vectors:
            raise DataError(f"no attribute vector named {name!r}")
        if name != self.active:
            self.active = name
            self._bases.clear()
            self.alpha = 0.0
            self.active_changed.emit(name)
            self.alpha_changed.emit(0.0)

    def base(self, slot: str) -> np.ndarray | None:
        """The code alpha moves from in ``slot``: fixed once alpha left 0, else the cursor's."""
        if slot in self._bases:
            return self._bases[slot]
        return self.session.slots[slot].cursor_z

    def set_alpha(self, alpha: float) -> None:
        """Move both cursors to ``base + alpha * v`` along their own model's active vector."""
        alpha = float(np.clip(alpha, -ALPHA_RANGE, ALPHA_RANGE))
        moved = False
        for slot in self.session.slots:
            entry = self.entry(self.active, slot)
            base = self.base(slot)
            if entry is None or base is None or (alpha == 0.0 and slot not in self._bases):
                continue
            self._bases[slot] = base.copy()
            self._moving = True
            try:
                self.session.set_cursor_code(slot, apply_vector(self._bases[slot], entry.values, alpha))
            finally:
                self._moving = False
            moved = True
        if not moved and alpha != 0.0:
            self.session.say("alpha moves the cursor: define a vector and select a sample (or drag a cursor) first")
        self.alpha = alpha
        self.alpha_changed.emit(alpha)

    def arrow(self, slot: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The active vector in ``slot``'s space as two codes ``(start, start + v)``, each ``(d,)``.

        It starts at the base code, or at the mean code of the data when there is no cursor.
        """
        entry = self.entry(self.active, slot)
        s = self.session.slots[slot]
        if entry is None or s.codes is None:
            return None
        start = self.base(slot)
        if start is None:
            start = s.codes.mu.mean(axis=0).astype(np.float32)
        return start, apply_vector(start, entry.values, 1.0)

    # -- selections, tool, table ------------------------------------------------------------------
    def set_selection(self, key: str, indices: np.ndarray | None) -> None:
        """Samples picked in a map for group ``key`` (``"A"`` or ``"B"``); ``None`` clears it."""
        if key not in SELECTION_KEYS:
            raise ValueError(f"selection key must be one of {SELECTION_KEYS}, not {key!r}")
        self.selections[key] = None if indices is None else np.unique(np.asarray(indices, dtype=np.int64))
        self.selection_changed.emit(key)

    def set_tool(self, tool: str | None, target: str | None = None) -> None:
        """Turn the map selection tool on (``rectangle`` or ``lasso``, filling group ``target``) or off."""
        if tool is not None and tool not in TOOLS:
            raise ValueError(f"tool must be one of {TOOLS} or None, not {tool!r}")
        if target is not None:
            if target not in SELECTION_KEYS:
                raise ValueError(f"target must be one of {SELECTION_KEYS}, not {target!r}")
            self.tool_target = target
        self.tool = tool
        self.tool_changed.emit(tool)

    def load_table(self, path: str) -> AttributeTable:
        """Read an attribute table for the current data (rows matched by file name or row index)."""
        data = self.session.dataset
        if data is None:
            raise DataError("open data before its attribute table")
        table = load_attribute_table(path, len(data), data.filenames)
        self.set_table(table)
        return table

    def set_table(self, table: AttributeTable | None) -> None:
        data = self.session.dataset
        if table is not None and (data is None or len(table.values) != len(data)):
            raise DataError(f"{table.source}: {len(table.values)} rows do not match the {len(data or [])} images")
        self.table = table
        self._resolved.clear()
        self.table_changed.emit()

    # -- session events -------------------------------------------------------------------------
    def _recompute(self, vector: AttributeVector, slot: str, codes: ModelCodes | None) -> VectorEntry | None:
        data = self.session.dataset
        if vector.groups is None or codes is None or data is None:
            return None
        table = self.attribute_table()
        key = (repr(vector.groups.to_dict()), id(table))
        if key not in self._resolved:
            try:
                self._resolved[key] = vector.groups.resolve(data, table)
            except DataError:
                self._resolved[key] = None
        if self._resolved[key] is None:
            return None
        positive, negative = self._resolved[key]
        return compute_entry(codes.codes, positive, negative, codes.model, codes.digest, codes.kind)

    def _on_codes_changed(self, slot: str) -> None:
        """Keep each vector made with this model; remake the others from their groups, or drop them."""
        s = self.session.slots[slot]
        codes = self.model_codes().get(slot)
        changed = False
        for vector in self.vectors.values():
            e = vector.entries.get(slot)
            if e is not None and s.checkpoint is not None and e.digest == s.checkpoint.digest:
                continue
            fresh = self._recompute(vector, slot, codes)
            if fresh is not None:
                vector.entries[slot] = fresh
                changed = True
            elif vector.entries.pop(slot, None) is not None:
                changed = True
        if changed:
            self.vectors_changed.emit()

    def _on_data_changed(self) -> None:
        self._bases.clear()
        self._resolved.clear()
        self.table = None
        for key in SELECTION_KEYS:
            self.set_selection(key, None)
        self.table_changed.emit()
        if self.alpha != 0.0:
            self.alpha = 0.0
            self.alpha_changed.emit(0.0)

    def _on_cursor_changed(self, slot: str) -> None:
        if self._moving:
            return
        self._bases.clear()
        if self.alpha != 0.0:
            self.alpha = 0.0
            self.alpha_changed.emit(0.0)
