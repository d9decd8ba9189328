"""How both maps mark the data's points: their colour, the classes hidden, the samples a search found.

Colour is by class, or by a column of the attribute table: a binary column in
two colours, any other in a colour scale from its lowest to its highest value.
Hiding a class hides its points in both maps; isolating one hides all others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.data.attribute_table import is_binary
from vae_explorer.core.errors import DataError
from vae_explorer.core.events import Signal

BY_CLASS = None  # colour_by for the class colours


@dataclass(frozen=True)
class Colouring:
    """What the points are coloured by: ``kind`` ``class``, ``binary`` or ``numeric``, and one value per point.

    ``values: (N,)``: labels for ``class`` (``None`` for unlabelled data), 0 / 1 for
    ``binary``, numbers for ``numeric``, whose scale runs from ``low`` to ``high``.
    """

    kind: str
    values: np.ndarray | None
    name: str = ""
    low: float = 0.0
    high: float = 1.0

    def unit(self) -> np.ndarray:
        """A numeric column's values scaled to [0, 1] ``(N,)`` (0.5 everywhere for a constant column)."""
        values = np.asarray(self.values, dtype=np.float64)
        span = self.high - self.low
        return np.full(len(values), 0.5) if span <= 0 else np.clip((values - self.low) / span, 0.0, 1.0)


class MapMarks:
    """The marks both maps share. All methods run on the GUI thread.

    Signals: ``changed(what)`` with ``what`` one of ``colour``, ``hidden``, ``highlight``.
    """

    def __init__(self) -> None:
        self.dataset: Dataset | None = None
        self.table: AttributeTable | None = None
        self.colour_by: str | None = BY_CLASS
        self.hidden: frozenset[int] = frozenset()
        self.highlight = np.zeros(0, dtype=np.int64)
        self.only: np.ndarray | None = None  # the samples shown alone, else None
        self.changed = Signal("marks_changed")

    # -- what the owner tells it ---------------------------------------------------------------
    def data_replaced(self, dataset: Dataset | None) -> None:
        """Other data: colour by class again, nothing hidden, nothing highlighted."""
        self.dataset, self.table = dataset, dataset.attributes if dataset is not None else None
        self.colour_by, self.hidden, self.only = BY_CLASS, frozenset(), None
        self.highlight = np.zeros(0, dtype=np.int64)
        for what in ("colour", "hidden", "highlight"):
            self.changed.emit(what)

    def table_replaced(self, table: AttributeTable | None) -> None:
        """The attribute table of the data changed; colouring by a column it lacks goes back to the classes."""
        self.table = table
        if self.colour_by is not None and (table is None or self.colour_by not in table.names):
            self.colour_by = BY_CLASS
        self.changed.emit("colour")

    # -- colour --------------------------------------------------------------------------------
    def columns(self) -> list[str]:
        """The attribute columns points can be coloured by."""
        return list(self.table.names) if self.table is not None else []

    def set_colour_by(self, column: str | None) -> None:
        """Colour by ``column`` of the attribute table, or by class (``None``)."""
        if column is not None:
            if self.table is None:
                raise DataError("no attribute table to colour by: load one first")
            self.table.column(column)  # a name it lacks: the error lists its columns
        if column != self.colour_by:
            self.colour_by = column
            self.changed.emit("colour")

    def colouring(self) -> Colouring:
        data, table, name = self.dataset, self.table, self.colour_by
        if name is None or table is None or data is None or len(table.values) != len(data):
            return Colouring("class", None if data is None else data.labels)
        values = table.column(name)
        if is_binary(values):
            return Colouring("binary", (values == 1.0).astype(np.int64), name)
        return Colouring("numeric", values, name, float(values.min()), float(values.max()))

    # -- hidden classes ---------------------------------------------------------------------------
    def toggle_class(self, k: int) -> None:
        """Hide class ``k`` in both maps, or show it again."""
        self._set_hidden(self.hidden ^ {k})

    def isolate_class(self, k: int) -> None:
        """Show class ``k`` alone; isolating the class shown alone shows every class again."""
        others = frozenset(range(len(self.dataset.label_names) if self.dataset is not None else 0)) - {k}
        self._set_hidden(frozenset() if self.hidden == others else others)

    def show_all(self) -> None:
        self._set_hidden(frozenset())

    def set_hidden(self, classes) -> None:
        """Hide exactly ``classes`` (an iterable of class numbers) in both maps."""
        self._set_hidden(frozenset(int(k) for k in classes))

    def set_only(self, indices: np.ndarray | None) -> None:
        """Show only the samples ``indices`` on the maps (a selection isolated), or every sample again (None)."""
        only = None if indices is None else np.unique(np.asarray(indices, dtype=np.int64))
        if only is not None or self.only is not None:
            self.only = only
            self.changed.emit("hidden")

    def _set_hidden(self, hidden: frozenset[int]) -> None:
        if hidden != self.hidden:
            self.hidden = hidden
            self.changed.emit("hidden")

    def visible(self) -> np.ndarray | None:
        """Which points are shown ``(N,) bool``, or ``None`` when all are."""
        data = self.dataset
        if data is None:
            return None
        shown = None
        if self.hidden and data.labels is not None:
            shown = ~np.isin(data.labels, list(self.hidden))
        if self.only is not None:
            alone = np.zeros(len(data), dtype=bool)
            alone[self.only[self.only < len(data)]] = True
            shown = alone if shown is None else shown & alone
        return shown

    # -- highlighted samples -------------------------------------------------------------------------
    def set_highlight(self, indices: np.ndarray | list[int]) -> None:
        """Mark ``indices`` in both maps (a search's results); an empty list clears the marks."""
        self.highlight = np.unique(np.asarray(indices, dtype=np.int64))
        self.changed.emit("highlight")
