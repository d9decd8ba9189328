"""Maps that fill in while codes are encoded: partial maps first, the same finished map as without streaming."""

import numpy as np
import pytest
import torch

from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.latent.projection import PCAProjection, procrustes_rotation
from vae_explorer.core.latent.stream import (
    FIRST_FIT,
    STREAM_ABOVE,
    PartialMap,
    encode_for_maps,
    encode_streaming,
    encoding_order,
    pca_map,
)
from vae_explorer.core.model.autoencoder import build_model, default_config

N = STREAM_ABOVE + 3000


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return build_model(default_config("vae", (1, 8, 8), 4)).eval()


@pytest.fixture(scope="module")
def images():
    """Images sorted by "class" (brightness), as a folder of one sub-folder per class would give them."""
    rng = np.random.default_rng(0)
    level = np.repeat(np.arange(4), N // 4 + 1)[:N]
    return np.clip(rng.normal(60 * level[:, None, None, None], 30, (N, 1, 8, 8)), 0, 255).astype(np.uint8)


def test_partial_maps_come_before_the_end_and_grow(model, images):
    partials: list[PartialMap] = []
    codes = encode_streaming(model, images, partials.append, interval_s=0.0)
    assert len(partials) >= 3
    assert len(partials[0].indices) == FIRST_FIT  # the first points come after the first chunk
    sizes = [len(p.indices) for p in partials]
    assert sizes == sorted(sizes) and sizes[-1] < N and all(p.total == N for p in partials)
    assert partials[-1].note == f"encoding: {sizes[-1]:,} of {N:,} codes shown"
    # in a seeded random order: the first chunk samples every "class", though the images are sorted
    order = encoding_order(N)
    assert np.array_equal(partials[-1].indices, order[: sizes[-1]])
    assert len(np.unique(images[order[:FIRST_FIT]].mean(axis=(1, 2, 3)) // 45)) >= 4
    # every partial map places its codes with the PCA of the first chunk
    first = PCAProjection(codes.mu[order[:FIRST_FIT]])
    for p in partials:
        assert np.allclose(p.points, first.forward(codes.mu[p.indices]), atol=1e-4)


def test_the_finished_map_is_the_one_made_without_streaming(model, images):
    streamed = encode_streaming(model, images, lambda partial: None, interval_s=0.0)
    whole = encode_images(model, images)
    assert np.allclose(streamed.mu, whole.mu, atol=1e-5) and np.allclose(streamed.logvar, whole.logvar, atol=1e-5)
    final, plain = pca_map(streamed.mu), pca_map(whole.mu)
    assert np.allclose(final.points, plain.points, atol=1e-3)
    # the PCA of all codes, turned (an orthogonal matrix) to match the first fit
    pca = PCAProjection(whole.mu)
    turn = procrustes_rotation(pca.points, final.points)
    assert np.allclose(turn @ turn.T, np.eye(2), atol=1e-9)
    assert np.allclose(pca.points @ turn, final.points, atol=1e-3)
    # no jump: the finished map puts each code about where the first fit had it
    first = PCAProjection(whole.mu[encoding_order(N)[:FIRST_FIT]]).forward(whole.mu)
    spread = np.linalg.norm(final.points - final.points.mean(0), axis=1).mean()
    assert np.linalg.norm(final.points - first, axis=1).mean() < 0.2 * spread
    # the inverse still works: exact at the anchor
    anchor = whole.mu[7]
    assert np.allclose(final.inverse(final.forward(anchor), anchor)[0], anchor, atol=1e-5)


def test_codes_and_maps_live_in_compact_arrays(model, images):
    partials: list[PartialMap] = []
    codes, maps, nearest = encode_for_maps(model, "ckpt", "data", images, partials.append)
    assert codes.mu.dtype == codes.logvar.dtype == np.float32
    assert codes.mu.nbytes == N * 4 * 4 and codes.mu.flags.c_contiguous  # no per-code object, no float64 copy
    assert maps["pca"].points.dtype == np.float32 and maps["pca"].points.shape == (N, 2)
    assert all(p.points.dtype == np.float32 and p.indices.dtype == np.int64 for p in partials)
    # partial maps are views of one growing array, not copies
    assert np.shares_memory(partials[0].points, partials[-1].points)
    assert nearest.codes is codes.mu
    # hover on the finished map: the nearest point, by its KD-tree
    pca = maps["pca"]
    index, dist = pca.nearest_point(pca.points[123] + 1e-4)
    assert dist < 1e-3 and np.allclose(pca.points[index], pca.points[123], atol=1e-3)


def test_the_second_time_the_codes_come_from_the_cache(model, images):
    first, maps, _ = encode_for_maps(model, "ckpt-b", "data", images, lambda partial: None)
    partials: list[PartialMap] = []
    again, maps_again, _ = encode_for_maps(model, "ckpt-b", "data", images, partials.append)
    assert partials == []  # nothing to stream: the codes were kept
    assert np.array_equal(again.mu, first.mu)
    assert np.array_equal(maps_again["pca"].points, maps["pca"].points)  # the same map as the streamed one


def test_small_data_is_encoded_in_one_go(model, images):
    partials: list[PartialMap] = []
    codes = encode_streaming(model, images[:STREAM_ABOVE], partials.append, interval_s=0.0)
    assert partials == [] and codes.mu.shape == (STREAM_ABOVE, 4)
    assert np.array_equal(pca_map(codes.mu).points, PCAProjection(codes.mu).points)


def test_hover_on_a_partial_map_finds_the_nearest_row():
    rng = np.random.default_rng(0)
    points = rng.standard_normal((5000, 2)).astype(np.float32)
    indices = rng.permutation(20_000)[:5000]
    partial = PartialMap(indices, points, 20_000)
    p = np.array([0.3, -0.2])
    row, dist = partial.nearest_point(p)
    best = np.argmin(np.linalg.norm(points - p, axis=1))
    assert row == indices[best] and dist == pytest.approx(np.linalg.norm(points[best] - p), abs=1e-5)


def test_a_large_encoding_draws_a_bounded_number_of_partial_maps(model, images, monkeypatch):
    from vae_explorer.core.latent import stream

    monkeypatch.setattr(stream, "MAX_PARTIALS", 4)  # as if the data were fifty times larger than it is
    partials: list[PartialMap] = []
    encode_streaming(model, images, partials.append, interval_s=0.0)
    sizes = [len(p.indices) for p in partials]
    assert sizes[0] == FIRST_FIT and len(sizes) <= 4 + 1
    assert all(b - a >= N // 4 for a, b in zip(sizes, sizes[1:], strict=False))  # each a quarter of the codes later
