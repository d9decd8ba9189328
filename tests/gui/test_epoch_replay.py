"""The training replay of lesson 3: an epoch slider whose stored codes are drawn on the VAE's map."""

from dataclasses import dataclass, field

import numpy as np

from vae_explorer.gui.map.overlays import REPLAY_FADE


@dataclass
class Replay:
    epochs: np.ndarray
    codes: np.ndarray
    labels: np.ndarray | None
    metrics: list = field(default_factory=list)


def drawn(panel) -> np.ndarray:
    x, y = panel.replay.getData()
    return np.column_stack([x, y])


def test_the_epoch_slider_redraws_that_epochs_codes(make_window, digits_pair_2d, qtbot):
    w = make_window(digits_pair_2d)
    w.session.set_view("latent")  # the 2-D plane: map points are the codes themselves
    rng = np.random.default_rng(0)
    codes = np.stack([rng.normal(0, scale, (40, 2)) for scale in (3.0, 2.0, 1.0)]).astype(np.float32)
    history = Replay(np.array([1, 2, 3]), codes, np.arange(40) % 10, [{"kl": 9.0}, {"kl": 5.5}, {"kl": 4.25}])
    replay, right, left = w.explorer.lesson.replay, w.explorer.maps["right"], w.explorer.maps["left"]
    replay.set_history("right", history)
    assert replay.isVisibleTo(w.explorer.lesson) and replay.slider.maximum() == 2
    assert np.allclose(drawn(right), codes[0]) and right.scatter.opacity() == REPLAY_FADE
    assert left.replay.getData()[0] is None or len(left.replay.getData()[0]) == 0  # only the VAE's map
    replay.slider.setValue(2)
    assert np.allclose(drawn(right), codes[2])
    # that epoch's codes measured beside the stored test KL: unit-spread codes sit near N(0, I)
    assert replay.label.text() == "epoch 3 of 3 · VAE: codes' KL from N(0, I) 0.06, mean |z| 1.39, test KL 4.25 nats"
    w.session.set_view("pca")  # another view: the same codes, projected
    assert np.allclose(drawn(right), w.session.projection("right").forward(codes[2]))
    replay.set_history("", None)  # another lesson: the data points come back
    assert not replay.isVisibleTo(w.explorer.lesson) and right.scatter.opacity() == 1.0
    assert len(right.replay.getData()[0] if right.replay.getData()[0] is not None else []) == 0
