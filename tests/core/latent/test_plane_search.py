import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_explorer.core.latent.neighbours import BRUTE_FORCE_MAX, ExhaustiveSearch, NearestCode
from vae_explorer.core.latent.plane_search import PlaneSearch, prepare_plane
from vae_explorer.core.latent.projection import PCAProjection


def plane_of(rng: np.random.Generator, dim: int) -> np.ndarray:
    """Two orthonormal rows ``(2, dim)``."""
    q, _ = np.linalg.qr(rng.standard_normal((dim, 2)))
    return q.T


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 400), dim=st.integers(2, 9), seed=st.integers(0, 2**16), far=st.floats(0.0, 30.0)
)  # fmt: skip
def test_a_code_in_the_plane_finds_the_same_nearest_code_as_a_search_of_all(n, dim, seed, far):
    rng = np.random.default_rng(seed)
    codes = (rng.standard_normal((n, dim)) * rng.uniform(0.1, 5, dim)).astype(np.float32)
    anchor, w = codes[rng.integers(n)], plane_of(rng, dim)
    search = PlaneSearch(codes, anchor, w)
    for step in rng.standard_normal((5, 2)) * far:
        z = (anchor + step @ w).astype(np.float32)  # as a dragged cursor: float32, a few 1e-8 off the plane
        index, dist = search.query(z)
        want_dist, want_idx = ExhaustiveSearch(codes).query(z[None].astype(np.float64))
        assert abs(dist - want_dist[0, 0]) <= 1e-6 * (1 + want_dist[0, 0])
        exact = np.linalg.norm(codes[index].astype(np.float64) - z)
        assert abs(exact - dist) <= 1e-9 * (1 + dist)  # the distance is the one to the code returned


def test_a_code_off_the_plane_is_left_to_the_search_of_all_codes():
    rng = np.random.default_rng(0)
    codes = rng.standard_normal((BRUTE_FORCE_MAX + 500, 6)).astype(np.float32)
    pca = PCAProjection(codes)
    near = NearestCode(codes)
    prepare_plane(near, codes[7], pca.inverse_plane())
    assert isinstance(near.plane, PlaneSearch)
    across = rng.standard_normal(6)
    across -= (across @ pca.components.T) @ pca.components  # at right angles to the map's plane
    off = (codes[7] + 0.5 * across / np.linalg.norm(across)).astype(np.float32)  # as a slider moves a code
    assert near.plane.query(off) is None
    want_dist, want_idx = ExhaustiveSearch(codes).query(off[None].astype(np.float64))
    index, dist = near.query(off)
    assert index == want_idx[0, 0] and abs(dist - want_dist[0, 0]) < 1e-5


def test_the_plane_is_indexed_once_per_anchor_and_only_for_codes_that_need_a_tree():
    rng = np.random.default_rng(1)
    few = NearestCode(rng.standard_normal((300, 4)).astype(np.float32))
    prepare_plane(few, few.codes[0], plane_of(rng, 4))
    assert few.plane is None  # an exhaustive search is quick already
    codes = rng.standard_normal((BRUTE_FORCE_MAX + 1, 4)).astype(np.float32)
    near, w = NearestCode(codes), plane_of(rng, 4)
    prepare_plane(near, codes[3], w)
    first = near.plane
    prepare_plane(near, codes[3].copy(), w.copy())
    assert near.plane is first  # the same plane: kept
    prepare_plane(near, codes[4], w)
    assert near.plane is not first and near.plane.serves(codes[4], w)
    z = (codes[4] + np.array([3.0, -2.0]) @ w).astype(np.float32)
    want_dist, want_idx = ExhaustiveSearch(codes).query(z[None].astype(np.float64))
    index, dist = near.query(z)
    assert index == want_idx[0, 0] and abs(dist - want_dist[0, 0]) < 1e-6
