"""Opening checkpoints and data in the background: File > Open pair, Open model, Open data, Open recent,
the command line's pair and the Train tab's "Open in explorer" all come here.

A checkpoint is read, its model built and tried on a few images on a worker; the
session changes, on the GUI thread, only when all of it worked and fits what is
on show. A file that fails in any way leaves the window as it was.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PySide6.QtCore import QObject, Signal

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import CheckpointError, DataError, VaeExplorerError
from vae_explorer.core.latent.codes import decode_codes, encode_images
from vae_explorer.core.model.autoencoder import Autoencoder, kind_name
from vae_explorer.core.model.checkpoint import Checkpoint, load_checkpoint
from vae_explorer.core.model.named_data import load_named_data

from ..core.session import SLOTS, Session
from .tasks import TaskRunner, TaskState

OPEN_DATA_HINT = "choose one with Open data"
PROBE_IMAGES = 64  # images a new model encodes and decodes before it may replace one on show


def load_model_file(path: str, device: torch.device) -> tuple[Checkpoint, Autoencoder]:
    """Read a checkpoint and build its model (runs on a worker).

    Whatever is wrong with the file, foreseen by the reader or not (metadata or config
    values of the wrong type, say), ends as one :class:`CheckpointError` naming it.
    """
    try:
        ckpt = load_checkpoint(path, device)
        model = ckpt.build_model(device)
        kind_name(ckpt.config.kind, ckpt.beta)  # what the window shows of the metadata: read it now
    except VaeExplorerError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unforeseen defect of the file, with the cause as details
        raise CheckpointError(f"{path}: cannot be opened ({exc.__class__.__name__}: {exc})") from exc
    return ckpt, model


def try_on_data(ckpt: Checkpoint, model: Autoencoder, dataset: Dataset | None) -> None:
    """Encode and decode the first images of ``dataset``; refuse a model whose numbers are not finite.

    A model with NaN weights would otherwise replace a slot and then fail in the map's
    SVD. A data set of another image shape is left to the session's own check.
    """
    if dataset is None or not len(dataset) or tuple(ckpt.config.image_shape) != dataset.image_shape:
        return
    try:
        codes = encode_images(model, dataset.images[:PROBE_IMAGES])
        arrays = [codes.mu, decode_codes(model, codes.mu)]
    except Exception as exc:  # noqa: BLE001 - weights that fit the config but cannot run
        raise CheckpointError(f"{ckpt.path}: fails on {dataset.name} ({exc.__class__.__name__}: {exc})") from exc
    if codes.logvar is not None:
        arrays.append(codes.logvar)
    if not all(np.isfinite(a).all() for a in arrays):
        raise CheckpointError(f"{ckpt.path}: its model computes NaN or infinite values on {dataset.name}")


def load_data(
    checkpoints: list[Checkpoint],
    spec: str,
    split: str,
    data_dir: str | None = None,
    test_fraction: float | None = None,
    image_size: int | None = None,
) -> Dataset:
    """A data set to show (runs on a worker): ``spec``, or the one the checkpoints name, with their split.

    The test fraction, unless given, is the one the checkpoints were trained with;
    a data set with no images is refused, there is nothing to map.
    """
    dataset = load_named_data(checkpoints, spec, split, data_dir, test_fraction, image_size, OPEN_DATA_HINT)
    if not len(dataset):
        raise DataError(f"{dataset.name}: the {split} split holds no images")
    return dataset


class Opener(QObject):
    """Opens pairs, single models and data sets on workers for one session.

    Signals: ``sigOpened(text)`` after anything opened, with a line saying what is on
    show; ``sigPairOpened(left, right, data)`` after a pair opened (for Open recent);
    ``sigModelOpened(slot, path)`` after one model opened.
    """

    sigOpened = Signal(str)
    sigPairOpened = Signal(str, str, str)
    sigModelOpened = Signal(str, str)

    def __init__(self, session: Session, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner

    def open_pair(
        self,
        left: str,
        right: str,
        data: str = "",
        split: str = "test",
        data_dir: str | None = None,
        reason: str = "",
        test_fraction: float | None = None,
        image_size: int | None = None,
    ) -> None:
        """Load both checkpoints and the data (by default the one they name: see ``named_data``), then show them."""
        device = self.session.device

        def work(state: TaskState):
            a, b = load_model_file(left, device), load_model_file(right, device)
            dataset = load_data([a[0], b[0]], data, split, data_dir, test_fraction, image_size)
            for ckpt, model in (a, b):
                try_on_data(ckpt, model, dataset)
            return a, b, dataset

        def done(result) -> None:
            (ckpt_a, model_a), (ckpt_b, model_b), dataset = result
            self.session.open_pair(ckpt_a, ckpt_b, dataset, (model_a, model_b))  # raises unless all three fit
            self.sigPairOpened.emit(left, right, dataset.name)
            names = f"{Path(left).name} and {Path(right).name}"
            self.sigOpened.emit(f"{names} on {dataset.description}" + (f": {reason}" if reason else ""))
            self._say_notes(dataset)

        for slot in SLOTS:  # the pair replaces both sides: a single model still loading would be stale
            self.runner.cancel(f"open-{slot}")
        self.runner.start("open", f"Loading {Path(left).name} and {Path(right).name}", work, done)

    def open_model(self, slot: str, path: str) -> None:
        """Load one checkpoint into ``slot``; it must fit the data and the model beside it."""
        device, dataset = self.session.device, self.session.dataset

        def work(state: TaskState):
            ckpt, model = load_model_file(path, device)
            try_on_data(ckpt, model, dataset)
            return ckpt, model

        def done(result) -> None:
            self.session.set_model(slot, *result)  # raises unless it fits
            self.sigModelOpened.emit(slot, path)
            self.sigOpened.emit(f"{Path(path).name} opened on the {slot}")

        self.runner.start(f"open-{slot}", f"Loading {Path(path).name}", work, done)

    def open_data(
        self, spec: str, split: str = "test", test_fraction: float | None = None, image_size: int | None = None
    ) -> None:
        """Load a data set to show with the models on show; it must have their image shape.

        Without a test fraction, a folder is split as the models on show were trained on it.
        """
        checkpoints = [s.checkpoint for s in self.session.slots.values() if s.checkpoint is not None]

        def done(dataset: Dataset) -> None:
            self.session.set_dataset(dataset)  # raises unless it fits
            self.sigOpened.emit(f"data: {dataset.description}")
            self._say_notes(dataset)

        def work(state: TaskState) -> Dataset:
            return load_data(checkpoints, spec, split, None, test_fraction, image_size)

        self.runner.start("open", f"Loading {spec}", work, done)

    def _say_notes(self, dataset: Dataset) -> None:
        """What the data's reader wants the user to know (images resized, a table left unread)."""
        if dataset.notes:
            self.session.say("; ".join(dataset.notes))
