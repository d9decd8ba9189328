"""Models shown from their cards before their networks load: what they say, what waits on them, damaged cards."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.model.pending import card_path, is_pending, pending_model, remember_card, settle


@pytest.fixture
def vae_path(checkpoints_dir):
    return checkpoints_dir / "digits-vae.pt"


def test_a_checkpoint_opened_once_is_shown_next_time_as_it_was_named_before_its_network_loads(vae_path):
    assert pending_model(vae_path, "auto", threading.Event()) is None  # never opened: no card
    loaded = open_model(vae_path, "cpu")
    remember_card(loaded)
    shown = pending_model(vae_path, "auto", threading.Event())
    assert is_pending(shown) and not is_pending(loaded)
    names = ("name", "short_name", "title", "digest", "kind", "latent_dim", "image_shape", "device_type", "metadata")
    assert {n: getattr(shown, n) for n in names} == {n: getattr(loaded, n) for n in names}


def test_a_decode_waits_for_the_network_and_gets_its_images(vae_path):
    loaded = open_model(vae_path, "cpu")
    remember_card(loaded)
    wanted = threading.Event()
    shown = pending_model(vae_path, "cpu", wanted)
    z = np.zeros((2, shown.latent_dim), np.float32)
    results = []
    worker = threading.Thread(target=lambda: results.append(decode_codes(shown, z)))
    worker.start()
    assert wanted.wait(10)  # waiting on the network asks for it to load
    worker.join(0.2)
    assert worker.is_alive() and not results  # no network yet: still waiting
    assert settle(shown, loaded)
    worker.join(30)
    np.testing.assert_array_equal(results[0], decode_codes(loaded, z))
    assert not is_pending(shown)


def test_a_network_that_never_comes_stops_the_waiting_quietly(vae_path):
    remember_card(open_model(vae_path, "cpu"))
    shown = pending_model(vae_path, "cpu", threading.Event())
    shown.net.fail()
    with pytest.raises(Cancelled):
        decode_codes(shown, np.zeros((1, shown.latent_dim), np.float32))


def test_another_file_under_the_same_name_is_not_put_in_place(vae_path, checkpoints_dir):
    remember_card(open_model(vae_path, "cpu"))
    shown = pending_model(vae_path, "cpu", threading.Event())
    assert not settle(shown, open_model(checkpoints_dir / "digits-ae.pt", "cpu"))
    assert is_pending(shown)  # the caller shows the other model instead


@pytest.mark.parametrize("damage", [b"", b"not a zip", b"PK\x03\x04 truncated"])
def test_a_damaged_card_opens_the_model_as_a_first_launch_does(vae_path, damage):
    loaded = open_model(vae_path, "cpu")
    remember_card(loaded)
    card_path(loaded.digest).write_bytes(damage)
    assert pending_model(vae_path, "auto", threading.Event()) is None
