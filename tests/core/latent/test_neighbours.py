import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_explorer.core.latent.neighbours import BRUTE_FORCE_MAX, ExhaustiveSearch, LazyTree, NearestCode


def test_the_nearest_code_is_found_with_its_distance():
    codes = np.random.default_rng(0).standard_normal((200, 6)).astype(np.float32)
    near = NearestCode(codes)
    idx, dist = near.query(codes[42] + 1e-4)
    assert idx == 42 and dist < 1e-3
    rows, dists = near.query_many(codes[[3, 7]])
    assert list(rows) == [3, 7] and np.allclose(dists, 0)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), dim=st.integers(1, 6), k=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_exhaustive_search_and_both_trees_find_the_same_neighbours(n, dim, k, seed):
    rng = np.random.default_rng(seed)
    points = np.round(rng.standard_normal((n, dim)) * 3, 1).astype(np.float32)  # rounded: ties too
    queries = rng.standard_normal((7, dim)).astype(np.float32) * 4
    k = min(k, n)
    exhaustive = LazyTree(points)
    compact = LazyTree(points, compact_above=0, exhaustive_upto=0)
    full = LazyTree(points, compact_above=n + 1, exhaustive_upto=0)
    (d_ex, i_ex), (d_compact, i_compact), (d_full, _) = (t.query(queries, k) for t in (exhaustive, compact, full))
    assert isinstance(exhaustive._tree, ExhaustiveSearch) and not isinstance(full._tree, ExhaustiveSearch)
    assert i_ex.shape == i_compact.shape == (7, k) and i_ex.dtype == i_compact.dtype == np.int64
    assert np.allclose(d_compact, d_full, atol=1e-4) and np.allclose(d_ex, d_full, atol=1e-4)  # ties may differ
    for idx, dist in ((i_ex, d_ex), (i_compact, d_compact)):
        exact = np.linalg.norm(points[idx].astype(np.float64) - queries[:, None], axis=2)
        assert np.allclose(exact, dist, atol=1e-4)  # the indices are of points at those distances
    assert np.shares_memory(np.asarray(compact._tree.data), points)  # the points are read in place, not copied


def test_exhaustive_search_breaks_ties_by_the_lower_index_and_pads_like_scipy():
    points = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    dist, idx = ExhaustiveSearch(points).query(np.zeros((1, 2)), k=4)
    assert list(idx[0]) == [0, 1, 2, 3]  # three ties in index order, then "no such point" (n) as scipy says
    assert np.allclose(dist[0, :3], 1.0) and np.isinf(dist[0, 3])


def test_many_queries_are_answered_a_block_at_a_time():
    rng = np.random.default_rng(1)
    points, queries = rng.standard_normal((BRUTE_FORCE_MAX, 3)), rng.standard_normal((500, 3))
    dist, idx = LazyTree(points).query(queries, k=3)
    d_tree, i_tree = LazyTree(points, exhaustive_upto=0).query(queries, k=3)
    assert np.array_equal(idx, i_tree) and np.allclose(dist, d_tree)
