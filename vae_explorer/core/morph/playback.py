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
