"""Binding attribute vectors to the loaded models: remade from their groups where the data allows, else as saved.

:func:`bind_vector` is what loading a vector file does, in the explorer and in
``vae-explorer traverse --vector``; :class:`Rebind` is what the explorer does
when a model's codes change (other data, another model), run on a worker.
Both are pure: they read codes and data and return entries.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np

from vae_explorer.core.attributes.diagnostics import attribute_directions, balance_labels, effects
from vae_explorer.core.attributes.files import find_entry
from vae_explorer.core.attributes.groups import Groups
from vae_explorer.core.attributes.vectors import (
    AttributeVector,
    ModelCodes,
    VectorEntry,
    compute_entry,
    table_columns,
)
from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.errors import Cancelled, DataError

Resolved = tuple[np.ndarray, np.ndarray] | None  # (positive, negative) rows, or None: the groups do not apply


def groups_key(groups: Groups) -> str:
    """A key for ``groups`` in a cache of resolved groups (kept per data and table)."""
    return repr(groups.to_dict())


def resolve_or_none(
    groups: Groups | None, data: Dataset | None, table: AttributeTable | None, balanced: bool = False
) -> Resolved:
    """``groups`` resolved on ``data``, or ``None`` when there are none or they do not apply to it.

    ``balanced``: the vector is made within classes, so the groups apply only to
    data where some class has samples in both.
    """
    if groups is None or data is None:
        return None
    try:
        rows = groups.resolve(data, table)
        if balanced:
            balance_labels(data.labels, *rows, True)
        return rows
    except DataError:
        return None


def remake(
    vector: AttributeVector,
    m: ModelCodes,
    rows: tuple[np.ndarray, np.ndarray],
    data: Dataset,
    table: AttributeTable | None,
) -> VectorEntry:
    """``vector`` in ``m``'s space, made from ``rows`` on ``data`` as :func:`build_vector` makes it."""
    assert m.codes is not None
    labels = data.labels if vector.balanced else None
    moved = directions(vector, m, data, table)
    return compute_entry(m.codes, *rows, m.model, m.digest, m.kind, labels, moved)


def directions(
    vector: AttributeVector, m: ModelCodes, data: Dataset | None, table: AttributeTable | None
) -> dict[str, np.ndarray]:
    """The other attributes' directions in ``m``'s codes, for the effects of ``vector`` (none without codes)."""
    if m.codes is None or data is None or table is None or len(table.values) != len(m.codes):
        return {}
    return attribute_directions(m.codes, table_columns(table, vector.groups), data.labels)


def bind_vector(
    vector: AttributeVector, data: Dataset | None, models: dict[str, ModelCodes], table: AttributeTable | None = None
) -> tuple[AttributeVector, list[str]]:
    """``vector`` bound to each model in ``models`` (by slot), and one line per model saying how.

    Remade from its groups where they resolve on ``data`` and the model's codes are
    there; else the saved values made with that checkpoint, else those of another
    model of the same latent size. Raises :class:`DataError` when no model gets one.
    """
    have_codes = any(m.codes is not None for m in models.values())
    table = table if table is not None else (data.attributes if data is not None else None)
    resolved = resolve_or_none(vector.groups, data, table, vector.balanced) if have_codes else None
    entries: dict[str, VectorEntry] = {}
    notes = []
    for slot, m in models.items():
        if resolved is not None and m.codes is not None:
            entries[slot] = remake(vector, m, resolved, data, table)  # type: ignore[arg-type]
            notes.append(f"{vector.name!r} in {m.model}: recomputed from its groups on {data.description}")  # type: ignore[union-attr]
            continue
        entry, exact = find_entry(vector, m.digest, m.kind, m.latent_dim)
        if entry is None:
            notes.append(f"{vector.name!r} has no {m.latent_dim}-D vector for {m.model}")
        elif exact:
            entries[slot] = replace(entry, effects=effects(entry.values, directions(vector, m, data, table)))
            notes.append(f"{vector.name!r} in {m.model}: the saved values, made with this model")
        else:
            moved = effects(entry.values, directions(vector, m, data, table))
            entries[slot] = replace(entry, digest=m.digest, effects=moved)
            notes.append(f"{vector.name!r} in {m.model}: the saved values, made with {entry.model}")
    if not entries:
        raise DataError(f"{vector.name!r}: no vector fits the loaded models ({'; '.join(notes)})")
    made_on = data.description if resolved is not None and data is not None else vector.data
    bound = AttributeVector(vector.name, vector.groups, vector.description, made_on, entries, vector.balanced)
    return bound, notes


@dataclass
class Rebind:
    """Remake the vectors in one slot's space for new codes: what a worker needs, and nothing of the state.

    ``vectors`` by name, as they were when asked (their groups and their entries in
    ``slot`` are read when the job is made, on the owner's thread); ``resolved``
    groups resolved on ``data`` already (by :func:`groups_key`), added to by :meth:`run`.
    """

    slot: str
    generation: int
    model: ModelCodes
    vectors: dict[str, AttributeVector]
    data: Dataset
    table: AttributeTable | None = None
    resolved: dict[str, Resolved] = field(default_factory=dict)
    _asked: dict[str, tuple[AttributeVector, VectorEntry | None]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.vectors = dict(self.vectors)
        self.resolved = dict(self.resolved)
        self._asked = {name: (replace(v, entries={}), v.entries.get(self.slot)) for name, v in self.vectors.items()}

    def run(self, cancel: threading.Event | None = None) -> dict[str, VectorEntry | None]:
        """Each vector's entry for the new codes: remade from its groups, or the one made with this model, or None."""
        out: dict[str, VectorEntry | None] = {}
        m = self.model
        table = self.table if self.table is not None else self.data.attributes
        for name, (vector, own) in self._asked.items():
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            out[name] = own if own is not None and own.digest == m.digest else None
            if vector.groups is None or m.codes is None:
                continue
            key = groups_key(vector.groups) + (" balanced" if vector.balanced else "")
            if key not in self.resolved:
                self.resolved[key] = resolve_or_none(vector.groups, self.data, table, vector.balanced)
            rows = self.resolved[key]
            if rows is not None:
                out[name] = remake(vector, m, rows, self.data, table)
        return out
