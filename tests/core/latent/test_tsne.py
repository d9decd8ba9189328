import threading

import numpy as np
import pytest

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.latent import tsne
from vae_explorer.core.latent.tsne import TSNEParams, cache_path, compute_tsne, tsne_cached

PARAMS = TSNEParams(perplexity=20, early_iter=50, n_iter=100)


@pytest.fixture
def codes():
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 8)) * 6
    return (centres[np.arange(240) % 3] + rng.standard_normal((240, 8))).astype(np.float32)


def test_tsne_separates_clusters_and_reports_progress(codes):
    seen = []
    emb = compute_tsne(codes, PARAMS, progress=lambda f, partial: seen.append((f, partial.shape)))
    assert emb.shape == (240, 2) and emb.dtype == np.float32
    assert seen and seen[-1][0] == pytest.approx(1.0) and all(s == (240, 2) for _, s in seen)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    labels = np.arange(240) % 3
    centroids = np.stack([emb[labels == k].mean(0) for k in range(3)])
    spread = max(emb[labels == k].std() for k in range(3))
    gaps = [np.linalg.norm(centroids[a] - centroids[b]) for a, b in ((0, 1), (0, 2), (1, 2))]
    assert min(gaps) > 2 * spread


def test_cancel_stops_half_way(codes):
    cancel = threading.Event()
    calls = []

    def progress(fraction, partial):
        calls.append(fraction)
        if fraction >= 0.3:
            cancel.set()

    with pytest.raises(Cancelled):
        compute_tsne(codes, PARAMS, progress=progress, cancel=cancel)
    assert max(calls) < 1.0


def test_second_run_comes_from_the_cache(codes, monkeypatch):
    first, cached = tsne_cached(codes, "model-a", "data-a", PARAMS)
    assert not cached and cache_path("model-a", "data-a", PARAMS, len(codes)).exists()

    def fail(*args, **kwargs):
        raise AssertionError("t-SNE recomputed although it was cached")

    monkeypatch.setattr(tsne, "compute_tsne", fail)
    second, cached = tsne_cached(codes, "model-a", "data-a", PARAMS)
    assert cached and np.array_equal(first, second)
    # another model, other data or other parameters are other cache entries
    assert cache_path("model-b", "data-a", PARAMS, 240) != cache_path("model-a", "data-a", PARAMS, 240)
    assert cache_path("model-a", "data-b", PARAMS, 240) != cache_path("model-a", "data-a", PARAMS, 240)


def test_corrupt_cache_entry_is_recomputed(codes):
    path = cache_path("m", "d", PARAMS, len(codes))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage")
    emb, cached = tsne_cached(codes, "m", "d", PARAMS)
    assert not cached and emb.shape == (240, 2)


def test_codes_are_cached_by_checkpoint_and_data(monkeypatch):
    import torch

    from vae_explorer.core.latent import codes as codes_module
    from vae_explorer.core.latent.codes import encode_cached
    from vae_explorer.core.model.autoencoder import build_model, default_config

    torch.manual_seed(0)
    model = build_model(default_config("vae", (1, 8, 8), 3)).eval()
    images = np.random.default_rng(0).integers(0, 256, (50, 1, 8, 8), dtype=np.uint8)
    first, cached = encode_cached(model, "ckpt", "data", images)
    assert not cached and first.mu.shape == (50, 3) and first.logvar.shape == (50, 3)
    monkeypatch.setattr(codes_module, "encode_images", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    again, cached = encode_cached(model, "ckpt", "data", images)
    assert cached and np.array_equal(again.mu, first.mu) and np.array_equal(again.logvar, first.logvar)
