"""UMAP maps: a sample fitted and the rest placed, progress as it goes, cancel honoured, first use said."""

import threading

import numpy as np
import pytest

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.latent.umap_map import COMPILING, UMAPParams, compute_umap, umap_cached, umap_projection

SMALL = UMAPParams(n_epochs=20, fit_max=250, sample=200)


def blobs(n: int = 300, d: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, n)
    return (rng.normal(size=(n, d)) * 0.3 + 4.0 * np.eye(3, d)[labels]).astype(np.float32), labels


def test_above_the_threshold_a_sample_is_fitted_and_the_rest_placed_near_their_kind():
    codes, labels = blobs()
    notes, fractions = [], []

    def progress(fraction, partial):
        fractions.append(fraction)
        if partial is not None:
            notes.append(partial.note)

    points = compute_umap(codes, SMALL, progress)
    assert points.shape == (300, 2) and points.dtype == np.float32 and np.isfinite(points).all()
    assert notes[0] == COMPILING  # a fresh cache: the first use compiles
    assert "fitting 200 codes (a sample of 300)" in notes and notes[-1] == "placing: 300 of 300"
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    # each blob stays together: a point's nearest map point is of its own kind
    d = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(d, np.inf)
    assert (labels[d.argmin(axis=1)] == labels).mean() > 0.95
    proj = umap_projection(codes, points, SMALL)
    assert proj.name == "umap" and not proj.exact and "200 sampled codes fitted" in proj.note
    assert np.allclose(proj.inverse(points[:10]), codes[:10], atol=1e-5)


def test_cancel_stops_within_the_epochs():
    codes, _ = blobs()
    cancel = threading.Event()

    def progress(fraction, partial):
        if fraction > 0:  # into its epochs
            cancel.set()

    with pytest.raises(Cancelled):
        compute_umap(codes, UMAPParams(n_epochs=100_000), progress, cancel)


def test_a_map_after_a_cancelled_one_on_another_thread_is_made():
    # the cancel is raised from the progress bar's file, inside tqdm's process-wide lock: that
    # lock must not stay held by the cancelled thread (a worker that lives on), or every later
    # UMAP on another thread waits for it forever
    codes, _ = blobs(120)
    cancel, cancelled, finish, outcome = threading.Event(), threading.Event(), threading.Event(), {}

    def cancelled_fit():
        def progress(fraction, partial):
            if fraction > 0:
                cancel.set()

        try:
            compute_umap(codes, UMAPParams(n_epochs=100_000), progress, cancel)
        except Cancelled:
            outcome["first"] = "cancelled"
        cancelled.set()
        finish.wait(300)  # a worker thread lives on after its task

    def next_fit():
        outcome["second"] = compute_umap(codes, UMAPParams(n_epochs=10)).shape

    worker = threading.Thread(target=cancelled_fit, daemon=True)
    worker.start()
    assert cancelled.wait(120)
    other = threading.Thread(target=next_fit, daemon=True)
    other.start()
    other.join(120)  # waiting on a lock nobody will release, it would never end
    finish.set()
    assert not other.is_alive(), "the map after a cancelled one never came"
    assert outcome == {"first": "cancelled", "second": (120, 2)}


def test_cached_the_second_time():
    codes, _ = blobs(120)
    params = UMAPParams(n_epochs=10)
    first, cached = umap_cached(codes, "model", "data", params)
    again, cached_again = umap_cached(codes, "model", "data", params)
    assert (cached, cached_again) == (False, True) and np.array_equal(first, again)


def test_too_few_codes_are_refused_in_words():
    with pytest.raises(ValueError, match="at least 5 points"):
        compute_umap(np.zeros((3, 2), np.float32))
