"""What :func:`vae_explorer.view` and :meth:`Viewer.update` are given, checked and made ready to open.

Everything is checked before anything changes: a bad argument raises one
:class:`VaeExplorerError` line naming it, and an open window is left as it was. Files
(checkpoints, model files, data folders, built-in names) stay names: the window's opener
reads them on a worker, asking before a model file runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from vae_explorer.core.data import Dataset, builtin
from vae_explorer.core.data.arrays import dataset_of
from vae_explorer.core.errors import CheckpointError, DataError, VaeExplorerError
from vae_explorer.core.model.checkpoint import check_image_shape
from vae_explorer.core.model.live import is_live_model, live_model
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.probe import PROBE_IMAGES

SLOT_OF = {"ae": "left", "vae": "right", "left": "left", "right": "right"}  # what the caller calls each side

ModelInput = str | LoadedModel  # a file to open on a worker, or a model ready to show
DataInput = str | Dataset  # a built-in name or folder to open on a worker, or images ready to show


def slot_of(name: str, argument: str = "slot") -> str:
    """``"ae"`` or ``"left"`` -> ``"left"``; ``"vae"`` or ``"right"`` -> ``"right"``."""
    try:
        return SLOT_OF[str(name).strip().lower()]
    except KeyError:
        raise VaeExplorerError(f"{argument}: {name!r} is no side; use 'ae' (left) or 'vae' (right)") from None


def data_input(data: Any, labels: Any = None, names: Any = None, attributes: Any = None) -> DataInput | None:
    """``data`` as the window opens it: a name or folder (kept), or in-memory images (checked, made a Dataset).

    A data frame of ``attributes`` is part of in-memory images; for data opened by name it
    is read once the data is open (:func:`attribute_input`).
    """
    if data is None:
        if labels is not None or names is not None:
            raise DataError("labels: give the images too (data=...)")
        return None
    if isinstance(data, str | Path):
        spec = str(data)
        if builtin(spec) is None and not Path(spec).expanduser().is_dir():
            raise DataError(f"data: {spec!r} is neither a built-in data set nor a folder")
        if labels is not None or names is not None:
            raise DataError("labels: apply to images given as an array, a tensor or a data set, not to a name")
        return spec
    frame = None if isinstance(attributes, str | Path) else attributes
    return dataset_of(data, labels, names, frame)


def attribute_input(attributes: Any, data: DataInput | None) -> Any:
    """What is left to read once the data is open: a table file, or a data frame for data opened by name."""
    if attributes is None or (isinstance(data, Dataset) and not isinstance(attributes, str | Path)):
        return None
    if data is None:
        raise DataError("attributes: give the images too (data=...)")
    return str(attributes) if isinstance(attributes, str | Path) else attributes


def model_input(value: Any, argument: str, device: torch.device, data: DataInput | None) -> ModelInput | None:
    """A model argument as the window opens it: a file (checked to exist), or a model tried on the images."""
    if value is None:
        return None
    if not is_live_model(value):
        path = Path(value).expanduser()
        if not path.is_file():
            raise CheckpointError(f"{argument}: no checkpoint or model file at {value}")
        return str(path)
    if not isinstance(data, Dataset):
        return live_model(value, argument, device)
    model = live_model(value, argument, device, data.image_shape, data.images[:PROBE_IMAGES])
    check_image_shape(model, data.image_shape, "the data")  # a checkpoint's model is built for its own images
    return model


@dataclass
class Inputs:
    """Both sides' models (None: left empty or as it was) and the data, ready for the window."""

    left: ModelInput | None
    right: ModelInput | None
    data: DataInput | None
    attributes: Any = None  # read once the data is open: a table file or a data frame

    @property
    def live(self) -> bool:
        """Whether anything was handed over in memory (it cannot be reopened from a file)."""
        return any(isinstance(v, LoadedModel | Dataset) for v in (self.left, self.right, self.data))


def prepare(
    ae: Any, vae: Any, data: Any, labels: Any, names: Any, attributes: Any, device: torch.device, shown: Any = None
) -> Inputs:
    """Check and convert every argument (data first: the models are tried on it); ``shown``: the data on show."""
    dataset = data_input(data, labels, names, attributes)
    table = attribute_input(attributes, dataset)
    target = dataset if dataset is not None else shown
    return Inputs(model_input(ae, "ae", device, target), model_input(vae, "vae", device, target), dataset, table)
