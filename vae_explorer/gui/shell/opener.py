"""Opening models and data in the background: File > Open pair, Open model, Open data, Open recent,
the command line's pair and the Train tab's "Open on the left / right" all come here.

A checkpoint or a model file is read, its model built and tried on a few images on a worker (a model or images
handed over from Python are tried alike); the session changes, on the GUI thread, only when all of it worked and
fits what is on show. A file that fails in any way leaves the window as it was. A model file runs only once the
user trusts it (asked here, on the GUI thread, before any of its code runs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, DataError, VaeExplorerError
from vae_explorer.core.io.trust import TrustPolicy, TrustStore, file_key
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.named_data import load_named_data, same_data
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.model.pending import remember_card
from vae_explorer.core.model.probe import PROBE_IMAGES, probe_model
from vae_explorer.core.model.user_model import ModelSource, is_model_file, read_model_file

from ...core.session import SLOTS, Session
from ..tasks import TaskRunner, TaskState

# Asks the user whether model files may run, and calls back with the answer (True: yes).
AskTrust = Callable[[list[ModelSource], Callable[[bool], None]], None]
# Asks whether a model trained on the data ``spec`` opens with it or on the data on show: "own", "shown" or "".
AskData = Callable[[LoadedModel, str, Dataset | None, Callable[[str], None]], None]
ModelInput, DataInput = str | LoadedModel, str | Dataset  # a file (or a data set's name), or one from Python
ASKED_HINT = "open it from the window to be asked, or launch vae-explorer with --trust"
OPEN_DATA_HINT = "choose one with Open data"


def load_model_file(path: str, device, trust: TrustPolicy | None = None) -> LoadedModel:
    """Open a checkpoint or a model file and build its model (runs on a worker).

    Whatever is wrong with the file, foreseen by the reader or not (metadata or config
    values of the wrong type, say), ends as one :class:`CheckpointError` naming it.
    """
    try:
        model = open_model(path, device, trust)
        _ = model.title  # what the window shows of the metadata: read it now
        remember_card(model)  # what names it, for the next launch to show it before its network loads
    except VaeExplorerError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unforeseen defect of the file, with the cause as details
        raise CheckpointError(f"{path}: cannot be opened ({exc.__class__.__name__}: {exc})") from exc
    return model


def try_on_data(model: LoadedModel, dataset: Dataset | None) -> None:
    """Encode and decode the first images of ``dataset``; refuse a model that fails on them (:mod:`probe`).

    A model with NaN weights would otherwise replace a slot and then fail in the map's
    SVD. A data set of another image shape is left to the session's own check.
    """
    if dataset is None or not len(dataset) or model.image_shape != dataset.image_shape:
        return
    probe_model(model, dataset.images[:PROBE_IMAGES], dataset.name)


def load_data(
    models: list[LoadedModel],
    spec: DataInput,
    split: str,
    data_dir: str | None = None,
    test_fraction: float | None = None,
    image_size: int | None = None,
) -> Dataset:
    """A data set to show (runs on a worker): ``spec``, or the one the models name, with their split.

    The test fraction, unless given, is the one the models were trained with;
    a data set with no images is refused, there is nothing to map. Images in memory are used as they are.
    """
    if isinstance(spec, Dataset):
        return spec
    dataset = load_named_data(models, spec, split, data_dir, test_fraction, image_size, OPEN_DATA_HINT)
    if not len(dataset):
        raise DataError(f"{dataset.name}: the {split} split holds no images")
    return dataset


class Opener(QObject):
    """Opens pairs, single models and data sets on workers for one session.

    Signals: ``sigOpened(text)`` after anything opened, with a line saying what is on
    show; ``sigPairOpened(left, right, data)`` after a pair opened (for Open recent);
    ``sigModelOpened(slot, path)`` after one model opened.

    A model file runs only when trusted: ``trust_all`` (``--trust``), a yes kept in
    ``store``, or a yes to ``ask_trust`` (then kept); without ``ask_trust`` (no one to
    ask, as for a screenshot) an untrusted file is refused.
    """

    sigOpened = Signal(str)
    sigPairOpened = Signal(str, str, str)
    sigModelOpened = Signal(str, str)

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QObject | None = None,
        trust_all: bool = False,
        store: TrustStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.trust_all, self.store = trust_all, store or TrustStore()
        self.ask_trust: AskTrust | None = None
        self.ask_data: AskData | None = None

    def _with_trust(self, paths: list[str], then: Callable[[TrustPolicy], None]) -> None:
        """Call ``then(policy)`` once the model files among ``paths`` may run; at once if there are none.

        The files (and the modules beside them) are read and hashed on a worker, the
        question is asked here, and the worker that opens them runs only the content
        that was trusted.
        """
        if self.trust_all:
            then(TrustPolicy(allow_any=True))
            return
        files = [p for p in paths if is_model_file(p)]
        if not files:
            then(TrustPolicy(hint=ASKED_HINT))
            return
        names = " and ".join(Path(p).name for p in files)
        self.runner.start(
            "trust",
            f"Reading {names}",
            lambda state: [read_model_file(p) for p in files],
            lambda sources: self._ask(sources, then),
        )

    def _ask(self, sources: list[ModelSource], then: Callable[[TrustPolicy], None]) -> None:
        """Ask about the files not trusted yet (none: go on at once)."""
        policy = TrustPolicy(approved={file_key(s.path): s.digest for s in sources}, hint=ASKED_HINT)
        unknown = [s for s in sources if not self.store.trusted(s.path, s.digest)]
        if not unknown:
            then(policy)
        elif self.ask_trust is None:
            self.session.report(f"{unknown[0].path}: a model file runs the Python code in it; {ASKED_HINT}")
        else:
            self.ask_trust(unknown, lambda yes: self._answered(unknown, yes, policy, then))

    def _answered(
        self, sources: list[ModelSource], yes: bool, policy: TrustPolicy, then: Callable[[TrustPolicy], None]
    ) -> None:
        if not yes:
            names = " and ".join(s.path.name for s in sources)
            self.session.say(f"not opened: {names} (its code was not trusted)")
            return
        try:
            for s in sources:
                self.store.remember(s.path, s.digest)
        except VaeExplorerError as exc:  # the yes holds for now, but will be asked again
            self.session.report(str(exc))
        then(policy)

    def open_pair(
        self,
        left: ModelInput,
        right: ModelInput,
        data: DataInput = "",
        split: str = "test",
        data_dir: str | None = None,
        reason: str = "",
        test_fraction: float | None = None,
        image_size: int | None = None,
        check: Callable[[LoadedModel, LoadedModel, Dataset], None] | None = None,
    ) -> None:
        """Load both models and the data (by default the one they name: see ``named_data``), then show them.

        ``check(left, right, data)``, on the worker, may refuse them (raise) before anything on show changes.
        """
        self._with_trust(
            [m for m in (left, right) if isinstance(m, str)],
            lambda trust: self._open_pair(
                left, right, trust, data, split, data_dir, reason, test_fraction, image_size, check
            ),
        )

    def _open_pair(
        self,
        left: ModelInput,
        right: ModelInput,
        trust: TrustPolicy,
        data: DataInput,
        split: str,
        data_dir: str | None,
        reason: str,
        test_fraction: float | None,
        image_size: int | None,
        check: Callable[[LoadedModel, LoadedModel, Dataset], None] | None = None,
    ) -> None:
        def work(state: TaskState):
            device = self.session.device  # resolved on the worker: it imports torch
            a, b = (m if isinstance(m, LoadedModel) else load_model_file(m, device, trust) for m in (left, right))
            dataset = load_data([a, b], data, split, data_dir, test_fraction, image_size)
            for model in (a, b):
                try_on_data(model, dataset)
            if check is not None:
                check(a, b, dataset)
            return a, b, dataset

        def done(result) -> None:
            self.show_pair(left, right, *result, reason, data)

        for slot in SLOTS:  # the pair replaces both sides: a single model still loading would be stale
            self.runner.cancel(f"open-{slot}")
        names = [m.name if isinstance(m, LoadedModel) else Path(m).name for m in (left, right)]
        self.runner.start("open", f"Loading {names[0]} and {names[1]}", work, done)

    def show_pair(
        self,
        left: ModelInput,
        right: ModelInput,
        a: LoadedModel,
        b: LoadedModel,
        dataset: Dataset,
        reason: str,
        data: DataInput = "",
    ) -> None:
        """Show a pair that has opened (raises unless all three fit) and say so; files are kept for Open recent."""
        self.session.open_pair(a, b, dataset)
        if all(isinstance(x, str) for x in (left, right, data)):  # files, to open again from Open recent
            self.sigPairOpened.emit(left, right, dataset.name)
        self.sigOpened.emit(f"{a.name} and {b.name} on {dataset.description}" + (f": {reason}" if reason else ""))
        self._say_notes(dataset)

    def open_model(self, slot: str, path: str, own_data: bool = False, renew: bool = False) -> None:
        """Load one checkpoint or model file into ``slot``; it must fit the data and the model beside it.

        ``own_data``: a model whose metadata names other data than is on show (a run of the
        Train tab) is offered with that data, as ``ask_data`` answers. ``renew``: the one on show, retrained.
        """
        self._with_trust([path], lambda trust: self._open_model(slot, path, trust, own_data, renew))

    def _open_model(self, slot: str, path: str, trust: TrustPolicy, own_data: bool, renew: bool = False) -> None:
        dataset = self.session.dataset

        def work(state: TaskState):
            model = load_model_file(path, self.session.device, trust)
            try_on_data(model, dataset)
            return model

        def done(model: LoadedModel) -> None:
            spec = str(model.metadata.get("data") or "")
            shown = self.session.dataset
            if own_data and spec and self.ask_data is not None and (shown is None or not same_data(spec, shown.name)):
                self.ask_data(model, spec, shown, lambda answer: self._answered_data(slot, path, model, spec, answer))
                return
            self._put_model(slot, path, model, renew)

        self.runner.start(f"open-{slot}", f"Loading {Path(path).name}", work, done)

    def _put_model(self, slot: str, path: str, model: LoadedModel, renew: bool = False) -> None:
        (self.session.renew_model if renew else self.session.set_model)(slot, model)  # raises unless it fits
        self.sigModelOpened.emit(slot, path)
        self.sigOpened.emit(f"{model.name} opened on the {slot}")

    def _answered_data(self, slot: str, path: str, model: LoadedModel, spec: str, answer: str) -> None:
        """Open the model as the user chose: with the data it was trained on, on the data on show, or not at all."""
        if answer == "own":
            self._open_on_its_data(slot, path, model, spec)
        elif answer == "shown":
            try:
                self._put_model(slot, path, model)
            except VaeExplorerError as exc:
                self.session.report(str(exc))
        else:
            self.session.say(f"not opened: {model.name}")

    def _open_on_its_data(self, slot: str, path: str, model: LoadedModel, spec: str) -> None:
        """Load ``spec`` as the model was trained on it (its test split), then show the model on it."""

        def work(state: TaskState) -> Dataset:
            dataset = load_data([model], spec, "test")
            try_on_data(model, dataset)
            return dataset

        def done(dataset: Dataset) -> None:
            gone = self.session.open_on_its_data(slot, model, dataset)  # raises unless they fit
            self.sigModelOpened.emit(slot, path)
            text = f"{model.name} opened on the {slot} with {dataset.description}"
            if gone is not None:
                _, h, w = gone.image_shape
                text += f"; {gone.name} left the other side: it reads {h}x{w} images"
            self.sigOpened.emit(text)
            self._say_notes(dataset)

        self.runner.start(f"open-{slot}", f"Loading {spec} for {model.name}", work, done)

    def open_data(
        self, spec: str, split: str = "test", test_fraction: float | None = None, image_size: int | None = None
    ) -> None:
        """Load a data set to show with the models on show; it must have their image shape.

        Without a test fraction, a folder is split as the models on show were trained on it.
        """
        models = [s.model for s in self.session.slots.values() if s.model is not None]

        def done(dataset: Dataset) -> None:
            self.session.set_dataset(dataset)  # raises unless it fits
            self.sigOpened.emit(f"data: {dataset.description}")
            self._say_notes(dataset)

        def work(state: TaskState) -> Dataset:
            return load_data(models, spec, split, None, test_fraction, image_size)

        self.runner.start("open", f"Loading {spec}", work, done)

    def _say_notes(self, dataset: Dataset) -> None:
        """What the data's reader wants the user to know (images resized, a table left unread)."""
        if dataset.notes:
            self.session.say("; ".join(dataset.notes))
