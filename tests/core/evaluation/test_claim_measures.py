"""The claims' measures on inputs whose answers are known: Frechet distance, a Gaussian fit's KL, spreads, steps."""

import math

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_explorer.core.evaluation.claims.measures import (
    cloud_ratio,
    compare,
    data_box,
    gaussian_kl_to_standard,
    grid_in_box,
    mean_norm,
    spread_across,
    step_ratios,
)
from vae_explorer.core.evaluation.frechet import Gaussian, fit_gaussian, frechet_between, frechet_distance

seeds = st.integers(0, 2**32 - 1)


@settings(max_examples=30, deadline=None)
@given(seed=seeds, n=st.integers(2, 60), k=st.integers(1, 20))
def test_a_set_is_at_distance_zero_from_itself_and_a_shift_adds_its_squared_length(seed, n, k):
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, k)) * rng.uniform(0.1, 10.0, size=k)
    scale = 1 + float(features.var(axis=0).sum())  # round-off grows with the features' size
    assert frechet_between(features, features) == pytest.approx(0.0, abs=1e-6 * scale)
    shift = rng.normal(size=k)
    moved = frechet_between(features, features + shift)  # the covariance stays; only the means part
    assert moved == pytest.approx(float(shift @ shift), rel=1e-6, abs=1e-6 * scale)


def test_isotropic_gaussians_differ_by_the_squared_difference_of_their_widths():
    k = 5
    a = Gaussian(np.zeros(k), 4.0 * np.eye(k), 100)
    b = Gaussian(np.ones(k), 9.0 * np.eye(k), 100)
    assert frechet_distance(a, b) == pytest.approx(k * 1.0 + k * (3.0 - 2.0) ** 2)
    assert frechet_distance(b, a) == pytest.approx(frechet_distance(a, b))


@settings(max_examples=20, deadline=None)
@given(seed=seeds, k=st.integers(1, 12))
def test_it_agrees_with_scipy_sqrtm_on_full_rank_covariances(seed, k):
    rng = np.random.default_rng(seed)
    a, b = fit_gaussian(rng.normal(size=(5 * k + 10, k))), fit_gaussian(rng.normal(size=(5 * k + 10, k)) * 2 + 1)
    covmean = scipy.linalg.sqrtm(a.cov @ b.cov).real
    diff = a.mean - b.mean
    expected = diff @ diff + np.trace(a.cov) + np.trace(b.cov) - 2 * np.trace(covmean)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_fewer_images_than_features_give_a_real_non_negative_distance():
    rng = np.random.default_rng(3)
    few, other = rng.normal(size=(4, 32)), rng.normal(size=(6, 32)) + 0.5
    d = frechet_between(few, other)
    assert math.isfinite(d) and d > 0
    assert frechet_between(few, few) == pytest.approx(0.0, abs=1e-9)


def test_the_kl_of_a_gaussian_fit_is_known_for_four_points_and_grows_with_a_shift():
    four = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])  # mean 0, covariance I / 2
    expected = 0.5 * (2 * 0.5 - 2 - 2 * math.log(0.5))
    assert gaussian_kl_to_standard(four) == pytest.approx(expected)
    assert gaussian_kl_to_standard(four + [3.0, 4.0]) == pytest.approx(expected + 0.5 * 25.0)
    prior = np.random.default_rng(0).standard_normal((200_000, 3))
    assert gaussian_kl_to_standard(prior) < 1e-3
    assert gaussian_kl_to_standard(np.zeros((10, 2))) == math.inf  # codes on a point fill no dimension
    assert gaussian_kl_to_standard(four, np.full((4, 2), 0.5)) == pytest.approx(0.0)  # clouds that fill I exactly
    assert gaussian_kl_to_standard(np.zeros((10, 2)), np.ones((10, 2))) == pytest.approx(0.0)
    assert mean_norm(four * 2) == pytest.approx(2.0)


def test_cloud_ratio_is_the_clouds_size_over_the_codes_spread():
    mu = np.array([[-2.0, 0.0], [2.0, 0.0], [-2.0, 0.0], [2.0, 0.0]])  # variance 4 in dimension 0, none in 1
    logvar = np.zeros_like(mu)  # sigma 1 everywhere
    assert cloud_ratio(mu, logvar, np.array([0])) == pytest.approx(0.5)
    assert math.isnan(cloud_ratio(mu, logvar, np.array([1])))  # a collapsed dimension has no spread
    assert cloud_ratio(mu, np.full_like(mu, -np.inf), np.array([0])) == 0.0  # points


def test_spread_across_is_zero_for_equal_images_and_half_for_black_and_white():
    same = np.full((3, 4, 1, 2, 2), 0.3)
    assert spread_across(same) == 0.0
    two = np.stack([np.zeros((1, 2, 2)), np.ones((1, 2, 2))])[None]
    assert spread_across(two) == pytest.approx(0.5)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, frames=st.integers(3, 16), pairs=st.integers(1, 5))
def test_a_linear_cross_fade_steps_evenly_and_a_jump_makes_one_step_of_the_whole_way(seed, frames, pairs):
    rng = np.random.default_rng(seed)
    a, b = rng.random((pairs, 1, 1, 4, 4)), rng.random((pairs, 1, 1, 4, 4))
    t = np.linspace(0, 1, frames).reshape(1, frames, 1, 1, 1)
    fade = (1 - t) * a + t * b
    mean, largest = step_ratios(fade)
    assert mean == pytest.approx(1 / (frames - 1)) and largest == pytest.approx(1 / (frames - 1))
    jump = np.where(t < 0.5, a, b)
    mean, largest = step_ratios(jump)
    assert mean == pytest.approx(1 / (frames - 1)) and largest == pytest.approx(1.0)


def test_a_path_that_wanders_steps_further_than_a_cross_fade():
    a, b = np.zeros((1, 1, 1, 2, 2)), np.ones((1, 1, 1, 2, 2))
    detour = np.concatenate([a, np.full_like(a, 0.0) + [[[[[1.0, 0.0], [0.0, 0.0]]]]], b], axis=1)
    mean, largest = step_ratios(detour)
    assert mean > 0.5 and largest > 0.5
    assert all(math.isnan(v) for v in step_ratios(np.concatenate([a, a, a], axis=1)))  # ends alike: no answer


def test_the_data_box_and_its_grid():
    points = np.stack(np.meshgrid(np.arange(101.0), np.arange(101.0) * 2), axis=-1).reshape(-1, 2)
    low, high = data_box(points)
    assert low == pytest.approx([1.0, 2.0]) and high == pytest.approx([99.0, 198.0])
    grid = grid_in_box(low, high, 3)
    assert grid.shape == (9, 2)
    assert grid[0] == pytest.approx(low) and grid[-1] == pytest.approx(high) and grid[4] == pytest.approx([50, 100])


def test_compare_calls_numbers_within_a_tenth_level():
    assert compare(100.0, 50.0) == "right" and compare(50.0, 100.0) == "left"
    assert compare(100.0, 95.0) == "level"
    assert compare(0.1, 0.5, lower_is_better=False) == "right"
    assert compare(math.inf, 5.0) == "right" and compare(math.inf, math.inf) == "level"
