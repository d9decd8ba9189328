"""The maps' shared marks without a window: colours by class or attribute, hidden classes, found samples."""

import numpy as np
import pytest

from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.errors import DataError
from vae_explorer.core.latent.marks import MapMarks


def letters_data():
    labels = np.array([0, 0, 1, 1, 2, 2])
    table = AttributeTable(["bold", "weight"], np.array([[1, 0.5], [0, 2], [1, 1], [0, 4], [1, 3], [0, 0]], np.float32))
    data = Dataset("letters", "all", np.zeros((6, 1, 4, 4), np.uint8), labels, ["A", "B", "C"], "test")
    data.attributes = table
    return data


def test_colours_by_class_by_a_binary_or_by_a_numeric_column():
    marks, seen = MapMarks(), []
    marks.changed.connect(seen.append)
    marks.data_replaced(letters_data())
    assert marks.colouring().kind == "class" and marks.columns() == ["bold", "weight"]
    marks.set_colour_by("bold")
    colouring = marks.colouring()
    assert colouring.kind == "binary" and colouring.values.tolist() == [1, 0, 1, 0, 1, 0]
    marks.set_colour_by("weight")
    colouring = marks.colouring()
    assert (colouring.kind, colouring.low, colouring.high) == ("numeric", 0.0, 4.0)
    assert colouring.unit().tolist() == [0.125, 0.5, 0.25, 1.0, 0.75, 0.0]
    with pytest.raises(DataError, match="no attribute named 'italic' .* its columns are bold, weight"):
        marks.set_colour_by("italic")
    marks.table_replaced(AttributeTable(["other"], np.zeros((6, 1), np.float32)))
    assert marks.colour_by is None and seen.count("colour") >= 4  # the column went with its table


def test_hiding_and_isolating_classes():
    marks = MapMarks()
    marks.data_replaced(letters_data())
    assert marks.visible() is None
    marks.toggle_class(1)
    assert marks.visible().tolist() == [True, True, False, False, True, True]
    marks.isolate_class(2)
    assert marks.visible().tolist() == [False, False, False, False, True, True]
    marks.isolate_class(2)  # again: every class
    assert marks.visible() is None
    marks.toggle_class(0)
    marks.data_replaced(letters_data())
    assert marks.hidden == frozenset() and len(marks.highlight) == 0
