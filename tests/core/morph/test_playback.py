"""Playback order of a morph: forward, looping, ping-pong, and where it stops."""

from hypothesis import given
from hypothesis import strategies as st

from vae_explorer.core.morph.playback import next_frame, playback_cycle


def play(frames, start, loop, pingpong, ticks=100):
    shown, frame, direction = [], start, 1
    for _ in range(ticks):
        frame, direction = next_frame(frame, frames, direction, loop, pingpong)
        if frame is None:
            break
        shown.append(frame)
    return shown


def test_the_orders_a_user_sees():
    assert play(4, 0, loop=False, pingpong=False) == [1, 2, 3]
    assert play(3, 0, loop=True, pingpong=False, ticks=7) == [1, 2, 0, 1, 2, 0, 1]
    assert play(5, 0, loop=False, pingpong=True) == [1, 2, 3, 4, 3, 2, 1, 0]
    assert play(3, 0, loop=True, pingpong=True, ticks=9) == [1, 2, 1, 0, 1, 2, 1, 0, 1]
    assert play(5, 3, loop=False, pingpong=False) == [4]


@given(st.integers(2, 60), st.data(), st.booleans(), st.booleans())
def test_every_frame_shown_exists_and_steps_by_one_or_wraps(frames, data, loop, pingpong):
    start = data.draw(st.integers(0, frames - 1))
    shown = play(frames, start, loop, pingpong, ticks=3 * frames)
    assert all(0 <= f < frames for f in shown)
    for a, b in zip([start, *shown], shown, strict=False):
        assert abs(a - b) == 1 or (loop and not pingpong and (a, b) == (frames - 1, 0))
    if loop:
        assert len(shown) == 3 * frames  # a looping morph never stops


@given(st.integers(2, 60), st.booleans())
def test_a_gif_plays_one_round_of_what_the_dock_plays_looping(frames, pingpong):
    cycle = playback_cycle(frames, pingpong)
    dock = [0, *play(frames, 0, loop=True, pingpong=pingpong, ticks=3 * len(cycle) - 1)]
    assert dock == cycle * 3  # the GIF, looping, shows the frames the dock shows, in its order
    assert cycle == (list(range(frames)) + list(range(frames - 2, 0, -1)) if pingpong else list(range(frames)))
