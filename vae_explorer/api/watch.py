"""Watching a model train: a small helper a training loop calls to update a viewer every few epochs.

Plain PyTorch: ``watch.step(model)`` (or ``watch(epoch, model)``) after each epoch.
PyTorch Lightning: ``Trainer(callbacks=[watch])``; Lightning calls ``on_train_epoch_end``,
and when Lightning is loaded a Watch is one of its callbacks. Lightning is never imported
here: it stays optional.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

LIGHTNING_MODULES = ("lightning.pytorch", "pytorch_lightning")


def lightning_callback() -> type | None:
    """Lightning's ``Callback`` class when the caller has imported Lightning, else None."""
    for name in LIGHTNING_MODULES:
        module = sys.modules.get(name)
        if module is not None and isinstance(getattr(module, "Callback", None), type):
            return module.Callback
    return None


class Watch:
    """Update ``viewer``'s ``slot`` (``"vae"`` or ``"ae"``) with the model every ``every`` epochs.

    Between updates it lets the window handle its events, so the window stays live during a
    loop in a script; ``wait``: each update waits until the maps are made again (for pictures).
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Watch:
        base = lightning_callback()
        if base is not None and not issubclass(cls, base):
            cls = _joined(cls, base)
        return super().__new__(cls)

    def __init__(self, viewer: Any, every: int = 1, slot: str = "vae", wait: bool = False) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            from vae_explorer.core.errors import VaeExplorerError

            raise VaeExplorerError(f"every: a whole number of epochs of 1 or more, not {every!r}")
        self.viewer, self.every, self.slot, self.wait = viewer, every, slot, wait
        self.epochs = 0
        self.updates = 0

    def step(self, model: Any) -> bool:
        """One epoch of ``model`` has ended: update the viewer on every ``every``-th; whether it did."""
        self.epochs += 1
        due = self.epochs % self.every == 0
        if due:
            self.viewer.update(**{self.slot: model})
            self.updates += 1
            if self.wait:
                self.viewer.wait()
        self.viewer.process_events()
        return due

    def __call__(self, epoch: int, model: Any) -> bool:
        """``watch(epoch, model)`` at the end of each epoch: :meth:`step`."""
        return self.step(model)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        """Lightning's hook at the end of each training epoch: the module is the model."""
        self.step(pl_module)


@functools.cache
def _joined(cls: type, base: type) -> type:
    """``cls`` that is also a ``base`` (Lightning's callback, whose other hooks then do nothing)."""
    return type(cls.__name__, (cls, base), {"__module__": cls.__module__})
