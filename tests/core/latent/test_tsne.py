import threading
from dataclasses import replace

import numpy as np
import pytest

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.latent import tsne
from vae_explorer.core.latent.tsne import TSNEParams, cache_path, compute_tsne, tsne_cached, tsne_projection

PARAMS = TSNEParams(perplexity=20, early_iter=50, n_iter=100)


@pytest.fixture
def codes():
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 8)) * 6
    return (centres[np.arange(240) % 3] + rng.standard_normal((240, 8))).astype(np.float32)


def test_tsne_separates_clusters_and_reports_progress(codes):
    seen = []
    emb = compute_tsne(codes, PARAMS, progress=lambda f, partial: seen.append((f, partial.points.shape)))
    assert emb.shape == (240, 2) and emb.dtype == np.float32
    assert seen and seen[-1][0] == pytest.approx(1.0) and all(s == (240, 2) for _, s in seen)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    labels = np.arange(240) % 3
    centroids = np.stack([emb[labels == k].mean(0) for k in range(3)])
    spread = max(emb[labels == k].std() for k in range(3))
    gaps = [np.linalg.norm(centroids[a] - centroids[b]) for a, b in ((0, 1), (0, 2), (1, 2))]
    assert min(gaps) > 2 * spread


def separated(emb: np.ndarray, labels: np.ndarray) -> bool:
    """Whether each cluster's centre is further from the others than twice the widest cluster's spread."""
    centroids = np.stack([emb[labels == k].mean(0) for k in range(3)])
    spread = max(np.linalg.norm(emb[labels == k] - centroids[k], axis=1).mean() for k in range(3))
    return min(np.linalg.norm(centroids[a] - centroids[b]) for a, b in ((0, 1), (0, 2), (1, 2))) > 2 * spread


@pytest.fixture
def many_codes():
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((3, 8)) * 6
    return (centres[np.arange(1500) % 3] + rng.standard_normal((1500, 8))).astype(np.float32)


SAMPLED = TSNEParams(
    perplexity=20, early_iter=50, n_iter=100, fit_max=400, sample=300, place_iter=30, settle_iter=50, settle_max=0
)  # fmt: skip


def test_above_the_threshold_a_sample_is_fitted_and_the_rest_placed(many_codes):
    partials = []
    emb = compute_tsne(many_codes, SAMPLED, progress=lambda f, partial: partials.append((f, partial)))
    assert emb.shape == (1500, 2) and emb.dtype == np.float32 and np.isfinite(emb).all()
    assert separated(emb, np.arange(1500) % 3)  # the placed codes land in their own clusters
    fractions = [f for f, _ in partials]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    # first the fitted sample alone moves, then the placed codes join it, chunk by chunk
    first, last = partials[0][1], partials[-1][1]
    assert len(first.indices) == 300 and first.note == "fitting 300 codes (a sample of 1,500)"
    assert sorted(last.indices) == list(range(1500)) and last.note == "placing: 1,500 of 1,500 shown"
    assert np.allclose(last.points[np.argsort(last.indices)], emb)
    assert len(set(first.indices)) == 300 and set(first.indices) <= set(last.indices[:300])
    proj = tsne_projection(many_codes, emb, SAMPLED)
    assert proj.note == "300 sampled codes fitted, the other 1,200 placed by their neighbours"
    assert np.allclose(proj.inverse(emb[:50]), many_codes[:50], atol=1e-5)  # still exact at data points
    assert tsne_projection(many_codes[:400], emb[:400], SAMPLED).note == ""  # at the threshold, all are fitted


def neighbours_kept(codes: np.ndarray, points: np.ndarray, k: int = 10) -> float:
    """Mean share of each code's ``k`` nearest codes that are among its ``k`` nearest map points."""
    from scipy.spatial import cKDTree

    _, near = cKDTree(codes).query(codes, k=k + 1)
    _, shown = cKDTree(points).query(points, k=k + 1)
    return float(np.mean([len(set(a[1:]) & set(b[1:])) / k for a, b in zip(near, shown, strict=True)]))


def test_placed_codes_settle_together_and_find_their_own_neighbours(many_codes):
    settled = replace(SAMPLED, settle_max=10_000, settle_sample=300)
    partials = []
    emb = compute_tsne(many_codes, settled, progress=lambda f, partial: partials.append((f, partial)))
    notes = [p.note for _, p in partials]
    assert notes[0].startswith("fitting") and "placing: 1,500 of 1,500 shown" in notes
    assert notes[-1] == "settling all 1,500 codes" and [f for f, _ in partials][-1] == pytest.approx(1.0)
    assert np.allclose(partials[-1][1].points[np.argsort(partials[-1][1].indices)], emb)
    placed = compute_tsne(many_codes, SAMPLED)  # the same, without settling
    assert separated(emb, np.arange(1500) % 3)
    assert neighbours_kept(many_codes, emb) > neighbours_kept(many_codes, placed) + 0.05
    proj = tsne_projection(many_codes, emb, settled)
    assert (
        proj.note == "300 sampled codes fitted, the other 1,200 placed by their neighbours, then all settled together"
    )


def test_cancel_while_placing(many_codes, monkeypatch):
    monkeypatch.setattr(tsne, "PLACE_CHUNK", 300)  # codes placed at a time
    cancel = threading.Event()
    seen = []

    def progress(fraction, partial):
        seen.append(partial.note)
        if partial.note.startswith("placing"):
            cancel.set()

    with pytest.raises(Cancelled):
        compute_tsne(many_codes, SAMPLED, progress=progress, cancel=cancel)
    assert seen[-1] == "placing: 600 of 1,500 shown"  # stopped after the first chunk


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


def test_a_map_made_the_old_way_is_not_read_back_as_the_new_one(codes, monkeypatch):
    with monkeypatch.context() as patch:  # only this: the private cache stays set
        patch.setattr(tsne, "METHOD", tsne.METHOD - 1)  # a map cached before placing changed
        old, _ = tsne_cached(codes, "model-c", "data-c", PARAMS)
    new, cached = tsne_cached(codes, "model-c", "data-c", PARAMS)
    assert not cached and new.shape == old.shape


def test_two_maps_made_side_by_side_share_the_cores():
    cores = tsne.threads_each(1)
    assert cores >= 1 and tsne.threads_each(2) == max(1, cores // 2) and tsne.threads_each(4 * cores) == 1


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


def test_codes_equal_to_many_others_settle_too():
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((3, 8)) * 6
    codes = np.repeat((centres[np.arange(150) % 3] + rng.standard_normal((150, 8))).astype(np.float32), 20, axis=0)
    params = replace(SAMPLED, settle_max=10_000, settle_sample=300, settle_iter=30)
    emb = compute_tsne(codes, params)  # every code has 19 equal ones: more than the neighbours each settles with
    assert emb.shape == (3000, 2) and np.isfinite(emb).all() and separated(emb, np.repeat(np.arange(150) % 3, 20))
