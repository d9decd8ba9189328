"""``train --history``: each epoch's codes of fixed test images, small enough to ship, read back for replay."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vae_explorer.core.data import load_dataset
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.training.history import HISTORY_IMAGES, pack_codes, read_history, unpack_codes
from vae_explorer.core.training.loop import TrainConfig, train


@given(arrays(np.float32, st.tuples(st.integers(0, 40), st.just(2)), elements=st.floats(-6e4, 6e4, width=32)))
def test_codes_round_trip_at_float16_precision(mu):
    back = unpack_codes(pack_codes(mu), len(mu))
    np.testing.assert_array_equal(back, mu.astype(np.float16).astype(np.float32))


def test_a_wrong_number_of_codes_is_refused():
    with pytest.raises(ValueError, match="6 values stored, 8 expected"):
        unpack_codes(pack_codes(np.zeros((3, 2))), 4)


def test_a_2d_run_stores_each_epochs_codes_and_they_are_the_models(tmp_path):
    with_history, plain = tmp_path / "h.pt", tmp_path / "p.pt"
    common = dict(data="digits", kind="vae", latent_dim=2, epochs=3, batch_size=64)
    train(TrainConfig(**common, out=str(with_history), history=True))
    train(TrainConfig(**common, out=str(plain)))
    ckpt = load_checkpoint(with_history)
    replay = read_history(ckpt.metadata)
    test = load_dataset("digits", "test")
    n = min(HISTORY_IMAGES, len(test))
    assert replay.codes.shape == (3, n, 2) and list(replay.epochs) == [1, 2, 3]
    np.testing.assert_array_equal(replay.labels, test.labels[replay.indices])
    assert [m["neg_elbo"] for m in replay.metrics] == [h["test"]["neg_elbo"] for h in ckpt.metadata["history"]]
    last = encode_images(ckpt.build_model(), test.images[replay.indices]).mu
    np.testing.assert_allclose(replay.codes[-1], last, atol=2e-3 * np.abs(last).max())  # float16 of the same codes
    assert not np.allclose(replay.codes[0], replay.codes[-1], atol=1e-2)  # the clouds moved
    extra = with_history.stat().st_size - plain.stat().st_size
    assert 0 < extra < 3 * (n * 2 * 2 * 4 / 3 + 2000)  # ~2.7 kB of codes per epoch, plus the indices
    assert read_history(load_checkpoint(plain).metadata) is None
