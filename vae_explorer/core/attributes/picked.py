"""What a selection of samples holds: its labels counted, and its samples' names as a list to keep."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.io.safe_write import write_bytes


def label_histogram(data: Dataset, indices: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The class names and how many of ``indices (n,)`` carry each label ``(k,) int64``; none for unlabelled data."""
    if data.labels is None:
        return [], np.zeros(0, dtype=np.int64)
    k = len(data.label_names)
    labels = data.labels[np.asarray(indices, dtype=np.int64)]
    return list(data.label_names), np.bincount(labels, minlength=k)[:k].astype(np.int64)


def sample_names(data: Dataset, indices: np.ndarray) -> list[str]:
    """One line per sample: its file's path in the data's folder, else ``#index`` and its label."""
    return [data.sample_name(int(i)) or data.describe_sample(int(i)) for i in indices]


def export_names(path: str | Path, data: Dataset, indices: np.ndarray) -> None:
    """Write the samples' names to ``path``, one a line (through safe-write: never over anything but a file)."""
    text = "".join(f"{name}\n" for name in sample_names(data, indices))
    write_bytes(path, text.encode("utf-8"))
