"""Which frame a playing morph shows next: forward, looping, or there and back (ping-pong)."""

from __future__ import annotations


def next_frame(frame: int, frames: int, direction: int, loop: bool, pingpong: bool) -> tuple[int | None, int]:
    """The frame after ``frame`` of ``frames`` and the direction then (+1 forward, -1 back).

    ``None`` for the frame: playback ends here (the last frame without ``loop``, or
    back at the first after a ping-pong without ``loop``).
    """
    if not pingpong:
        direction = 1
    after = frame + direction
    if 0 <= after < frames:
        return after, direction
    if pingpong:
        direction = -direction
        if direction > 0 and not loop:
            return None, direction  # there and back, once
        return frame + direction, direction
    return (0 if loop else None), direction


def playback_cycle(frames: int, pingpong: bool) -> list[int]:
    """The frames one round of looped playback shows, from the first: a looping GIF's frame order.

    Forward: ``0 .. n-1``; ping-pong: ``0 .. n-1`` then back ``n-2 .. 1``, so that
    looping it never shows an end frame twice.
    """
    order, frame, direction = [0], 0, 1
    while len(order) < 2 * frames:
        after, direction = next_frame(frame, frames, direction, True, pingpong)
        if after is None or after == 0:
            break
        order.append(frame := after)
    return order
