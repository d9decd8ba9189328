"""lerp, slerp and paths through key codes, against codes worked out by hand."""

import math

import numpy as np
import pytest

from vae_explorer.core.morph.interpolate import angle, interpolate, key_frames, lerp, path, slerp


def test_lerp_by_hand():
    out = lerp([0.0, 0.0, 1.0], [2.0, 4.0, -1.0], [0.0, 0.25, 0.5, 1.0])
    expected = [[0, 0, 1], [0.5, 1, 0.5], [1, 2, 0], [2, 4, -1]]
    assert out.dtype == np.float32 and out.shape == (4, 3)
    assert np.allclose(out, expected, atol=1e-7)


def test_slerp_by_hand():
    # a quarter circle: t = 1/3 is 30 degrees from a, t = 1/2 is 45 degrees
    out = slerp([1.0, 0.0], [0.0, 1.0], [1 / 3, 0.5])
    assert np.allclose(out, [[math.sqrt(3) / 2, 0.5], [math.sqrt(0.5), math.sqrt(0.5)]], atol=1e-7)
    # radius 2 in a 3-D space, and 120 degrees apart: the middle is at 60 degrees from each
    a, b = np.array([2.0, 0.0, 0.0]), np.array([-1.0, math.sqrt(3), 0.0])
    mid = slerp(a, b, 0.5)[0]
    assert np.allclose(mid, [1.0, math.sqrt(3), 0.0], atol=1e-6)
    assert angle(a, b) == pytest.approx(2 * math.pi / 3)


def test_slerp_keeps_the_norm_of_equal_norm_codes_and_lerp_does_not():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(16), rng.standard_normal(16)
    b *= np.linalg.norm(a) / np.linalg.norm(b)
    t = np.linspace(0, 1, 25)
    s = np.linalg.norm(slerp(a, b, t).astype(np.float64), axis=1)
    assert np.allclose(s, np.linalg.norm(a), rtol=1e-6)
    line = np.linalg.norm(lerp(a, b, t).astype(np.float64), axis=1)
    assert line[12] < 0.95 * np.linalg.norm(a)  # the straight line cuts through the middle


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1.0, 2.0, -1.0], [2.0, 4.0, -2.0]),  # parallel
        ([1.0, 0.0, 0.0], [-3.0, 0.0, 0.0]),  # antiparallel: no single great circle
        ([0.0, 0.0, 0.0], [1.0, 2.0, 3.0]),  # zero code: no direction
        ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0 + 1e-9]),  # as good as parallel
    ],
)
def test_slerp_degenerates_to_lerp(a, b):
    t = np.linspace(0, 1, 7)
    out = slerp(a, b, t)
    assert np.all(np.isfinite(out))
    assert np.array_equal(out, lerp(a, b, t))


def test_slerp_is_continuous_into_the_parallel_case():
    a = np.array([1.0, 0.0])
    b = np.array([1.0, 1e-4])  # just above the parallel threshold
    assert np.allclose(slerp(a, b, 0.5), lerp(a, b, 0.5), atol=1e-6)


def test_angle_is_accurate_near_0_and_pi():
    assert angle([1.0, 0.0], [1.0, 1e-9]) == pytest.approx(1e-9, rel=1e-6)
    assert angle([1.0, 0.0], [-1.0, 1e-9]) == pytest.approx(math.pi - 1e-9, abs=1e-15)
    assert angle([0.0, 0.0], [1.0, 0.0]) == 0.0


@pytest.mark.parametrize("method", ["lerp", "slerp"])
def test_end_points_are_the_codes_bit_for_bit(method):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(16).astype(np.float32), rng.standard_normal(16).astype(np.float32)
    out = interpolate(a, b, np.linspace(0, 1, 11), method)
    assert np.array_equal(out[0], a) and np.array_equal(out[-1], b)


def test_path_through_three_keys():
    keys = np.array([[0.0, 0.0], [3.0, 0.0], [3.0, 6.0]], np.float32)
    assert list(key_frames(3, 7)) == [0, 3, 6]
    out = path(keys, 7, "lerp")
    expected = [[0, 0], [1, 0], [2, 0], [3, 0], [3, 2], [3, 4], [3, 6]]
    assert np.allclose(out, expected, atol=1e-6)
    assert all(np.array_equal(out[f], k) for f, k in zip(key_frames(3, 7), keys, strict=True))


def test_path_spreads_uneven_frames_over_the_segments():
    marks = key_frames(4, 10)
    assert marks[0] == 0 and marks[-1] == 9 and np.all(np.diff(marks) >= 2)
    assert list(key_frames(3, 3)) == [0, 1, 2]
    with pytest.raises(ValueError, match="2 frames cannot show 3 key codes"):
        key_frames(3, 2)


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown interpolation 'cubic'"):
        interpolate([0.0], [1.0], 0.5, "cubic")
