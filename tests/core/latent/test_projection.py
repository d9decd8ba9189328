import math

import numpy as np
import pytest

from vae_explorer.core.latent.geometry import MAX_CELLS_PER_K, gaussian_ellipse, grid_centres, mosaic, square_grid
from vae_explorer.core.latent.projection import (
    Aligned,
    LatentPlane,
    NeighbourProjection,
    PCAProjection,
    align_to,
    prior_log_density,
    procrustes_rotation,
)


@pytest.fixture
def codes():
    rng = np.random.default_rng(0)
    return (rng.standard_normal((200, 6)) * [5, 3, 1, 0.5, 0.2, 0.1]).astype(np.float32)


def test_pca_inverse_is_exact_at_the_anchor(codes):
    pca = PCAProjection(codes)
    for i in (0, 17, 199):
        anchor = codes[i]
        p = pca.forward(anchor)
        assert np.allclose(pca.points[i], p[0], atol=1e-5)
        assert np.allclose(pca.inverse(p, anchor)[0], anchor, atol=1e-5)


def test_pca_inverse_keeps_the_anchors_dropped_components(codes):
    pca = PCAProjection(codes)
    anchor = codes[3]
    z = pca.inverse(pca.forward(anchor) + [[1.5, -2.0]], anchor)[0]
    # moving in the map changes only the two plotted directions
    delta = z - anchor
    assert np.allclose(delta, np.array([1.5, -2.0]) @ pca.components, atol=1e-6)
    assert np.allclose(pca.forward(z)[0], pca.forward(anchor)[0] + [1.5, -2.0], atol=1e-6)


def test_pca_finds_the_largest_directions(codes):
    pca = PCAProjection(codes)
    assert abs(pca.components[0, 0]) > 0.99 and abs(pca.components[1, 1]) > 0.99
    spread = pca.points.var(axis=0)
    assert spread[0] > spread[1] > 0


def test_latent_plane_is_the_identity():
    z = np.array([[1.0, 2.0], [-3.0, 0.5]], dtype=np.float32)
    plane = LatentPlane(z)
    assert np.array_equal(plane.points, z)
    assert np.allclose(plane.inverse(plane.forward(z)), z)
    with pytest.raises(ValueError, match="2-D codes"):
        LatentPlane(np.zeros((3, 4)))


def test_tsne_inverse_is_exact_at_data_points(codes):
    points = np.random.default_rng(1).standard_normal((200, 2)).astype(np.float32)
    proj = NeighbourProjection(codes, points)
    assert not proj.exact
    back = proj.inverse(points)
    assert np.allclose(back, codes, atol=1e-6)


def test_tsne_inverse_blends_by_inverse_distance():
    codes = np.array([[0.0, 0.0], [10.0, 0.0]])
    points = np.array([[0.0, 0.0], [4.0, 0.0]])
    proj = NeighbourProjection(codes, points, k=2, power=2)
    # at 1 from the first point and 3 from the second: weights 1/1 and 1/9
    z = proj.inverse([[1.0, 0.0]])[0]
    assert np.allclose(z, [10.0 * (1 / 9) / (1 + 1 / 9), 0.0])
    # continuous: nearby points give nearby codes
    assert np.linalg.norm(proj.inverse([[1.0, 0.001]])[0] - z) < 0.01


def test_procrustes_recovers_a_rotation_and_reflection(codes):
    src = codes[:, :2]
    theta = 0.7
    rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    flip = np.diag([1.0, -1.0])
    target = src @ rot @ flip
    r = procrustes_rotation(src, target)
    assert np.allclose(r, rot @ flip, atol=1e-6)


def test_aligned_projection_keeps_its_inverse(codes):
    pca = PCAProjection(codes)
    other = PCAProjection(-codes)  # the same map, mirrored
    aligned = align_to(other, pca)
    assert isinstance(aligned, Aligned)
    assert np.allclose(aligned.points, pca.points, atol=1e-4)
    anchor = -codes[5]
    p = aligned.forward(anchor)
    assert np.allclose(aligned.inverse(p, anchor)[0], anchor, atol=1e-5)


def test_prior_density():
    assert np.allclose(prior_log_density(np.zeros((1, 2))), [-math.log(2 * math.pi)])
    assert np.allclose(prior_log_density(np.array([[1.0, 2.0]])), [-math.log(2 * math.pi) - 2.5])


def test_gaussian_ellipse_through_the_latent_plane():
    plane = LatentPlane(np.zeros((1, 2)))
    pts = gaussian_ellipse(plane, np.array([1.0, 2.0]), np.array([4.0, 1.0]), n_sigma=2.0, n=400)
    assert np.allclose(pts[:, 0].max() - 1.0, 4.0, atol=1e-3)  # 2 sigma = 2 * 2 along x
    assert np.allclose(pts[:, 1].max() - 2.0, 2.0, atol=1e-3)


def test_grid_and_mosaic_order_rows_from_the_top():
    centres = grid_centres(0, 4, 0, 2, 2)
    assert np.allclose(centres, [[1, 1.5], [3, 1.5], [1, 0.5], [3, 0.5]])
    tiles = np.stack([np.full((1, 2, 3), k, np.float32) for k in range(4)])
    big = mosaic(tiles, 2)
    assert big.shape == (1, 4, 6)
    assert big[0, 0, 0] == 0 and big[0, 0, 3] == 1 and big[0, 2, 0] == 2 and big[0, 3, 5] == 3
    padded = mosaic(tiles, 2, pad=1, fill=9)
    assert padded.shape == (1, 5, 7)
    assert padded[0, 2, 0] == 9 and padded[0, 0, 3] == 9 and padded[0, 3, 4] == 3


def test_grid_and_mosaic_of_more_rows_than_columns():
    centres = grid_centres(0, 2, 0, 3, 2, rows=3)
    assert np.allclose(centres[:, 1], [2.5, 2.5, 1.5, 1.5, 0.5, 0.5]) and np.allclose(centres[:2, 0], [0.5, 1.5])
    tiles = np.stack([np.full((1, 2, 3), k, np.float32) for k in range(6)])
    big = mosaic(tiles, 2, pad=1, rows=3)
    assert big.shape == (1, 3 * 3 - 1, 2 * 4 - 1)
    assert big[0, 0, 0] == 0 and big[0, 0, 4] == 1 and big[0, 6, 0] == 4 and big[0, 7, 6] == 5


@pytest.mark.parametrize(
    ("rect", "k", "aspect", "shape"),
    [((0, 0, 4, 2), 4, 1.0, (8, 4)), ((0, 0, 1, 3), 2, 1.0, (2, 6)), ((0, 0, 4, 4), 4, 2.0, (4, 8))],
)
def test_tile_grids_keep_cells_shaped_like_the_images_and_cover_the_view(rect, k, aspect, shape):
    (x0, y0, w, h), cols, rows = square_grid(rect, k, aspect)
    assert (cols, rows) == shape and (w / cols) / (h / rows) == pytest.approx(aspect)
    assert x0 <= rect[0] and y0 <= rect[1] and x0 + w >= rect[0] + rect[2] and y0 + h >= rect[1] + rect[3]
    assert x0 + w / 2 == pytest.approx(rect[0] + rect[2] / 2) and y0 + h / 2 == pytest.approx(rect[1] + rect[3] / 2)


def test_a_very_long_view_gets_a_bounded_number_of_tiles():
    _, cols, rows = square_grid((0, 0, 1000, 1), 4)
    assert (cols, rows) == (MAX_CELLS_PER_K * 4, 4)
