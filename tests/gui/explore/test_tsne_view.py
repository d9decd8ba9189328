"""The t-SNE view: computed in the background, cancellable, cached for the next launch."""

import numpy as np
from mouse import click, move, steady_pixel

from vae_explorer.core.latent import tsne
from vae_explorer.core.latent.tsne import TSNEParams

FAST = TSNEParams(perplexity=20, early_iter=60, n_iter=120)


def open_tsne(make_window, pair, qtbot):
    w = make_window(pair)
    w.work.tsne_params = FAST
    w.explorer.view_actions["tsne"].trigger()
    return w


def test_tsne_map_is_computed_and_its_inverse_is_exact_at_data(make_window, digits_pair, qtbot):
    w = open_tsne(make_window, digits_pair, qtbot)
    assert w.task_status.isVisible() or "tsne" in w.session.slots["left"].native
    qtbot.waitUntil(
        lambda: (
            w.is_settled()
            and all(p.drawn_key == (id(w.session.projection(p.slot)), "tsne") for p in w.explorer.maps.values())
        ),
        timeout=60_000,
    )
    for slot, panel in w.explorer.maps.items():
        proj = w.session.projection(slot)
        assert not proj.exact and "approximate" in panel.title.text()
        codes = w.session.slots[slot].codes.mu
        assert np.allclose(proj.inverse(proj.points[:20]), codes[:20], atol=1e-5)
    # beside the decoded image too, for as long as the t-SNE map is on show
    w.session.select(3)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    assert all("approximate (t-SNE)" in d.stats.text() for d in w.explorer.decoders.values())
    w.explorer.view_actions["pca"].trigger()
    assert not any("approximate" in d.stats.text() for d in w.explorer.decoders.values())
    assert all("distance to nearest data code" in d.stats.text() for d in w.explorer.decoders.values())


def test_second_open_uses_the_cache(make_window, digits_pair, qtbot, monkeypatch):
    w = open_tsne(make_window, digits_pair, qtbot)
    qtbot.waitUntil(
        lambda: w.is_settled() and all("tsne" in s.native for s in w.session.slots.values()), timeout=60_000
    )
    first = w.session.slots["right"].native["tsne"].points.copy()
    w.close()

    def recompute(*args, **kwargs):
        raise AssertionError("t-SNE recomputed although it was cached")

    monkeypatch.setattr(tsne, "compute_tsne", recompute)
    again = open_tsne(make_window, digits_pair, qtbot)
    qtbot.waitUntil(
        lambda: again.is_settled() and all("tsne" in s.native for s in again.session.slots.values()), timeout=20_000
    )
    assert np.array_equal(again.session.slots["right"].native["tsne"].points, first)
    assert not again.messages.text()


def test_cancelling_tsne_half_way_goes_back_to_pca(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.work.tsne_params = TSNEParams(perplexity=20, early_iter=250, n_iter=5000)
    partials = []
    w.session.partial_map.connect(partials.append)
    w.explorer.view_actions["tsne"].trigger()
    qtbot.waitUntil(lambda: len(partials) >= 2, timeout=30_000)  # the map animates while it converges
    assert w.task_status.isVisible() and "t-SNE of" in w.task_status.label.text()
    qtbot.waitUntil(lambda: 0 < w.task_status.bar.value() < 1000, timeout=10_000)  # the bar moves
    w.task_status.cancel.click()
    qtbot.waitUntil(lambda: w.session.view == "pca", timeout=10_000)
    assert "t-SNE cancelled" in w.status_text.text()
    qtbot.waitUntil(lambda: not w.runner.busy(), timeout=10_000)
    assert all("tsne" not in s.native for s in w.session.slots.values())
    # the explorer keeps working with what it had
    w.session.select(4)
    qtbot.waitUntil(w.is_settled, timeout=5000)
    assert w.explorer.maps["left"].drawn_key[1] == "pca"


def test_closing_while_tsne_runs(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.work.tsne_params = TSNEParams(perplexity=20, early_iter=250, n_iter=5000)
    w.explorer.view_actions["tsne"].trigger()
    qtbot.waitUntil(w.runner.busy, timeout=5000)
    threads = [t.thread for t in w.runner.tasks.values()]
    w.close()
    assert not any(t.is_alive() for t in threads)


def test_above_the_threshold_the_map_says_it_was_sampled_then_placed(make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.work.tsne_params = TSNEParams(perplexity=20, early_iter=60, n_iter=120, fit_max=200, sample=150, place_iter=30)
    w.explorer.view_actions["tsne"].trigger()
    qtbot.waitUntil(
        lambda: (
            w.is_settled()
            and all(p.drawn_key == (id(w.session.projection(p.slot)), "tsne") for p in w.explorer.maps.values())
        ),
        timeout=60_000,
    )
    n = len(w.session.dataset)
    for slot, panel in w.explorer.maps.items():
        assert f"150 sampled codes fitted, the other {n - 150} placed" in panel.title.text()
        proj, codes = w.session.projection(slot), w.session.slots[slot].codes.mu
        assert proj.points.shape == (n, 2) and np.isfinite(proj.points).all()
        assert np.allclose(proj.inverse(proj.points[:20]), codes[:20], atol=1e-5)  # exact at every data point
    # hover and select work on the placed points as on the fitted ones
    left = w.explorer.maps["left"]
    pts = left.shown_points
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    np.fill_diagonal(d, np.inf)
    index = int(np.argmax(d.min(axis=1)))
    at = steady_pixel(left, *pts[index])  # late results still resize the map on a busy machine
    move(left, at, held=False)
    qtbot.waitUntil(lambda: w.session.hover == index, timeout=3000)
    click(left, at)
    assert w.session.selection == index
