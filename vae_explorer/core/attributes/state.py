"""The explorer's attribute state, observable without Qt: the vectors, the active one, alpha, map selections.

It knows nothing of the session: its owner tells it what changed (the data, a
model, a model's codes, a cursor) and gives it two callbacks, one that moves a
cursor to a code and one that says a line to the user. Moving alpha moves the
cursor of every model along its own vector from where the cursor was when alpha
left 0 (its *base*); any other move of a cursor (a drag, a selection) makes the
new position the base and puts alpha back to 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vae_explorer.core.attributes.binding import Rebind, Resolved
from vae_explorer.core.attributes.groups import SelectionGroups
from vae_explorer.core.attributes.vectors import ALPHA_RANGE, AttributeVector, ModelCodes, VectorEntry, apply_vector
from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.errors import DataError
from vae_explorer.core.events import Signal

SELECTION_KEYS = ("A", "B", "S")  # groups A and B, and S: the maps' own selection (the toolbar's lasso)
TOOLS = ("rectangle", "lasso")


class AttributeState:
    """Attribute vectors of the open data in each model's space. All methods run on the GUI thread.

    Signals: ``vectors_changed()``, ``active_changed(name)``, ``alpha_changed(alpha)``,
    ``selection_changed(key)``, ``tool_changed(tool)``, ``table_changed()``, and
    ``rebind_needed(job)``: a model's codes changed, and :class:`Rebind` ``job``
    remakes the vectors in its space; whoever runs it (a worker) hands the result
    to :meth:`apply_rebind`.

    ``move_cursor(slot, z)`` puts a model's cursor at code ``z: (d,)``; ``say(text)``
    shows a line to the user.
    """

    def __init__(self, move_cursor: Callable[[str, np.ndarray], None], say: Callable[[str], None]) -> None:
        self._move_cursor, self._say = move_cursor, say
        self.dataset: Dataset | None = None
        self.models: dict[str, ModelCodes] = {}  # per loaded slot; codes None until encoded
        self.cursors: dict[str, np.ndarray | None] = {}
        self.vectors: dict[str, AttributeVector] = {}
        self.active: str | None = None
        self.alpha = 0.0
        self.selections: dict[str, np.ndarray | None] = dict.fromkeys(SELECTION_KEYS)
        self.tool: str | None = None
        self.tool_target = "A"
        self.table: AttributeTable | None = None
        self._bases: dict[str, np.ndarray] = {}
        self._moving = False
        self._generation: dict[str, int] = {}  # per slot: grows with each change a rebind must match
        # groups resolved on the current data and table: both models use the same rows
        self._resolved: dict[str, Resolved] = {}
        self.vectors_changed = Signal("vectors_changed")
        self.active_changed = Signal("active_changed")
        self.alpha_changed = Signal("alpha_changed")
        self.selection_changed = Signal("selection_changed")
        self.tool_changed = Signal("tool_changed")
        self.table_changed = Signal("table_changed")
        self.rebind_needed = Signal("rebind_needed")

    # -- what vectors are made from ---------------------------------------------------------
    def attribute_table(self) -> AttributeTable | None:
        """The table loaded for the data, else the one that came with it."""
        data = self.dataset
        return self.table if self.table is not None else (data.attributes if data is not None else None)

    def model_codes(self) -> dict[str, ModelCodes]:
        """Each slot's codes of the current data, with what names its model (encoded slots only)."""
        return {slot: m for slot, m in self.models.items() if m.codes is not None}

    def selection_groups(self, against_rest: bool) -> SelectionGroups:
        """Selection A vs selection B (or vs the rest) of the current data."""
        data = self.dataset
        a, b = self.selections["A"], self.selections["B"]
        if data is None:
            raise DataError("no data is open")
        if a is None or not len(a):
            raise DataError("select group A in a map first (drag with the selection tool)")
        if not against_rest and (b is None or not len(b)):
            raise DataError("select group B in a map first, or compare group A with the rest")
        neg = None if against_rest else tuple(int(i) for i in b)  # type: ignore[union-attr]
        return SelectionGroups(tuple(int(i) for i in a), neg, data.fingerprint())

    def vector_inputs(self) -> tuple[Dataset, dict[str, ModelCodes], AttributeTable | None]:
        """What a new vector is computed from: the data, each model's codes, the attribute table."""
        if self.dataset is None:
            raise DataError("open data first")
        models = self.model_codes()
        if not models:
            raise DataError("the models have not encoded the data yet")
        return self.dataset, models, self.attribute_table()

    def add(self, vector: AttributeVector) -> None:
        """Add (or replace, by name) a vector and make it the active one."""
        self.vectors[vector.name] = vector
        if self.active == vector.name:
            self.active = None  # replaced: alpha starts again from 0
        self.vectors_changed.emit()
        self.set_active(vector.name)

    def add_defined(self, vector: AttributeVector) -> None:
        """Add a vector just defined from groups and say what it is (the Attributes dock and ``Viewer.vector``)."""
        self.add(vector)
        self._say(f"attribute vector {vector.name!r}: {vector.description}")

    def remove(self, name: str) -> None:
        if self.vectors.pop(name, None) is None:
            return
        self.vectors_changed.emit()
        if self.active == name:
            self.set_active(next(iter(self.vectors), None))

    def entry(self, name: str | None, slot: str) -> VectorEntry | None:
        """The vector ``name`` in ``slot``'s space, if it was made for the model loaded there."""
        vector = self.vectors.get(name) if name else None
        m = self.models.get(slot)
        if vector is None or m is None:
            return None
        e = vector.entries.get(slot)
        return e if e is not None and e.digest == m.digest and e.latent_dim == m.latent_dim else None

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
        return self.cursors.get(slot)

    def set_alpha(self, alpha: float) -> None:
        """Move every cursor to ``base + alpha * v`` along its own model's active vector."""
        alpha = float(np.clip(alpha, -ALPHA_RANGE, ALPHA_RANGE))
        moved = False
        for slot in self.models:
            entry, base = self.entry(self.active, slot), self.base(slot)
            if entry is None or base is None or (alpha == 0.0 and slot not in self._bases):
                continue
            self._bases[slot] = base.copy()
            self._moving = True
            try:
                self._move_cursor(slot, apply_vector(self._bases[slot], entry.values, alpha))
            finally:
                self._moving = False
            moved = True
        if not moved and alpha != 0.0:
            self._say("alpha moves the cursor: define a vector and select a sample (or drag a cursor) first")
        self.alpha = alpha
        self.alpha_changed.emit(alpha)

    def arrow(self, slot: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The active vector in ``slot``'s space as two codes ``(start, start + v)``, each ``(d,)``.

        It starts at the base code, or at the mean code of the data when there is no cursor.
        """
        entry, m = self.entry(self.active, slot), self.models.get(slot)
        if entry is None or m is None or m.codes is None:
            return None
        start = self.base(slot)
        if start is None:
            start = m.codes.mean(axis=0).astype(np.float32)
        return start, apply_vector(start, entry.values, 1.0)

    # -- selections, tool, table ------------------------------------------------------------------
    def set_selection(self, key: str, indices: np.ndarray | None) -> None:
        """Samples picked in a map for group ``key`` (``"A"``, ``"B"``, or the maps' selection ``"S"``); None clears."""
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

    def set_table(self, table: AttributeTable | None) -> None:
        """Use ``table`` (read for the open data) for column groups; ``None`` goes back to the data's own."""
        data = self.dataset
        if table is not None and (data is None or len(table.values) != len(data)):
            raise DataError(f"{table.source}: {len(table.values)} rows do not match the {len(data or [])} images")
        self.table = table
        self._resolved.clear()
        self.table_changed.emit()

    # -- what the owner tells it ----------------------------------------------------------------
    def data_replaced(self, dataset: Dataset | None) -> None:
        """Other data is open: codes, selections, the loaded table and alpha's bases go."""
        self.dataset = dataset
        for slot, m in self.models.items():
            self.models[slot] = ModelCodes(None, m.model, m.digest, m.kind, m.latent_dim)
            self._bump(slot)
        self.cursors.clear()
        self._bases.clear()
        self._resolved.clear()
        self.table = None
        for key in SELECTION_KEYS:
            self.set_selection(key, None)
        self.table_changed.emit()
        self._reset_alpha()

    def model_replaced(self, slot: str, model: ModelCodes | None) -> None:
        """Another model (``None``: none) in ``slot``, its codes not known yet."""
        if model is None:
            self.models.pop(slot, None)
        else:
            self.models[slot] = model
        self.cursors.pop(slot, None)
        self._bases.pop(slot, None)
        self._bump(slot)

    def codes_replaced(self, slot: str, model: ModelCodes) -> None:
        """``slot``'s codes of the data: vectors made with another model go; a :class:`Rebind` remakes them."""
        self.models[slot] = model
        generation = self._bump(slot)
        changed = False
        for vector in self.vectors.values():
            e = vector.entries.get(slot)
            if e is not None and e.digest != model.digest:
                del vector.entries[slot]
                changed = True
        if changed:
            self.vectors_changed.emit()
        if self.dataset is not None and any(v.groups is not None for v in self.vectors.values()):
            job = Rebind(slot, generation, model, self.vectors, self.dataset, self.attribute_table(), self._resolved)
            self.rebind_needed.emit(job)

    def apply_rebind(self, job: Rebind, entries: dict[str, VectorEntry | None]) -> bool:
        """The result of ``job``; dropped (False) when the data, the model or its codes changed since."""
        if job.generation != self._generation.get(job.slot):
            return False
        self._resolved.update(job.resolved)
        changed = False
        for name, entry in entries.items():
            vector = self.vectors.get(name)
            if vector is None or vector is not job.vectors.get(name):
                continue  # removed or replaced meanwhile
            if entry is not None:
                changed = changed or vector.entries.get(job.slot) is not entry
                vector.entries[job.slot] = entry
            elif vector.entries.pop(job.slot, None) is not None:
                changed = True
        if changed:
            self.vectors_changed.emit()
        return True

    def cursor_moved(self, slot: str, z: np.ndarray | None) -> None:
        """``slot``'s cursor is at code ``z``; unless alpha moved it, that is the new base and alpha goes to 0."""
        self.cursors[slot] = z
        if self._moving:
            return
        self._bases.clear()
        self._reset_alpha()

    def _bump(self, slot: str) -> int:
        self._generation[slot] = self._generation.get(slot, 0) + 1
        return self._generation[slot]

    def _reset_alpha(self) -> None:
        if self.alpha != 0.0:
            self.alpha = 0.0
            self.alpha_changed.emit(0.0)
