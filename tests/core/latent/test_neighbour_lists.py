"""A sample's nearest samples in latent space: the same as a brute-force search, the shared ones marked."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_explorer.core.latent.neighbour_lists import nearest_samples, neighbour_lists
from vae_explorer.core.latent.neighbours import LazyTree


def brute_force(codes: np.ndarray, query: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    d = np.sqrt(((codes.astype(np.float64) - codes[query].astype(np.float64)) ** 2).sum(axis=1))
    rows = [r for r in np.lexsort((np.arange(len(codes)), d)) if r != query][:k]
    return np.array(rows), d[rows]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 300), d=st.integers(1, 16), k=st.integers(1, 20), seed=st.integers(0, 10_000), tree=st.booleans()
)
def test_equals_a_brute_force_search(n, d, k, seed, tree):
    codes = np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)
    query = seed % n
    index = LazyTree(codes, exhaustive_upto=0) if tree else None  # a KD-tree, as above 20,000 codes
    rows, dist = nearest_samples(codes, query, k, index)
    want_rows, want_dist = brute_force(codes, query, k)
    assert len(rows) == min(k, n - 1) and query not in rows
    assert np.array_equal(rows, want_rows)
    assert np.allclose(dist, want_dist, rtol=1e-6, atol=1e-6)


def test_shared_neighbours_are_those_both_models_list():
    left = np.array([[0.0], [1.0], [2.0], [3.0], [10.0]], np.float32)
    right = np.array([[0.0], [5.0], [1.0], [2.0], [0.5]], np.float32)
    lists = neighbour_lists({"left": left, "right": right}, 0, 2)
    assert [(n.index, n.shared) for n in lists.lists["left"]] == [(1, False), (2, True)]
    assert [(n.index, n.shared) for n in lists.lists["right"]] == [(4, False), (2, True)]
    assert lists.shared() == 1 and lists.lists["left"][0].distance == pytest.approx(1.0)


def test_a_sample_out_of_range_is_named():
    with pytest.raises(IndexError, match="sample 7 is not among the 3 samples"):
        nearest_samples(np.zeros((3, 2), np.float32), 7, 2)
