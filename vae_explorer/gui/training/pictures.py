"""Each epoch's pictures, drawn on a worker from the checkpoint the child has just written.

The KL bars come straight from the epoch's JSON line; reconstructions, prior
samples and the 2-D latent map need the model, so a worker loads the checkpoint
and draws them, the newest request replacing one not yet done.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

from vae_explorer.core.training.preview import EpochPreview, epoch_preview
from vae_explorer.core.training.run_data import load_split
from vae_explorer.core.training.settings import TrainConfig

from ...core.data import Dataset
from ..tasks import TaskRunner, TaskState
from .plots import KlBars
from .preview import LatentMap, PreviewImages


class EpochPictures(QSplitter):
    """KL per dimension, reconstructions and prior samples, and the latent map, side by side.

    Signals: ``sigDrawn(preview, initial)`` after a checkpoint's pictures are shown
    (``initial``: the file a resumed run starts from); ``sigFailed(message)``.
    """

    sigDrawn = Signal(object, bool)
    sigFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.runner = TaskRunner(self)  # its own: these do not flash in the window's status bar
        self.kl_bars = KlBars()
        self.images = PreviewImages()
        self.latent_map = LatentMap()
        for w in (self.kl_bars, self.images, self.latent_map):
            self.addWidget(w)
        self.setSizes([300, 360, 300])
        self._token: object = None
        self._data: tuple[tuple[str, str | None, float | None], Dataset] | None = None
        self._data_lock = threading.Lock()

    def clear(self, token: object, latent_dim: int) -> None:
        """Blank pictures for a new run; results for any other ``token`` are dropped from now on."""
        self._token = token
        self.runner.cancel("epoch-pictures")
        self.kl_bars.clear()
        self.images.clear()
        self.latent_map.clear(latent_dim)

    def request(self, path: str, cfg: TrainConfig, initial: bool = False) -> None:
        """Draw the checkpoint at ``path`` over the test split of ``cfg``'s data (with its test fraction)."""
        token = self._token

        def work(task: TaskState) -> EpochPreview:
            return epoch_preview(path, self._test_data(cfg), cancel=task.cancel)

        def done(p: EpochPreview) -> None:
            if token is not self._token:
                return  # a newer run is shown
            self.images.show_preview(p)
            if p.latent is not None:
                self.latent_map.show_codes(p.latent, p.labels, p.is_vae, p.epoch)
            self.sigDrawn.emit(p, initial)

        def failed(message: str) -> None:
            if token is self._token:
                self.sigFailed.emit(f"cannot draw the epoch's pictures: {message}")

        self.runner.start("epoch-pictures", "Drawing the epoch's pictures", work, done, on_failed=failed)

    def _test_data(self, cfg: TrainConfig) -> Dataset:
        """The run's test split, loaded once per data set and split (on the worker)."""
        key = (cfg.data, cfg.data_dir, cfg.test_fraction)
        with self._data_lock:
            if self._data is not None and self._data[0] == key:
                return self._data[1]
        data = load_split(cfg.data, "test", cfg.data_dir, cfg.test_fraction)
        with self._data_lock:
            self._data = (key, data)
        return data

    def shutdown(self) -> None:
        self.runner.shutdown(2.0)
