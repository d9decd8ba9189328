"""The UMAP view: computed in the background with progress, cancellable, cached for the next launch."""

import numpy as np

from vae_explorer.core.latent import umap_map
from vae_explorer.core.latent.umap_map import UMAPParams

FAST = UMAPParams(n_epochs=30)
COMPILE_MS = 600_000  # a guard, not a timing: the first UMAP of a test run compiles, slowly on a busy machine


def open_umap(make_window, pair, params=FAST, notes=None):
    """A window on ``pair`` switched to UMAP; ``notes`` collects what its tasks say they are doing."""
    w = make_window(pair)
    w.work.umap_params = params
    if notes is not None:
        w.runner.sigStarted.connect(lambda task: task.sigProgress.connect(lambda f, text: notes.append(text)))
    w.explorer.view_actions["umap"].trigger()
    return w


def umap_shown(w) -> bool:
    return w.is_settled() and all(
        p.drawn_key == (id(w.session.projection(p.slot)), "umap") for p in w.explorer.maps.values()
    )


def test_umap_map_is_computed_then_cached_and_its_inverse_is_exact_at_data(
    make_window, digits_pair, qtbot, monkeypatch
):
    notes = []
    w = open_umap(make_window, digits_pair, notes=notes)
    qtbot.waitUntil(lambda: umap_shown(w), timeout=COMPILE_MS)
    assert notes[0] == "compiling UMAP on first use, about a minute"  # a fresh cache: said before it compiles
    for slot, panel in w.explorer.maps.items():
        proj = w.session.projection(slot)
        assert "UMAP" in panel.title.text() and "approximate" in panel.title.text()
        codes = w.session.slots[slot].codes.mu
        assert proj.points.shape == (len(codes), 2) and np.isfinite(proj.points).all()
        assert np.allclose(proj.inverse(proj.points[:20]), codes[:20], atol=1e-5)
    w.session.select(3)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    assert all("approximate (UMAP)" in d.stats.text() for d in w.explorer.decoders.values())
    first = w.session.slots["right"].native["umap"].points.copy()
    w.close()

    def recompute(*args, **kwargs):
        raise AssertionError("UMAP recomputed although it was cached")

    monkeypatch.setattr(umap_map, "compute_umap", recompute)
    again = open_umap(make_window, digits_pair)
    qtbot.waitUntil(lambda: umap_shown(again), timeout=20_000)
    assert np.array_equal(again.session.slots["right"].native["umap"].points, first)
    assert "UMAP of" in again.status_text.text() and "loaded from the cache" in again.status_text.text()


def test_cancelling_umap_goes_back_to_pca(make_window, digits_pair, qtbot):
    w = open_umap(make_window, digits_pair, UMAPParams(n_epochs=20_000))
    qtbot.waitUntil(lambda: w.task_status.isVisible(), timeout=10_000)
    assert "UMAP of" in w.task_status.label.text()
    qtbot.waitUntil(lambda: 0 < w.task_status.bar.value() < 1000, timeout=COMPILE_MS)  # into its epochs
    w.task_status.cancel.click()
    qtbot.waitUntil(lambda: w.session.view == "pca", timeout=20_000)
    assert "UMAP cancelled" in w.status_text.text()
    qtbot.waitUntil(lambda: not w.runner.busy(), timeout=20_000)
    assert all("umap" not in s.native for s in w.session.slots.values())
    assert w.explorer.maps["left"].drawn_key[1] == "pca"
