"""Images, labels and attribute tables handed over from Python: what is taken, and one line for what is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vae_explorer.core.data.arrays import dataset_of, images_of, labels_of, table_of
from vae_explorer.core.errors import DataError

SHAPES = st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 5), st.integers(1, 5))


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, SHAPES, elements=st.floats(0, 1, width=32)))
def test_floats_in_the_unit_range_become_the_nearest_bytes(x):
    images = images_of(x)
    assert images.dtype == np.uint8 and images.shape == x.shape
    assert np.abs(images.astype(np.float32) / 255 - x).max() <= 0.5 / 255 + 1e-6


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, SHAPES, elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_any_float_images_are_taken_exactly_when_finite_and_in_the_unit_range(x):
    fits = bool(np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1)
    if fits:
        assert images_of(x).shape == x.shape
    else:
        with pytest.raises(DataError) as raised:
            images_of(x)
        assert str(raised.value).startswith("data: ") and "\n" not in str(raised.value)


def test_layouts_dtypes_and_tensors():
    grey = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    assert images_of(grey).shape == (2, 1, 3, 3) and images_of(grey)[1, 0, 2, 2] == 17
    assert images_of(torch.ones(2, 3, 4, 4)).max() == 255  # a tensor, (N, C, H, W) floats
    assert images_of(np.array([[[True, False]]])).tolist() == [[[[255, 0]]]]
    for bad, message in [
        (np.zeros((2, 6, 4, 4), np.float32), "data: 6 channels"),
        (np.zeros((0, 4, 4), np.uint8), "data: holds no images"),
        (np.zeros((4, 4), np.uint8), "data: images of shape (4, 4)"),
        (np.zeros((2, 4, 4), np.int64), "data: int64 images"),
    ]:
        with pytest.raises(DataError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}"):
            images_of(bad)


def test_labels_as_integers_text_or_categories_with_their_names():
    labels, names = labels_of(np.array([2, 0, 2]), 3, ["zero", "one", "two"])
    assert labels.tolist() == [2, 0, 2] and names == ["zero", "one", "two"]
    labels, names = labels_of(pd.Series(["cat", "dog", "cat"]), 3)
    assert labels.tolist() == [0, 1, 0] and names == ["cat", "dog"]
    labels, names = labels_of(pd.Series(["b", "a"], dtype=pd.CategoricalDtype(["b", "a"])), 2)
    assert labels.tolist() == [0, 1] and names == ["b", "a"]
    assert labels_of(torch.tensor([1.0, 0.0]), 2, {1: "yes"})[1] == ["0", "yes"]
    with pytest.raises(DataError, match="^labels: 2 labels for 3 images$"):
        labels_of([0, 1], 3)
    with pytest.raises(DataError, match="^labels: -1 is no class"):
        labels_of([0, -1], 2)


def test_an_attribute_frame_keeps_its_number_and_true_false_columns():
    frame = pd.DataFrame({"smile": [True, False], "age": [30, 41], "name": ["a", "b"]})
    table = table_of(frame, 2)
    assert table.names == ["smile", "age"] and table.values.tolist() == [[1.0, 30.0], [0.0, 41.0]]
    assert "left out: name" in table.note
    with pytest.raises(DataError, match="^attributes: 2 rows for 3 images$"):
        table_of(frame, 3)
    with pytest.raises(DataError, match="^attributes: a data frame"):
        table_of({"smile": [1, 0]}, 2)
    data = dataset_of(np.zeros((2, 4, 4), np.float32), [1, 0], ["no", "yes"], frame)
    assert data.label_names == ["no", "yes"] and data.attributes.names == ["smile", "age"] and len(data) == 2
