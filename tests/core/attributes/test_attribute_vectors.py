"""Attribute vectors: the mean difference, the AUC, cosines, moving codes, pixel statistics, groups."""

import numpy as np
import pytest
from helpers import tiny_data
from sklearn.metrics import roc_auc_score

from vae_explorer.core.attributes.groups import (
    ClassGroups,
    ColumnGroups,
    PixelGroups,
    SelectionGroups,
    median_split,
    pixel_statistic,
)
from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import (
    ModelCodes,
    apply_vector,
    build_vector,
    compute_entry,
    cosine_matrix,
    cosine_similarity,
    mean_difference,
    parse_alphas,
    projection_auc,
    roc_auc,
    side_by_side,
    traversal_codes,
)
from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.errors import DataError

CODES = np.array([[0, 0], [2, 0], [0, 2], [4, 4], [6, 2]], dtype=np.float32)


# -- the vector and its diagnostics ---------------------------------------------------------------
def test_vector_is_the_hand_computed_mean_difference():
    v = mean_difference(CODES, np.array([0, 1]), np.array([2, 3, 4]))
    # mean of the positives (1, 0); of the negatives (10/3, 8/3)
    assert v.dtype == np.float32
    assert np.allclose(v, [1 - 10 / 3, 0 - 8 / 3], atol=1e-6)
    entry = compute_entry(CODES, np.array([0, 1]), np.array([2, 3, 4]), "m.pt", "abc", "vae")
    assert (entry.n_pos, entry.n_neg) == (2, 3)
    assert entry.norm == pytest.approx(np.hypot(7 / 3, 8 / 3), rel=1e-6)


def test_build_vector_resolves_the_groups_once_for_every_model():
    data = tiny_data()
    other = CODES[:, ::-1] * 2  # a second model's space
    vector = build_vector("", ClassGroups("zero", "one"), data, {"left": ModelCodes(CODES), "right": ModelCodes(other)})
    assert vector.name == "one → zero" and vector.description == "zero vs one"
    assert np.allclose(vector.entries["left"].values, mean_difference(CODES, [0, 1], [2, 3, 4]))
    assert np.allclose(vector.entries["right"].values, mean_difference(other, [0, 1], [2, 3, 4]))


def test_auc_is_one_for_separable_groups_and_near_a_half_for_random_ones():
    assert roc_auc(np.array([3.0, 4, 5, 0, 1, 2]), np.array([1, 1, 1, 0, 0, 0], bool)) == 1.0
    assert roc_auc(np.array([3.0, 4, 5, 0, 1, 2]), np.array([0, 0, 0, 1, 1, 1], bool)) == 0.0
    assert roc_auc(np.ones(6), np.array([1, 0, 1, 0, 1, 0], bool)) == 0.5  # ties count half
    assert np.isnan(roc_auc(np.arange(3.0), np.ones(3, bool)))
    # separable codes projected on their own mean difference
    rng = np.random.default_rng(0)
    codes = np.vstack([rng.normal(0, 1, (50, 4)), rng.normal(0, 1, (50, 4)) + [8, 0, 0, 0]]).astype(np.float32)
    pos, neg = np.arange(50, 100), np.arange(50)
    assert projection_auc(codes, pos, neg, mean_difference(codes, pos, neg)) == 1.0
    # two random halves of the same cloud
    codes = rng.normal(0, 1, (4000, 8)).astype(np.float32)
    pos, neg = np.arange(2000), np.arange(2000, 4000)
    auc = projection_auc(codes, pos, neg, mean_difference(codes, pos, neg))
    assert abs(auc - 0.5) < 0.05
    scores, labels = rng.normal(size=300), rng.random(300) < 0.4
    assert roc_auc(scores, labels) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


def test_cosine_similarity():
    assert cosine_similarity([1, 0], [0, 3]) == 0.0
    assert cosine_similarity([1, 1], [2, 2]) == pytest.approx(1.0)
    assert cosine_similarity([1, 1], [-1, -1]) == pytest.approx(-1.0)
    assert np.isnan(cosine_similarity([0, 0], [1, 0]))
    assert np.isnan(cosine_similarity([1, 0, 0], [1, 0]))
    m = cosine_matrix([np.array([1.0, 0]), np.array([1.0, 1]), np.array([0.0, -2])])
    assert m.shape == (3, 3) and np.allclose(np.diag(m), 1)
    assert m[0, 1] == pytest.approx(np.sqrt(0.5)) and m[2, 0] == pytest.approx(0.0)


def test_alpha_zero_returns_the_code_exactly_and_a_traversal_is_row_by_row():
    rng = np.random.default_rng(1)
    z, v = rng.normal(size=7).astype(np.float32), rng.normal(size=7).astype(np.float32)
    assert np.array_equal(apply_vector(z, v, 0.0), z)
    assert np.allclose(apply_vector(z, v, 2.0), z + 2 * v)
    base = rng.normal(size=(3, 7)).astype(np.float32)
    alphas = np.array([-1.0, 0.0, 2.0], np.float32)
    grid = traversal_codes(base, v, alphas)
    assert grid.shape == (9, 7)
    assert np.array_equal(grid[1 * 3 + 1], base[1])  # row 1, alpha 0
    assert np.allclose(grid[2 * 3 + 2], base[2] + 2 * v)


def test_parse_alphas():
    assert np.allclose(parse_alphas("-2:2:9"), np.linspace(-2, 2, 9))
    assert np.allclose(parse_alphas("-1, 0,1.5"), [-1, 0, 1.5])
    for bad in ("1:2", "a:b:3", "0:1:0", "", "x"):
        with pytest.raises(ValueError):
            parse_alphas(bad)


def test_side_by_side_pads_to_the_taller_image():
    out = side_by_side([np.zeros((1, 4, 3), np.uint8), np.zeros((1, 2, 5), np.uint8)], gap=2)
    assert out.shape == (1, 4, 10)
    assert out[0, 3, 6] == 255 and out[0, 1, 6] == 0


# -- pixel statistics ---------------------------------------------------------------------------------
def test_pixel_statistics_on_hand_made_images():
    images = np.zeros((4, 1, 10, 12), np.uint8)
    images[0, 0, 2:6, 3:10] = 255  # a white 4 x 7 box on black
    images[1] = 255
    images[1, 0, 1:9, 5:7] = 0  # a black 8 x 2 bar on white
    images[3, 0, 4, 4] = 40  # too faint to count as drawn
    assert np.allclose(pixel_statistic(images, "ink")[[0, 2]], [28 / 120, 0])
    assert pixel_statistic(images, "ink")[1] == pytest.approx(1 - 16 / 120)
    assert list(pixel_statistic(images, "width")) == [7, 2, 0, 0]
    assert list(pixel_statistic(images, "height")) == [4, 8, 0, 0]
    rgb = np.zeros((1, 3, 6, 6), np.uint8)
    rgb[0, :, 1:3, 2:5] = 200
    assert pixel_statistic(rgb, "width")[0] == 3 and pixel_statistic(rgb, "height")[0] == 2
    with pytest.raises(DataError, match="unknown pixel statistic 'area'"):
        pixel_statistic(images, "area")


def test_median_split_puts_ties_on_the_side_that_balances():
    hi, lo = median_split(np.array([1.0, 2, 3, 4, 5, 6]))
    assert set(hi) == {3, 4, 5} and set(lo) == {0, 1, 2}
    hi, lo = median_split(np.array([5.0, 5, 5, 5, 1, 2]))  # the median is tied with most values
    assert set(hi) == {0, 1, 2, 3} and set(lo) == {4, 5}


def test_pixel_groups_split_the_data_at_the_median():
    images = np.zeros((6, 1, 8, 8), np.uint8)
    for k in range(6):
        images[k, 0, 2:6, 1 : 2 + k] = 255  # widths 1 .. 6
    data = Dataset("boxes", "all", images, None, [], "test")
    pos, neg = PixelGroups("width").resolve(data)
    assert list(pos) == [3, 4, 5] and list(neg) == [0, 1, 2]
    with pytest.raises(DataError, match="height is 4 for every image of boxes: nothing to split"):
        PixelGroups("height").resolve(data)


# -- groups and their text form ---------------------------------------------------------------------------
def test_group_specs_parse_and_print_back():
    cases = {
        "class:7-9": ClassGroups("7", "9"),
        "class:Shirt-rest": ClassGroups("Shirt", None),
        "class:T-shirt/top-rest": ClassGroups("T-shirt/top", None),
        "class:Sneaker->Ankle boot": ClassGroups("Ankle boot", "Sneaker"),
        "column:Smiling": ColumnGroups("Smiling"),
        "indices:1,2,3-rest": SelectionGroups((1, 2, 3), None),
        "indices:1,2-3,4": SelectionGroups((1, 2), (3, 4)),
        "pixel:ink": PixelGroups("ink"),
    }
    for text, groups in cases.items():
        assert parse_groups(text) == groups
        assert parse_groups(groups.to_text()) == groups
    assert ClassGroups("T-shirt/top", "Pullover").to_text() == "class:Pullover->T-shirt/top"


@pytest.mark.parametrize(
    "spec, message",
    [
        ("class", "expected KIND:VALUE"),
        ("colour:red", "unknown kind 'colour'"),
        ("class:7", "expected two groups like A-B or A-rest"),
        ("class:a-b-c", "more than one '-'"),
        ("pixel:area", "unknown pixel statistic"),
        ("indices:1,x-rest", "'1,x' is not a list of sample indices"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec, message):
    with pytest.raises(DataError, match=message):
        parse_groups(spec)


def test_class_groups_by_name_or_index():
    data = tiny_data()
    pos, neg = ClassGroups("ONE", None).resolve(data)
    assert list(pos) == [2, 3, 4] and list(neg) == [0, 1]
    pos, neg = ClassGroups("1", "0").resolve(data)
    assert list(pos) == [2, 3, 4] and list(neg) == [0, 1]
    assert ClassGroups("1", "0").describe(data) == "one vs zero"


@pytest.mark.parametrize(
    "groups, message",
    [
        (ClassGroups("zero", "two"), "zero vs two: the negative group is empty"),
        (ClassGroups("zero", "one"), None),
        (ClassGroups("one", "one"), "one vs one: both groups are the same samples"),
        (ClassGroups("four", None), "no class 'four' in tiny"),
        (SelectionGroups((3,), None), "the positive group holds one sample; a mean needs at least two"),
        (SelectionGroups((0, 1), (1, 0)), "both groups are the same samples"),
        (SelectionGroups((0, 9), None), "sample 9 is out of range"),
        (ColumnGroups("Smiling"), "tiny has no attribute table"),
    ],
)
def test_bad_groups_give_one_line_messages(groups, message):
    data = tiny_data(labels=(0, 0, 1, 1, 1))
    if message is None:
        groups.resolve(data)
        return
    with pytest.raises(DataError, match=message) as info:
        groups.resolve(data)
    assert "\n" not in str(info.value)


def test_data_without_labels_has_no_class_groups():
    data = Dataset("faces", "all", np.zeros((4, 1, 4, 4), np.uint8), None, [], "test")
    with pytest.raises(DataError, match="faces has no classes"):
        ClassGroups("0", None).resolve(data)


def test_columns_must_be_binary():
    data = tiny_data()
    values = np.array([[1, 0.5, -1], [0, 2, 1], [1, 0.5, 1], [0, 1, -1], [1, 3, 1]], np.float32)
    table = AttributeTable(["Smiling", "Age", "Male"], values, "attrs.csv")
    pos, neg = ColumnGroups("Smiling").resolve(data, table)
    assert list(pos) == [0, 2, 4] and list(neg) == [1, 3]
    pos, neg = ColumnGroups("Male").resolve(data, table)  # -1 / 1 is binary too
    assert list(pos) == [1, 2, 4] and list(neg) == [0, 3]
    with pytest.raises(DataError, match=r"attrs.csv: column 'Age' is not binary \(values 0.5, 1, 2, 3\)"):
        ColumnGroups("Age").resolve(data, table)
    with pytest.raises(DataError, match="no attribute named 'Bald' in attrs.csv"):
        ColumnGroups("Bald").resolve(data, table)


# -- attribute tables ------------------------------------------------------------------------------------------
