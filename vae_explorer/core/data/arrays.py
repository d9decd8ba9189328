"""Images handed over from Python as a :class:`Dataset`: numpy arrays, torch tensors, torchvision data sets.

What ``vae_explorer.view(data=..., labels=..., names=..., attributes=...)`` takes besides
a built-in name or a folder. Nothing here imports pandas or torchvision: a data frame, a
series or a tensor is read through what it offers (``to_numpy``, ``detach``). Every check
raises one :class:`DataError` line that names the argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import DataError
from .attribute_table import AttributeTable
from .dataset import Dataset

SOURCE = "Python"


def as_array(value: Any, argument: str) -> np.ndarray:
    """A numpy array of ``value``: an array, a torch tensor (any device), a pandas object or a sequence."""
    if callable(getattr(value, "detach", None)):  # a torch tensor
        value = value.detach().cpu().numpy()
    elif callable(getattr(value, "to_numpy", None)):  # a pandas series or data frame
        value = value.to_numpy()
    try:
        return np.asarray(value)
    except Exception as exc:  # noqa: BLE001 - ragged sequences and odd objects
        raise DataError(f"{argument}: cannot be read as an array ({exc.__class__.__name__}: {exc})") from None


def images_of(value: Any, argument: str = "data") -> np.ndarray:
    """Images ``(N, H, W)`` or ``(N, C, H, W)``, uint8 or float in [0, 1] -> ``uint8 (N, C, H, W)``."""
    a = as_array(value, argument)
    if a.ndim == 3:
        a = a[:, None]
    if a.ndim != 4:
        raise DataError(f"{argument}: images of shape {a.shape} where (N, H, W) or (N, C, H, W) was expected")
    if not len(a):
        raise DataError(f"{argument}: holds no images")
    if not 1 <= a.shape[1] <= 4:
        raise DataError(
            f"{argument}: {a.shape[1]} channels in images of shape {a.shape} (N, C, H, W) where 1 to 4 were expected; "
            "channels-last images need x.transpose(0, 3, 1, 2)"
        )
    if a.dtype == np.uint8:
        return np.ascontiguousarray(a)
    if a.dtype == np.bool_:
        return a.astype(np.uint8) * np.uint8(255)
    if not np.issubdtype(a.dtype, np.floating):
        raise DataError(f"{argument}: {a.dtype} images where uint8 (0 to 255) or floats in [0, 1] were expected")
    finite = np.isfinite(a)
    if not finite.all():
        raise DataError(f"{argument}: {int((~finite).sum()):,} of {a.size:,} values are NaN or infinite")
    low, high = float(a.min()), float(a.max())
    if low < 0.0 or high > 1.0:
        raise DataError(
            f"{argument}: float values from {low:.3g} to {high:.3g}, outside [0, 1]; scale them to [0, 1] or give uint8"
        )
    return np.round(a.astype(np.float32) * 255.0).astype(np.uint8)


def labels_of(value: Any, n: int, names: Any = None) -> tuple[np.ndarray, list[str]]:
    """Labels of ``n`` images (integers, text, or a pandas categorical) -> ``((n,) int64, label names)``.

    ``names``: the classes' names, a sequence indexed by label or a mapping from label to name.
    """
    found: list[str] | None = None
    if str(getattr(value, "dtype", "")) == "category":  # a pandas categorical: its categories, in their order
        found = [str(c) for c in value.cat.categories]
        value = value.cat.codes
    a = as_array(value, "labels")
    if a.ndim != 1:
        raise DataError(f"labels: shape {a.shape} where ({n:,},) was expected")
    if len(a) != n:
        raise DataError(f"labels: {len(a):,} labels for {n:,} images")
    if np.issubdtype(a.dtype, np.floating) and np.isfinite(a).all() and (a == np.round(a)).all():
        a = a.astype(np.int64)
    if np.issubdtype(a.dtype, np.integer) or a.dtype == np.bool_:
        labels = a.astype(np.int64)
        if n and labels.min() < 0:
            raise DataError(f"labels: {int(labels.min())} is no class; labels are 0 or more (or text)")
        classes = found or [str(k) for k in range(int(labels.max()) + 1 if n else 0)]
    elif a.dtype.kind in "USO":
        classes, inverse = np.unique(a.astype(str), return_inverse=True)
        labels, classes = inverse.astype(np.int64).reshape(-1), [str(c) for c in classes]
    else:
        raise DataError(f"labels: {a.dtype} values where whole numbers or text were expected")
    return labels, class_names(names, classes)


def class_names(names: Any, classes: list[str]) -> list[str]:
    """``classes`` renamed by ``names`` (a sequence indexed by label, or a mapping label -> name)."""
    if names is None:
        return classes
    if isinstance(names, Mapping):
        return [str(names.get(k, names.get(c, c))) for k, c in enumerate(classes)]
    if isinstance(names, str) or not isinstance(names, Sequence | np.ndarray):
        raise DataError(f"names: a list of class names or a mapping from label to name, not a {type(names).__name__}")
    if len(names) < len(classes):
        raise DataError(f"names: {len(names)} names for {len(classes)} classes")
    return [str(v) for v in names]


def table_of(frame: Any, n: int) -> AttributeTable:
    """A data frame with one row per image -> its numeric and true/false columns as an attribute table."""
    columns = getattr(frame, "columns", None)
    if columns is None or not callable(getattr(frame, "__getitem__", None)):
        raise DataError(f"attributes: a data frame (pandas) or a table file, not a {type(frame).__name__}")
    if len(frame) != n:
        raise DataError(f"attributes: {len(frame):,} rows for {n:,} images")
    names, values, skipped = [], [], []
    for column in columns:
        v = as_array(frame[column], "attributes")
        if v.dtype == np.bool_ or np.issubdtype(v.dtype, np.number):
            names.append(str(column))
            values.append(v.astype(np.float32))
        else:
            skipped.append(str(column))
    if not names:
        raise DataError(f"attributes: none of its {len(columns)} columns holds numbers or true/false")
    note = f"{len(names)} columns" + (f"; not numbers, left out: {', '.join(skipped)}" if skipped else "")
    return AttributeTable(names, np.stack(values, axis=1), "a data frame", note)


def is_data_set(value: Any) -> bool:
    """A data set of items (torchvision's kind) rather than an array: it has items and a length, but no shape."""
    return (
        not hasattr(value, "shape")
        and not isinstance(value, str | bytes | list | tuple)
        and callable(getattr(value, "__getitem__", None))
        and callable(getattr(value, "__len__", None))
    )


def _item_image(item: Any) -> np.ndarray:
    image = item[0] if isinstance(item, tuple | list) else item
    a = as_array(image, "data")
    if a.ndim == 2:
        return a[None]
    if a.ndim == 3 and a.shape[-1] in (1, 3, 4) and a.shape[0] not in (1, 3, 4):  # a PIL image: (H, W, C)
        return a.transpose(2, 0, 1)
    return a


def items_of(data: Any) -> tuple[Any, np.ndarray | None, list[str] | None]:
    """A torchvision data set -> ``(images, labels or None, class names or None)``, read as it is indexed.

    MNIST-like sets hand over their arrays (``data``, ``targets``) without a pass over their items.
    """
    classes = getattr(data, "classes", None)
    classes = [str(c) for c in classes] if isinstance(classes, Sequence) and classes else None
    images, targets = getattr(data, "data", None), getattr(data, "targets", None)
    if images is not None and getattr(images, "ndim", 0) == 3 and targets is not None:
        return images, as_array(targets, "data"), classes
    try:
        items = [data[i] for i in range(len(data))]
    except Exception as exc:  # noqa: BLE001 - the caller's data set
        raise DataError(f"data: reading its items failed ({exc.__class__.__name__}: {exc})") from None
    if not items:
        raise DataError("data: holds no images")
    pictures = [_item_image(item) for item in items]
    shapes = sorted({p.shape for p in pictures})
    if len(shapes) > 1:
        raise DataError(f"data: its images differ in shape ({', '.join(map(str, shapes[:3]))}); resize them alike")
    has_labels = all(isinstance(item, tuple | list) and len(item) > 1 for item in items)
    labels = as_array([item[1] for item in items], "labels") if has_labels else None
    return np.stack(pictures), labels, classes


def dataset_of(data: Any, labels: Any = None, names: Any = None, attributes: Any = None) -> Dataset:
    """Images from Python (an array, a tensor or a torchvision data set) with their labels, names and attributes."""
    name, classes = "array", None
    if is_data_set(data):
        name = type(data).__name__
        data, found, classes = items_of(data)
        labels = found if labels is None else labels
    images = images_of(data)
    n = len(images)
    if labels is not None:
        label_array, label_names = labels_of(labels, n, names if names is not None else classes)
    elif names is not None:
        raise DataError("names: name the classes of labels; give labels=... as well")
    else:
        label_array, label_names = None, []
    table = None if attributes is None else table_of(attributes, n)
    return Dataset(name, "all", images, label_array, label_names, SOURCE, attributes=table)
