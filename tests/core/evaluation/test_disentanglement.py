"""MIG on synthetic codes where the answer is known exactly."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import mutual_info_score

from vae_explorer.core.evaluation.disentanglement import BINS, discretize, entropy, mig, mutual_information

N = 5000


def _factors(n=N, seed=0):
    """Three continuous factors and a categorical one of 4 levels -> ``(n, 4)``, names and kinds."""
    rng = np.random.default_rng(seed)
    f = np.column_stack([rng.random(n), rng.uniform(-1, 1, n), rng.random(n), rng.integers(0, 4, n)])
    return f, ["a", "b", "c", "level"], [True, True, True, False]


def test_discretize_cuts_each_column_into_20_equal_bins_numbered_1_to_20():
    u = np.concatenate([[0.0], (np.arange(2000) + 0.5) / 2000, [1.0]])  # the ends, and no value on an edge
    bins = discretize(np.column_stack([u, 20 * u - 5]))
    assert bins.min() == 1 and bins.max() == BINS
    assert np.array_equal(bins[:, 0], bins[:, 1])  # equal-width: the range does not matter
    assert np.array_equal(np.bincount(bins[1:-1, 0]), [0] + [100] * BINS)


def test_mutual_information_and_entropy_are_sklearns():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 5, (400, 2)).T
    assert mutual_information(a[:, None], b[:, None])[0, 0] == pytest.approx(mutual_info_score(b, a))
    assert entropy(b[:, None])[0] == pytest.approx(mutual_info_score(b, b))
    assert entropy(np.repeat([[0], [1]], 200, axis=0))[0] == pytest.approx(np.log(2))


def test_codes_equal_to_the_factors_score_near_one_and_find_each_factors_dimension():
    factors, names, kinds = _factors()
    order = [2, 0, 3, 1]  # dimension k holds factor order[k]
    codes = factors[:, order] * [3.0, -2.0, 0.5, 10.0] + 1.0  # any scale and sign
    result = mig(codes, factors, names, kinds)
    assert result.mig > 0.9
    assert [s.dim for s in result.factors] == [order.index(j) for j in range(4)]
    assert all(s.info > 0.99 for s in result.factors)
    assert result.dims_of() == {order.index(j): [names[j]] for j in range(4)}


def test_codes_independent_of_the_factors_score_near_zero():
    factors, names, kinds = _factors()
    codes = np.random.default_rng(7).normal(size=(N, 6))
    assert mig(codes, factors, names, kinds).mig < 0.03


def test_a_factor_spread_over_two_dimensions_has_no_gap():
    factors, names, kinds = _factors()
    codes = np.column_stack([factors[:, 0], factors[:, 0], factors[:, 1], factors[:, 2], factors[:, 3]])
    result = mig(codes, factors, names, kinds)
    assert result.factors[0].gap < 0.01 and {result.factors[0].dim, result.factors[0].runner_up} == {0, 1}
    assert result.factors[1].gap > 0.95
    assert result.mig == pytest.approx(np.mean([s.gap for s in result.factors]))
    assert 0.7 < result.mig < 0.76  # three of four factors perfect, one at zero


def test_a_rotated_code_is_entangled():
    factors, names, kinds = _factors()
    angle = np.pi / 4
    x, y = factors[:, 0] - 0.5, factors[:, 2] - 0.5
    codes = np.column_stack([np.cos(angle) * x - np.sin(angle) * y, np.sin(angle) * x + np.cos(angle) * y])
    result = mig(codes, factors[:, [0, 2]], ["a", "c"], [True, True])
    assert result.mig < 0.1


@settings(max_examples=25, deadline=None)
@given(
    scales=st.lists(st.floats(0.01, 100) | st.floats(-100, -0.01), min_size=4, max_size=4),
    shifts=st.lists(st.floats(-100, 100), min_size=4, max_size=4),
)
def test_mig_lies_in_0_1_and_ignores_the_scale_and_offset_of_each_dimension(scales, shifts):
    factors, names, kinds = _factors(n=800, seed=3)
    rng = np.random.default_rng(3)
    codes = factors @ rng.normal(size=(4, 4)) + 0.3 * rng.normal(size=(800, 4))
    base = mig(codes, factors, names, kinds)
    moved = mig(codes * scales + shifts, factors, names, kinds)
    assert 0.0 <= base.mig <= 1.0
    assert moved.mig == pytest.approx(base.mig, abs=0.02)


def test_bad_input_is_refused_with_a_reason():
    factors, names, kinds = _factors(n=100)
    with pytest.raises(ValueError, match="at least two dimensions"):
        mig(np.zeros((100, 1)), factors, names, kinds)
    with pytest.raises(ValueError, match="99 codes for 100 rows"):
        mig(np.zeros((99, 3)), factors, names, kinds)
    constant = factors.copy()
    constant[:, 3] = 2
    with pytest.raises(ValueError, match="'level' takes a single value"):
        mig(np.random.default_rng(0).normal(size=(100, 3)), constant, names, kinds)
