"""The start-up pair, shown from the cache before torch is imported; the networks load on a worker after.

A checkpoint opened before left a card of what names it (:mod:`vae_explorer.core.model.pending`),
so the window shows both models, their cached codes and maps with numpy alone. Once both
maps are in (or as soon as anything needs a network: a cursor to decode, codes not
cached), a worker imports torch and loads the networks, and the status bar says
"Loading models…" meanwhile. Without cards (a first launch, a model file) the pair
opens as any pair does.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.pending import PendingNetwork, pending_model
from vae_explorer.core.model.shipped import StartupChoice
from vae_explorer.core.session import SLOTS, Session

from ..tasks import TaskRunner, TaskState
from .opener import Opener, load_data, load_model_file

LOADING_TITLE = "Loading models…"  # the task, beside the progress bar
LOADING_NOTE = "loading models… (the maps are from the cache; the cursors decode once the models are in)"


class QuickStart(QObject):
    """Opens the start-up pair from the models' cards, then loads their networks in the background."""

    def __init__(self, session: Session, runner: TaskRunner, opener: Opener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner, self.opener = session, runner, opener

    def open_startup(
        self, choice: StartupChoice, data_dir: str | None, split: str, test_fraction: float | None, size: int | None
    ) -> None:
        """Show the pair from its cards when both are kept, else open it as :meth:`Opener.open_pair` does."""
        left, right, data, reason = str(choice.left), str(choice.right), choice.data, choice.reason
        wanted = threading.Event()  # set: load the networks now
        device = self.session.device_name

        def work(state: TaskState):
            a, b = (pending_model(path, device, wanted) for path in (left, right))
            if a is None or b is None:
                return None
            return a, b, load_data([a, b], data, split, data_dir, test_fraction, size)

        def done(result) -> None:
            if result is None:  # no cards: the networks load first, as on a first launch
                self.opener.open_pair(left, right, data, split, data_dir, reason, test_fraction, size)
                return
            a, b, dataset = result
            self.opener.show_pair(left, right, a, b, dataset, reason)
            self.session.say(LOADING_NOTE)
            self._load_when_wanted(dict(zip(SLOTS, (a, b), strict=True)), wanted)

        self.runner.start("open", f"Loading {Path(left).name} and {Path(right).name}", work, done)

    def _load_when_wanted(self, shown: dict[str, LoadedModel], wanted: threading.Event) -> None:
        """Load the networks of ``shown`` on a worker once ``wanted``: after both maps are in, or when one is needed."""
        session = self.session

        def maps_in(slot: str) -> None:
            if all(s.codes is not None for s in session.slots.values()):
                session.codes_changed.disconnect(maps_in)
                QTimer.singleShot(0, wanted.set)  # after this turn of the event loop: the maps are painted by then

        session.codes_changed.connect(maps_in)
        paths = {slot: str(model.path) for slot, model in shown.items()}

        def work(state: TaskState) -> tuple[dict[str, LoadedModel], dict[str, str]]:
            loaded, failed = {}, {}
            try:
                while not wanted.wait(0.05):
                    state.check()
                for slot, path in paths.items():
                    try:  # the device is resolved (torch imported) here, off the window's thread
                        loaded[slot] = load_model_file(path, session.device)
                    except VaeExplorerError as exc:  # the other model still loads
                        failed[slot] = str(exc)
                        _give_up(shown[slot])
            except BaseException:
                for model in shown.values():
                    _give_up(model)
                raise
            return loaded, failed

        def done(result: tuple[dict[str, LoadedModel], dict[str, str]]) -> None:
            loaded, failed = result
            for slot, model in loaded.items():
                session.model_arrived(slot, shown[slot], model)
            for slot in failed:  # a model whose network cannot load is not shown as if it could decode
                if session.slots[slot].model is shown[slot]:
                    session.drop_model(slot)
            for model in shown.values():  # replaced meanwhile: nothing may wait on it any longer
                _give_up(model)
            if failed:
                session.report("; ".join(dict.fromkeys(failed.values())))  # a device missing: said once
            elif loaded:  # the loading note is done with
                session.say(f"{' and '.join(model.name for model in loaded.values())} loaded: the cursors decode")

        self.runner.start("models", LOADING_TITLE, work, done)


def _give_up(model: LoadedModel) -> None:
    """Whatever waits on ``model``'s network stops quietly (its error, if any, is said once, by the window)."""
    if isinstance(model.net, PendingNetwork):
        model.net.fail()
