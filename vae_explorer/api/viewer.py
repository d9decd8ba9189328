"""The handle of a window opened from Python (:mod:`.opening` opens it): it drives the window through its session.

:class:`Viewer` does what the window's controls do, through the session's public methods;
long work stays on the window's workers, and :meth:`Viewer.wait` lets a script, a
notebook or a test wait for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

from vae_explorer.core.attributes.vectors import AttributeVector
from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.events import Notice
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.shell.main_window import MainWindow, write_picture

from .inputs import DataInput, prepare, slot_of

SETTLED_POLLS = 3  # idle this many times in a row, a few milliseconds apart: nothing is left to come


def show_data(window: MainWindow, data: DataInput | None) -> None:
    """Open data by name on a worker, or show images handed over (checked against the models on show)."""
    if isinstance(data, str):
        window.open_data(data, "all")
    elif isinstance(data, Dataset):
        window.session.set_dataset(data)


@dataclass(frozen=True)
class MapCodes:
    """One side's codes of the data and its map: ``mu``, ``logvar`` ``(N, d)`` (None for an AE), ``points (N, 2)``."""

    mu: np.ndarray
    logvar: np.ndarray | None
    points: np.ndarray
    view: str


class Viewer:
    """The explorer's window, driven from Python: ``update``, ``select``, ``cursor``, ``morph``, ``vector``,
    ``screenshot``, ``codes`` and ``wait``. ``session`` and ``window`` are the window's own."""

    def __init__(self, window: MainWindow) -> None:
        self.window: MainWindow = window
        self.session: Session = window.session
        self._errors: list[str] = []
        self.session.notice.connect(self._on_notice)

    def __repr__(self) -> str:
        models = [s.model.name for s in self.session.slots.values() if s.model is not None]
        data = self.session.dataset.description if self.session.dataset is not None else "no data yet"
        return f"<Viewer: {' and '.join(models) or 'no models yet'} on {data}>"

    def _on_notice(self, notice: Notice) -> None:
        if notice.error:
            self._errors.append(notice.text)

    # -- updating -------------------------------------------------------------------------------------
    def update(
        self, ae: Any = None, vae: Any = None, data: Any = None, *, labels: Any = None, names: Any = None
    ) -> Viewer:
        """Show new weights of a model (one still training), other models, or other images.

        A model given again keeps the selection, the cursor's place among the data, the
        attribute vectors and the morph keys while its maps are made again. Everything is
        checked first: a bad argument raises one line and changes nothing.
        """
        inputs = prepare(ae, vae, data, labels, names, None, self.session.device, self.session.dataset)
        show_data(self.window, inputs.data)
        for slot, model in zip(SLOTS, (inputs.left, inputs.right), strict=True):
            if isinstance(model, LoadedModel):
                self.session.renew_model(slot, model)
            elif model is not None:
                self.window.opener.open_model(slot, model, renew=True)
        return self

    # -- waiting ----------------------------------------------------------------------------------
    def idle(self) -> bool:
        """Nothing is loading, encoding, decoding or computing: what the window shows is complete."""
        return self.window.is_settled()

    def process_events(self) -> None:
        """Let the window handle what is waiting (results of its workers, painting), without waiting for more."""
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def wait(self, timeout: float = 300.0) -> Viewer:
        """Handle the window's events until its work is done; raise the error it showed since the last wait, if any.

        Scripts and notebooks call it before reading results, so that they are what the window shows.
        """
        deadline, settled = time.monotonic() + timeout, 0
        while settled < SETTLED_POLLS:
            self.process_events()
            if self._errors:  # shown since the last wait: said once
                error, self._errors = self._errors[-1], []
                raise VaeExplorerError(error)
            if not self.window.isVisible():
                raise VaeExplorerError("the window was closed")
            settled = settled + 1 if self.idle() else 0
            if time.monotonic() > deadline:
                raise VaeExplorerError(f"the window was still busy after {timeout:g} s")
            time.sleep(0.005)
        return self

    # -- what the window's controls do -----------------------------------------------------------
    def select(self, sample: int | str | None) -> Viewer:
        """Select a sample (an index, or a file name in the data's folder) in both maps; the cursors jump to it."""
        self.wait()
        self.session.select(sample)
        return self

    def cursor(self, slot: str = "vae", point: Any = None, *, code: Any = None) -> Viewer:
        """Put ``slot``'s cursor at a map ``point (x, y)`` (linked cursors follow) or at a latent ``code (d,)``."""
        name = slot_of(slot)
        if (point is None) == (code is None):
            raise VaeExplorerError("cursor: give a map point or a code (code=...), one of them")
        self.wait()
        s = self.session.slots[name]
        if s.model is None or self.session.projection(name) is None:
            raise VaeExplorerError(f"{slot}: no model is shown there")
        value = np.asarray(point if code is None else code, dtype=np.float64).reshape(-1)
        want = 2 if code is None else s.latent_dim
        if len(value) != want or not np.isfinite(value).all():
            what = "point: (x, y)" if code is None else f"code: {want} latent values"
            raise VaeExplorerError(f"cursor {what} were expected, finite, not {value.tolist()}")
        if code is None:
            self.session.move_cursor(name, value)
        else:
            self.session.set_cursor_code(name, value)
        return self

    def morph(
        self, a: int | str, b: int | str, *, via: tuple = (), frames: int | None = None, method: str | None = None
    ) -> Viewer:
        """Morph sample (or image file) ``a`` into ``b`` through ``via``; ``method``: ``lerp`` or ``slerp``."""
        from vae_explorer.core.morph.keys import MorphKey, check_frames, check_method

        self.wait()
        data = self.session.dataset
        keys = [self._morph_key(k, data, MorphKey) for k in (a, b, *via)]
        if frames is not None:
            check_frames(int(frames), len(keys))
        if method is not None:
            check_method(method)
        morph = self.session.morph
        if frames is not None:
            morph.set_frames(int(frames))
        if method is not None:
            morph.set_method(method)
        morph.clear_via()
        for key in keys[2:]:
            morph.add_via(key)
        morph.set_start(keys[0])
        morph.set_end(keys[1])
        return self

    @staticmethod
    def _morph_key(key: int | str, data: Any, make: Any) -> Any:
        from vae_explorer.core.data import index_of

        if isinstance(key, str) and Path(key).expanduser().is_file():
            return make(path=str(Path(key).expanduser()))
        if data is None:
            raise VaeExplorerError("morph: no data is open")
        return make(index_of(data, key))

    def vector(
        self,
        toward: str | None = None,
        away: str | None = None,
        *,
        column: str | None = None,
        split: float | str | None = None,
        pixels: str | None = None,
        samples: tuple[Any, Any] | None = None,
        name: str = "",
        balance: bool | None = None,
        alpha: float | None = None,
    ) -> Viewer:
        """Define an attribute vector and make it the active one, as the Attributes dock does; ``alpha`` moves along it.

        The groups: class ``toward`` vs class ``away`` (None: the rest); an attribute ``column``
        (``split``: None for 1 vs 0, ``"median"``, or a threshold); a pixel statistic
        (``pixels="ink"``, ``"width"``, ``"height"``); or ``samples=(indices, indices or None)``.
        With no groups, ``alpha`` moves along the active vector.
        """
        from .groups import groups_of

        self.wait()
        groups = groups_of(self.session, toward, away, column, split, pixels, samples)
        state = self.session.attributes
        if groups is None:
            if alpha is None or state.active is None:
                raise VaeExplorerError("vector: give the groups (toward=, column=, pixels= or samples=)")
            state.set_alpha(float(alpha))
            return self

        def keep(vector: AttributeVector) -> None:
            state.add_defined(vector)
            if alpha is not None:
                state.set_alpha(float(alpha))

        self.window.work.features.define_vector(name, groups, keep, balance)
        return self

    def set_view(self, view: str) -> Viewer:
        """Show the maps as ``pca``, ``tsne`` or ``umap`` (both made in the background), or ``latent`` (2-D latents)."""
        if view not in self.session.available_views():
            raise VaeExplorerError(f"view: {view!r} is not one of {', '.join(self.session.available_views())} here")
        self.session.set_view(view)
        return self

    # -- reading ----------------------------------------------------------------------------------
    def codes(self, slot: str = "vae") -> MapCodes:
        """``slot``'s (``"ae"`` or ``"vae"``) codes of the data and the points of its map in the current view."""
        name = slot_of(slot)
        self.wait()
        s, projection = self.session.slots[name], self.session.projection(name)
        if s.codes is None or projection is None:
            raise VaeExplorerError(f"{slot}: no model is shown there")
        logvar = None if s.codes.logvar is None else s.codes.logvar.copy()
        return MapCodes(s.codes.mu.copy(), logvar, np.asarray(projection.points).copy(), self.session.view)

    def screenshot(self, path: str | Path, part: str = "window") -> Path:
        """Save a picture of the window (``part="maps"``: of the maps alone) once its work is done."""
        if part not in ("window", "maps"):
            raise VaeExplorerError(f"part: {part!r} is not 'window' or 'maps'")
        self.wait()
        widget: QWidget = self.window if part == "window" else self.window.explorer.maps[SLOTS[0]].parentWidget()
        write_picture(widget, path)
        return Path(path)

    def close(self) -> None:
        """Close the window (its workers stop)."""
        self.window.close()
