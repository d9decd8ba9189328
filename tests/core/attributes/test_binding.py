"""Binding a saved vector to loaded models, remaking vectors for new codes, and the rows of a traversal grid."""

import numpy as np
import pytest

from vae_explorer.core.attributes.binding import Rebind, bind_vector
from vae_explorer.core.attributes.groups import ClassGroups, SelectionGroups
from vae_explorer.core.attributes.vectors import (
    AttributeVector,
    ModelCodes,
    VectorEntry,
    mean_difference,
    traversal_rows,
)
from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import DataError

CODES = np.array([[0, 0], [2, 0], [0, 2], [4, 4], [6, 2]], dtype=np.float32)


def tiny_data():
    images = np.zeros((5, 1, 4, 4), np.uint8)
    return Dataset("tiny", "all", images, np.array([0, 0, 1, 1, 1]), ["zero", "one"], "test")


def saved(groups=None):
    """A vector as read from a file: made with a.pt (2-D AE) and b.pt (3-D VAE)."""
    entries = {
        "left": VectorEntry(np.array([1, 1], np.float32), "a.pt", "da", "ae"),
        "right": VectorEntry(np.array([1, 2, 3], np.float32), "b.pt", "db", "vae"),
    }
    return AttributeVector("v", groups or ClassGroups("zero", "one"), "zero vs one", "tiny (all)", entries)


def test_remade_from_its_groups_where_the_data_allows():
    data = tiny_data()
    models = {"left": ModelCodes(CODES, "c.pt", "dc", "ae"), "right": ModelCodes(None, "b.pt", "db", "vae", 3)}
    bound, notes = bind_vector(saved(), data, models)
    assert np.allclose(bound.entries["left"].values, mean_difference(CODES, [0, 1], [2, 3, 4]))
    assert bound.entries["left"].digest == "dc" and bound.entries["left"].n_pos == 2
    assert np.array_equal(bound.entries["right"].values, [1, 2, 3])  # no codes yet: as saved
    assert notes == [
        "'v' in c.pt: recomputed from its groups on tiny (all, 5 images 4x4)",
        "'v' in b.pt: the saved values, made with this model",
    ]


def test_as_saved_where_the_groups_do_not_apply():
    other = SelectionGroups((0, 1), None, "another data set's fingerprint")
    models = {"left": ModelCodes(CODES, "c.pt", "dc", "ae"), "right": ModelCodes(np.zeros((5, 4), np.float32), "e.pt")}
    bound, notes = bind_vector(saved(other), tiny_data(), models)
    assert np.array_equal(bound.entries["left"].values, [1, 1]) and bound.entries["left"].digest == "dc"
    assert "right" not in bound.entries
    assert notes == ["'v' in c.pt: the saved values, made with a.pt", "'v' has no 4-D vector for e.pt"]
    with pytest.raises(DataError, match="'v': no vector fits the loaded models .*no 4-D vector for e.pt"):
        bind_vector(saved(other), tiny_data(), {"right": models["right"]})


def test_rebind_remakes_keeps_its_own_or_drops():
    data = tiny_data()
    own = VectorEntry(np.array([5, 5], np.float32), "c.pt", "dc", "ae")
    vectors = {
        "classes": saved(),
        "kept": AttributeVector("kept", SelectionGroups((0,), None, "elsewhere"), entries={"left": own}),
        "gone": AttributeVector("gone", None, entries={"left": VectorEntry(np.ones(2, np.float32), "a.pt", "da")}),
    }
    job = Rebind("left", 3, ModelCodes(CODES, "c.pt", "dc", "ae"), vectors, data)
    out = job.run()
    assert np.allclose(out["classes"].values, mean_difference(CODES, [0, 1], [2, 3, 4]))
    assert out["kept"] is own and out["gone"] is None
    assert sorted(job.resolved) == sorted(repr(v.groups.to_dict()) for v in vectors.values() if v.groups)


def test_traversal_rows_start_with_the_selected_sample():
    rows = traversal_rows(1000, 6, first=17, seed=0)
    assert rows[0] == 17 and len(rows) == 6 and len(set(rows.tolist())) == 6
    assert np.array_equal(rows, traversal_rows(1000, 6, first=17, seed=0))  # repeatable
    assert np.array_equal(traversal_rows(1000, 5, seed=0), traversal_rows(1000, 6, first=None, seed=0)[:5])
    assert sorted(traversal_rows(3, 8, first=2).tolist()) == [0, 1, 2]  # fewer samples than rows
    assert traversal_rows(0, 4).tolist() == []
