"""Honest vectors: balanced within classes, an AUC on held-out samples, their effect on other attributes."""

import numpy as np
import pytest

from vae_explorer.core.attributes.binding import bind_vector
from vae_explorer.core.attributes.diagnostics import (
    attribute_directions,
    balance_labels,
    effects,
    group_difference,
    heldout_auc,
)
from vae_explorer.core.attributes.files import load_vector, save_vector
from vae_explorer.core.attributes.groups import ColumnGroups
from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import ModelCodes, build_vector, projection_auc
from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.errors import DataError


def confounded(n_per=40, seed=0):
    """Three classes far apart on dimension 0; "italic" moves dimension 1 by +1; italic mostly in class 0.

    Returns ``(data, codes, table)`` with columns ``italic`` (0 / 1) and ``slant`` (a number).
    """
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(3), n_per)
    share = np.array([0.8, 0.5, 0.2])[labels]  # how often each class is italic
    italic = (rng.random(len(labels)) < share).astype(np.float32)
    codes = np.stack([10.0 * labels, italic], axis=1) + rng.normal(scale=0.1, size=(len(labels), 2))
    data = Dataset("fonts", "all", np.zeros((len(labels), 1, 4, 4), np.uint8), labels, ["A", "B", "C"], "test")
    slant = italic * 10 + rng.normal(size=len(labels))
    table = AttributeTable(["italic", "slant"], np.stack([italic, slant], axis=1).astype(np.float32), "fonts.csv")
    return data, codes.astype(np.float32), table


def test_a_balanced_vector_leaves_the_classes_out():
    data, codes, table = confounded()
    pos, neg = ColumnGroups("italic").resolve(data, table)
    plain = group_difference(codes, pos, neg)
    balanced = group_difference(codes, pos, neg, data.labels)
    assert abs(plain[0]) > 3  # italic glyphs are mostly class A: the plain vector moves toward A
    assert balanced == pytest.approx([0.0, 1.0], abs=0.1)


def test_balancing_is_on_by_default_when_both_groups_span_several_classes():
    data, codes, table = confounded()
    models = {"left": ModelCodes(codes, "m.pt", "d", "vae")}
    auto = build_vector("", ColumnGroups("italic"), data, models, table)
    assert auto.balanced and auto.description == "italic: yes vs no, balanced within classes"
    assert auto.entries["left"].values == pytest.approx([0.0, 1.0], abs=0.1)
    off = build_vector("", ColumnGroups("italic"), data, models, table, balance=False)
    assert not off.balanced and abs(off.entries["left"].values[0]) > 3
    one_class_each = parse_groups("class:A-C").resolve(data)
    assert balance_labels(data.labels, *one_class_each, None) is None  # class vs class: nothing to balance
    with pytest.raises(DataError, match="no class has samples in both groups"):
        balance_labels(data.labels, *one_class_each, True)


def test_a_balanced_vector_is_saved_and_bound_balanced(tmp_path):
    data, codes, table = confounded()
    models = {"left": ModelCodes(codes, "m.pt", "d", "vae")}
    vector = build_vector("italic", ColumnGroups("italic"), data, models, table)
    back = load_vector(save_vector(tmp_path / "italic.json", vector))
    assert back.balanced
    bound, notes = bind_vector(back, data, models, table)
    assert np.allclose(bound.entries["left"].values, vector.entries["left"].values)
    assert "recomputed from its groups" in notes[0]


def test_the_auc_is_measured_on_samples_the_vector_was_not_made_from():
    rng = np.random.default_rng(1)
    codes = rng.normal(size=(40, 50)).astype(np.float32)  # noise: no direction tells the groups apart
    pos, neg = np.arange(20), np.arange(20, 40)
    fitted = projection_auc(codes, pos, neg, group_difference(codes, pos, neg))
    held_out = heldout_auc(codes, pos, neg)
    assert fitted > 0.8 and abs(held_out - 0.5) < 0.2
    separable = np.concatenate([codes[:20] + 5, codes[20:]])
    assert heldout_auc(separable, pos, neg) == 1.0


def test_effects_say_how_far_a_vector_goes_along_other_attributes():
    (e,) = effects(np.array([1.0, 0.0]), {"serif": np.array([1.0, 1.0])})
    assert (e.name, e.share, e.cosine) == ("serif", pytest.approx(0.5), pytest.approx(2**-0.5))
    data, codes, table = confounded()
    directions = attribute_directions(codes, {"slant": table.column("slant")}, data.labels)
    assert directions["slant"] == pytest.approx([0.0, 1.0], abs=0.15)  # the upper half of slant is italic
    vector = build_vector("", ColumnGroups("italic"), data, {"left": ModelCodes(codes)}, table)
    (moved,) = vector.entries["left"].effects  # its own column is left out
    assert moved.name == "slant" and moved.cosine > 0.95 and moved.share == pytest.approx(1.0, abs=0.2)


def test_numeric_columns_split_at_a_threshold_or_the_median():
    data, codes, table = confounded()
    slant = table.column("slant")
    pos, neg = parse_groups("column:slant>5").resolve(data, table)
    assert set(pos) == set(np.flatnonzero(slant > 5)) and set(neg) == set(np.flatnonzero(slant <= 5))
    pos, neg = parse_groups("column:slant>median").resolve(data, table)
    assert len(pos) == len(neg) == 60
    assert parse_groups("column:slant>median").describe() == "slant: upper vs lower half"
    with pytest.raises(DataError, match=r"column .slant. is not binary .*column:slant>median.*column:slant>T"):
        parse_groups("column:slant").resolve(data, table)
    with pytest.raises(DataError, match=r"no attribute named 'bold' in fonts.csv; its columns are italic, slant"):
        parse_groups("column:bold>0").resolve(data, table)
