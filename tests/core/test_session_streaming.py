"""The session while codes stream in: partial maps on show, the right one turned to the left, then the finished maps.

The encoding workers are run here in line, their partial maps handed to the session
in the orders two workers may deliver them.
"""

from dataclasses import replace

import numpy as np
import pytest
from trained import digits_pair

from vae_explorer.core.data import load_digits
from vae_explorer.core.latent.projection import procrustes_rotation
from vae_explorer.core.latent.stream import FIRST_FIT, STREAM_ABOVE, encode_for_maps, encode_streaming
from vae_explorer.core.session import Session


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return digits_pair(tmp_path_factory, latent_dim=4, epochs=3)


@pytest.fixture(scope="module")
def data():
    """The digits, copied with a little noise to more images than are encoded in one go."""
    digits = load_digits("all")
    copies = STREAM_ABOVE // len(digits) + 2
    rng = np.random.default_rng(0)
    noise = rng.integers(-8, 9, (copies * len(digits), *digits.images.shape[1:]))
    images = np.clip(np.tile(digits.images, (copies, 1, 1, 1)).astype(int) + noise, 0, 255).astype(np.uint8)
    return replace(digits, images=images, labels=np.tile(digits.labels, copies), _fingerprint=None)


@pytest.fixture
def session(pair, data):
    s = Session("cpu")
    s.open_pair(*pair, data)
    return s


def stream(session, slot):
    """Every partial map the worker of ``slot`` hands out, and its codes."""
    partials = []
    codes = encode_streaming(session.slots[slot].model, session.dataset.images, partials.append, interval_s=0.0)
    return partials, codes


def misfit(points, target):
    return np.linalg.norm((points - points.mean(0)) - (target - target.mean(0)))


def test_the_right_partial_map_waits_for_the_left_and_is_turned_to_it(session):
    shown = []
    session.partial_map.connect(shown.append)
    right, _ = stream(session, "right")
    left, _ = stream(session, "left")
    session.show_partial("right", "pca", right[0])
    assert session.partial("right") is None and shown == []  # held: the left side's first points are due
    session.show_partial("left", "pca", left[0])
    assert shown == ["left", "right"]
    assert session.partial("left") is left[0]
    on_show = session.partial("right")
    reference = left[0].points[:FIRST_FIT]
    assert np.array_equal(on_show.indices, right[0].indices)
    assert misfit(on_show.points[:FIRST_FIT], reference) < misfit(right[0].points[:FIRST_FIT], reference)
    turn = session.slots["right"].partial_turn
    assert np.allclose(turn, procrustes_rotation(right[0].points[:FIRST_FIT], reference), atol=1e-6)
    # later partial maps keep that turn: the right map never turns under the user's eyes
    session.show_partial("left", "pca", left[-1])
    session.show_partial("right", "pca", right[-1])
    assert np.allclose(session.partial("right").points, right[-1].points @ turn, atol=1e-5)
    assert session.partial("right", "tsne") is None


def test_finished_maps_replace_the_partial_ones(session):
    left, _ = stream(session, "left")
    right, _ = stream(session, "right")
    session.show_partial("left", "pca", left[-1])
    session.show_partial("right", "pca", right[-1])
    images = session.dataset.images
    done = {
        slot: encode_for_maps(session.slots[slot].model, slot, "d", images, lambda p: None)
        for slot in ("left", "right")
    }
    # the right side finishes first: turned to match the left's partial map
    session.set_codes("right", *done["right"])
    assert session.partial("right") is None and session.partial("left") is left[-1]
    native = session.slots["right"].native["pca"]
    rows = left[-1].indices
    ahead = session.projection("right").points[rows]
    assert misfit(ahead, left[-1].points) <= misfit(native.points[rows], left[-1].points) + 1e-6
    # then the left: the right map is turned to the left's finished map
    session.set_codes("left", *done["left"])
    assert session.partial("left") is None
    target = session.projection("left").points
    assert np.allclose(session.projection("right").rotation, procrustes_rotation(native.points, target))
    # a late partial map is ignored, as is one for other data
    session.show_partial("left", "pca", left[0])
    assert session.partial("left") is None
    session.set_view("tsne")
    session.show_partial("left", "tsne", replace(left[0], total=5))
    assert session.partial("left") is None


def test_selecting_while_codes_stream_in(session):
    left, _ = stream(session, "left")
    session.show_partial("left", "pca", left[0])
    row = int(left[0].indices[5])
    session.select(row)
    assert session.selection == row and session.slots["left"].cursor_z is None  # no code yet: no cursor
