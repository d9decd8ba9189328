"""The Neighbours dock: the selected sample's nearest samples in each model's latent space, side by side.

Each list holds the k samples whose codes lie nearest to the selected one's in that
model's latent space (not on the map), with their images, labels, names and
distances; the neighbours both models list are marked, and a line above counts
them. A click on a neighbour selects it, through the session, like a click on a map.
The search runs on a worker (the codes' own index), the newest selection wins.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSpinBox, QWidget

from vae_explorer.core.latent.neighbour_lists import DEFAULT_K, MAX_K, NeighbourLists, neighbour_lists
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.tasks import LatestLane
from vae_explorer.gui.widgets.images import to_pixmap
from vae_explorer.gui.widgets.text import markup

ICON_SIDE = 40
SHARED_MARK = "●"  # before a neighbour both models list (and in bold)


class NeighboursPanel(QWidget):
    """Both models' nearest samples to the selection; signal ``sigShown(lists)`` once a search is on show."""

    sigShown = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.shown: NeighbourLists | None = None
        self.k = QSpinBox(minimum=1, maximum=MAX_K, value=DEFAULT_K)
        self.k.setPrefix("k = ")
        self.k.setToolTip("How many nearest samples each model lists")
        self.k.valueChanged.connect(lambda k: self.refresh())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.headings = {slot: QLabel() for slot in SLOTS}
        self.lists = {slot: self._make_list() for slot in SLOTS}
        top = QHBoxLayout()
        top.addWidget(self.k)
        top.addWidget(self.summary, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addLayout(top, 0, 0, 1, len(SLOTS))
        for col, slot in enumerate(SLOTS):
            grid.addWidget(self.headings[slot], 1, col)
            grid.addWidget(self.lists[slot], 2, col)
        grid.setRowStretch(2, 1)
        self.search = LatestLane("neighbours", self)
        self.search.sigResult.connect(lambda key, lists: self._show(lists))
        self.search.sigFailed.connect(lambda key, msg: session.report(f"finding the neighbours failed: {msg}"))
        session.selection_changed.connect(lambda index: self.refresh())
        session.codes_changed.connect(lambda slot: self.refresh())
        session.model_changed.connect(lambda slot: self.refresh())
        session.data_changed.connect(self.refresh)
        self.refresh()

    def _make_list(self) -> QListWidget:
        view = QListWidget()
        view.setIconSize(QSize(ICON_SIDE, ICON_SIDE))
        view.setUniformItemSizes(True)
        view.itemClicked.connect(self._on_item_clicked)
        view.itemActivated.connect(self._on_item_clicked)
        return view

    def refresh(self) -> None:
        """Search again for the selection (on the worker), or clear the lists when there is nothing to search."""
        s, index, k = self.session, self.session.selection, self.k.value()
        for slot in SLOTS:
            self.headings[slot].setText(f"<b>{markup(s.slots[slot].title)}</b>")
        ready = {slot: st for slot, st in s.slots.items() if st.codes is not None}
        if index is None or s.dataset is None or not ready or any(index >= len(st.codes.mu) for st in ready.values()):
            self.search.cancel("lists")
            self._show(None)
            return
        codes = {slot: st.codes.mu for slot, st in ready.items()}
        indexes = {slot: st.nearest.index if st.nearest is not None else None for slot, st in ready.items()}
        self.search.submit("lists", lambda: neighbour_lists(codes, index, k, indexes))

    def _show(self, lists: NeighbourLists | None) -> None:
        data = self.session.dataset
        if lists is not None and (lists.query != self.session.selection or data is None):
            return  # a search for a selection that has since changed
        self.shown = lists
        for slot, view in self.lists.items():
            view.clear()
            for n in () if lists is None else lists.lists.get(slot, ()):
                view.addItem(self._item(n, data))
        if lists is None:
            self.summary.setText("Select a sample to list its nearest samples in each latent space.")
        else:
            both = len(lists.lists) > 1
            agree = f"; the models agree on {lists.shared()} of {lists.k} ({SHARED_MARK}, in bold)" if both else ""
            self.summary.setText(f"Nearest to {markup(data.describe_sample(lists.query))} in latent space{agree}")
        self.sigShown.emit(lists)

    @staticmethod
    def _item(n, data) -> QListWidgetItem:
        _, h, w = data.image_shape
        icon = QIcon(to_pixmap(data.images[n.index], max(1, ICON_SIDE // max(h, w))))
        text = (f"{SHARED_MARK} " if n.shared else "") + f"{data.describe_sample(n.index)}\nd = {n.distance:.3f}"
        item = QListWidgetItem(icon, text)
        item.setData(Qt.ItemDataRole.UserRole, n.index)
        item.setToolTip("Click to select this sample")
        if n.shared:
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
        return item

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self.session.select(int(item.data(Qt.ItemDataRole.UserRole)))

    def rows(self, slot: str) -> list[int]:
        """The samples ``slot``'s list shows, nearest first."""
        view = self.lists[slot]
        return [int(view.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(view.count())]
