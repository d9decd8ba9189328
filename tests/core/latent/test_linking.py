"""Linked cursors by the data: a point of one map carried to the same place, relative to the data, in another."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_explorer.core.latent.linking import MapLink, carry, carry_code, fit_similarity, neighbour_weights
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.latent.projection import LatentPlane
from vae_explorer.core.latent.regions import convex_hull, nearest_in_hull


def arms_and_clouds(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The same ``n`` samples on an AE-like map (6 arms out to 30, empty between) and a VAE-like one (6 clouds, 1.5)."""
    rng = np.random.default_rng(seed)
    cls = rng.integers(0, 6, n)
    angle = cls * (2 * math.pi / 6)
    radius = rng.uniform(4, 30, n)
    along = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    across = np.stack([-np.sin(angle), np.cos(angle)], axis=1)
    arms = radius[:, None] * along + rng.normal(0, 0.6, n)[:, None] * across
    clouds = 1.5 * along + rng.normal(0, 0.45, (n, 2))
    return arms.astype(np.float32), clouds.astype(np.float32)


ARMS, CLOUDS = arms_and_clouds(800)
MAPS = {"arms": LatentPlane(ARMS), "clouds": LatentPlane(CLOUDS)}
LINKS = {
    ("arms", "clouds"): MapLink(MAPS["arms"], MAPS["clouds"]),
    ("clouds", "arms"): MapLink(MAPS["clouds"], MAPS["arms"]),
}
DIRECTIONS = st.sampled_from(sorted(LINKS))
UNIT = st.floats(0.0, 1.0)


def across_the_map(points: np.ndarray, u: float, v: float) -> np.ndarray:
    """A point of the map's view: the points' bounding box and a margin of 5% (what View all shows)."""
    lo, hi = points.min(axis=0).astype(np.float64), points.max(axis=0).astype(np.float64)
    pad = 0.05 * (hi - lo)
    return lo - pad + np.array([u, v]) * (hi - lo + 2 * pad)


def outside(p: np.ndarray, hull: np.ndarray) -> float:
    """How far the point ``p (2,)`` lies outside the convex ``hull`` (0 inside)."""
    return float(np.linalg.norm(p - nearest_in_hull(p, hull)[0]))


def test_weights_fall_to_zero_at_the_next_neighbour_and_a_data_point_takes_all():
    # distances 1 and 2 to the two nearest, 4 to the third: ((4-1)/(4*1))^2 = 9/16 and ((4-2)/(4*2))^2 = 1/16
    assert np.allclose(neighbour_weights(np.array([[1.0, 2.0, 4.0]])), [[0.9, 0.1]])
    assert np.allclose(neighbour_weights(np.array([[1.0, 4.0, 4.0]])), [[1.0, 0.0]])  # the 2nd is about to leave
    assert np.array_equal(neighbour_weights(np.array([[0.0, 0.5, 1.0]])), [[1.0, 0.0]])  # on a data point
    assert np.allclose(neighbour_weights(np.array([[2.0, 2.0, 2.0]])), [[0.5, 0.5]])  # none nearer than another


def test_the_similarity_fit_finds_a_known_scale_turn_and_mirror():
    rng = np.random.default_rng(1)
    source = rng.normal(size=(500, 2)) * [30, 10]
    turn = np.array([[math.cos(0.5), math.sin(0.5)], [-math.sin(0.5), math.cos(0.5)]])
    mirror = np.diag([1.0, -1.0])
    for matrix in (0.1 * turn, 0.1 * turn @ mirror):
        target = source @ matrix + [2.0, -1.0]
        fit = fit_similarity(source, target)
        assert np.allclose(fit.matrix, matrix) and math.isclose(fit.scale, 0.1)
        assert np.allclose(fit.apply(source), target)


def test_the_hull_of_a_square_with_points_inside_is_its_corners_counter_clockwise():
    rng = np.random.default_rng(2)
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], float)
    hull = convex_hull(np.vstack([rng.uniform(0.5, 3.5, (1000, 2)), square]))
    assert sorted(map(tuple, hull)) == sorted(map(tuple, square))
    x, y = hull[:, 0], hull[:, 1]
    assert np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) > 0  # counter-clockwise: positive area
    assert np.allclose(
        nearest_in_hull(np.array([[1, 1], [6, 2], [6, 7], [-1, -3]]), hull), [[1, 1], [4, 2], [4, 4], [0, 0]]
    )
    line = convex_hull(np.array([[0, 0], [1, 1], [3, 3], [2, 2]], float))
    assert sorted(map(tuple, line)) == [(0, 0), (3, 3)]
    assert np.allclose(nearest_in_hull(np.array([[3, 0], [9, 9]]), line), [[1.5, 1.5], [3, 3]])
    assert np.array_equal(convex_hull(np.array([[5.0, 5.0]] * 3)), [[5, 5]])


@pytest.mark.parametrize("direction", sorted(LINKS))
def test_a_data_point_carries_to_the_same_sample(direction):
    source, target = (MAPS[name].points for name in direction)
    carried = LINKS[direction].carry(source)
    assert np.allclose(carried, target, atol=1e-5)  # both cursors on the same sample, every sample


@settings(max_examples=300, deadline=None)
@given(direction=DIRECTIONS, u=UNIT, v=UNIT)
def test_a_point_anywhere_on_the_map_lands_among_the_other_maps_data(direction, u, v):
    """Inside this map's data (its hull), the other cursor lands inside the other's; outside, no farther out than
    this one is, in proportion (the maps' scale): never the AE's coordinates on the VAE's much smaller map."""
    source, target = (MAPS[name] for name in direction)
    link = LINKS[direction]
    p = across_the_map(source.points, u, v)
    q = link.carry(p)[0]
    off = outside(p, source.hull())
    assert outside(q, target.hull()) <= link.fit.scale * off + 1e-9 * link.fit.scale
    if off == 0.0:
        assert outside(q, target.hull()) == 0.0


def test_a_kd_tree_over_many_points_carries_the_same_way():
    arms, clouds = arms_and_clouds(30_000, seed=3)  # past the exhaustive search: the map's KD-tree answers
    link = MapLink(LatentPlane(arms), LatentPlane(clouds))
    assert np.allclose(link.carry(arms[:50]), clouds[:50], atol=1e-5)
    q = link.carry(np.array([[0.0, 20.0], [15.0, 15.0]]))
    assert all(outside(x, convex_hull(clouds)) == 0.0 for x in q)


def neighbours(link: MapLink, p: np.ndarray) -> frozenset:
    return frozenset(link.source.nearest_points(p, link.k)[1][0].tolist())


@settings(max_examples=60, deadline=None)
@given(direction=DIRECTIONS, a=st.tuples(UNIT, UNIT), b=st.tuples(UNIT, UNIT))
def test_the_other_cursor_never_jumps_where_the_nearest_points_change(direction, a, b):
    """Along a drag, wherever a point joins or leaves the k nearest, the carried point is the same on both sides."""
    link = LINKS[direction]
    source, target = (MAPS[name].points for name in direction)
    start, end = across_the_map(source, *a), across_the_map(source, *b)
    extent = float(np.ptp(target, axis=0).max())
    path = start + np.linspace(0.0, 1.0, 200)[:, None] * (end - start)
    sets = [neighbours(link, p) for p in path]
    for i in np.flatnonzero([s != t for s, t in zip(sets, sets[1:], strict=False)])[:5]:
        lo, hi = path[i], path[i + 1]
        while np.linalg.norm(hi - lo) > 1e-9 * extent:  # close in on the change
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if neighbours(link, mid) == sets[i] else (lo, mid)
        assert np.linalg.norm(link.carry(hi)[0] - link.carry(lo)[0]) < 1e-5 * extent


@settings(max_examples=100, deadline=None)
@given(direction=DIRECTIONS, u=UNIT, v=UNIT, angle=st.floats(0, 2 * math.pi))
def test_small_mouse_moves_move_the_other_cursor_a_little(direction, u, v, angle):
    link = LINKS[direction]
    source, target = (MAPS[name].points for name in direction)
    p = across_the_map(source, u, v)
    step = 1e-7 * float(np.ptp(source, axis=0).max()) * np.array([math.cos(angle), math.sin(angle)])
    moved = np.linalg.norm(link.carry(p + step)[0] - link.carry(p)[0])
    assert moved < 1e-4 * float(np.ptp(target, axis=0).max())


def test_far_off_points_follow_the_scale_and_turn_of_the_maps():
    link = LINKS[("arms", "clouds")]
    extent = float(np.ptp(CLOUDS, axis=0).max())
    for angle in np.linspace(0, 2 * math.pi, 12, endpoint=False):
        far = 3000.0 * np.array([[math.cos(angle), math.sin(angle)]])
        # a fixed distance from where the fit puts it, however far: the offset from the data carried by the fit
        assert np.linalg.norm(link.carry(far) - link.fit.apply(far)) < 2 * extent
        nearer = far * 0.5
        assert np.allclose(link.carry(far) - link.carry(nearer), (far - nearer) @ link.fit.matrix, atol=extent)


def test_carry_is_the_blend_of_the_neighbours_places_inside_the_data():
    """The pure function on a tiny case: two neighbours at distances 1 and 2, the third at 4."""
    source = np.array([[0.0, 0.0], [3.0, 0.0], [-4.0, 0.0], [0.0, 5.0], [0.0, -5.0]])
    target = np.array([[10.0, 10.0], [20.0, 10.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    fit = fit_similarity(source, target)
    q = carry(np.array([[1.0, 0.0]]), np.array([[1.0, 2.0, 4.0]]), np.array([[0, 1, 2]]), source, target,
              convex_hull(source), fit)  # fmt: skip
    assert np.allclose(q, [[11.0, 10.0]])  # 0.9 of the first sample's place and 0.1 of the second's


def test_a_code_is_carried_to_the_same_place_among_the_data_in_new_codes():
    rng = np.random.default_rng(0)
    old, new = rng.normal(size=(50, 3)).astype(np.float32), rng.normal(size=(50, 2)).astype(np.float32)
    nearest = NearestCode(old)
    assert np.allclose(carry_code(old[7], nearest, new), new[7])  # on a sample: that sample's new code
    between = carry_code((old[3] + old[4]) / 2, nearest, new)
    assert between.shape == (2,) and new.min(0).min() <= between.min() and between.max() <= new.max(0).max()
