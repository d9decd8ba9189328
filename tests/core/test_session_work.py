"""The session's work without Qt: a cursor dragged through the session decodes, stale results are dropped.

Tiny real models (an AE and a VAE trained a few epochs on the digits); the work runs
on the synchronous executor, or on one that holds its jobs until the test lets them run.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from trained import digits_pair

from vae_explorer.core.data import load_digits
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.core.session.executor import SyncExecutor
from vae_explorer.core.session.work import Generations, SessionWork


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return digits_pair(tmp_path_factory, latent_dim=4, epochs=6)


@pytest.fixture(scope="module")
def data():
    return load_digits("test")


class HeldExecutor(SyncExecutor):
    """Keeps each latest-wins job until :meth:`run_held` (as a busy worker thread would), the newest per key."""

    def __init__(self) -> None:
        self.held: dict[Any, tuple[Callable[[], Any], Callable[[Any], None], Callable[[str], None]]] = {}

    def latest(self, lane, key, fn, on_result, on_failed) -> None:
        self.held.pop((lane, key), None)
        self.held[(lane, key)] = (fn, on_result, on_failed)

    def run_held(self) -> None:
        held, self.held = self.held, {}
        for fn, on_result, _ in held.values():
            on_result(fn())


def opened(pair, data, executor) -> tuple[Session, SessionWork]:
    session = Session("cpu")
    work = SessionWork(session, executor)
    session.open_pair(*pair, data)
    return session, work


def test_a_cursor_dragged_through_the_session_decodes_every_move(pair, data):
    session, _ = opened(pair, data, SyncExecutor())
    assert all(session.projection(slot) is not None for slot in SLOTS)  # encoded, mapped: no window needed
    session.select(3)
    start = session.slots["right"].cursor_point.copy()
    images = []
    session.decoded_changed.connect(lambda slot: images.append((slot, session.slots[slot].decoded)))
    for step in range(1, 6):
        z = session.move_cursor("right", start + 0.1 * step)
        slot, decoded = images[-1]
        assert slot == "right" and np.array_equal(decoded.z, z)  # the image of where the cursor is now
        assert decoded.image.shape == data.image_shape
    assert len({d.image.tobytes() for s, d in images if s == "right"}) > 1  # moving the cursor changes the image


def test_a_linked_drag_decodes_both_models(pair, data):
    session, _ = opened(pair, data, SyncExecutor())
    session.set_linked(True)
    session.select(5)
    session.move_cursor("left", session.slots["left"].cursor_point + 0.2)
    for slot in SLOTS:
        assert np.array_equal(session.slots[slot].decoded.z, session.slots[slot].cursor_z)


def test_a_decode_made_for_a_replaced_model_is_dropped(pair, data):
    held = HeldExecutor()
    session, _ = opened(pair, data, held)
    session.select(2)  # both cursors ask for a decode, held on the lane
    session.set_model("right", open_model(pair[1], "cpu"))  # meanwhile the right model is replaced
    held.run_held()
    assert session.slots["left"].decoded is not None
    assert session.slots["right"].decoded is None  # its image came from the model that went


def test_the_newest_position_wins_on_a_busy_lane(pair, data):
    held = HeldExecutor()
    session, _ = opened(pair, data, held)
    session.select(2)
    point = session.slots["left"].cursor_point
    for step in range(1, 4):
        session.move_cursor("left", point + 0.1 * step)
    held.run_held()  # one decode ran for the left cursor, the last asked for
    assert np.array_equal(session.slots["left"].decoded.z, session.slots["left"].cursor_z)


def test_the_morph_decodes_when_its_keys_are_set(pair, data):
    session, _ = opened(pair, data, SyncExecutor())
    started = []
    session.morph.decode_started.connect(lambda: started.append(True))
    session.morph.set_start(MorphKey(index=0))
    session.morph.set_end(MorphKey(index=1))
    assert started and set(session.morph.results) == set(SLOTS)
    assert len(session.morph.results["left"].images) == session.morph.frames


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=8), st.sampled_from(["a", "b", "c"]))
def test_a_stamp_is_fresh_until_one_of_its_sources_moves_on(bumps, watched):
    generations = Generations()
    stamp = generations.stamp(watched, "other")
    for source in bumps:
        generations.bump(source)
    assert generations.fresh(stamp) == (watched not in bumps)
