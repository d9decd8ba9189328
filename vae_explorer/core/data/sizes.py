"""The one square size a folder's images are resized to, and a note for the user when any image is resized."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from vae_explorer.core.limits import IMAGE_SIZE

MIN_SIDE, MAX_SIDE = int(IMAGE_SIZE.low), int(IMAGE_SIZE.high)
DEFAULT_SIDE = 32  # for images that are not square, or larger than MAX_SIDE
SIZES_LISTED = 3


def _text(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def choose_size(folder: Path, sizes: list[tuple[int, int]], side: int | None = None) -> tuple[tuple[int, int], str]:
    """The size ``(width, height)`` every image is resized to, and a note when any image is resized (else ``""``).

    ``sizes``: each image's ``(width, height)``. ``side``, when given, decides;
    else the most common size when it is square and ``MIN_SIDE`` to ``MAX_SIDE``
    pixels a side (of equally common sizes, the smaller), else ``DEFAULT_SIDE``.
    """
    counts = sorted(Counter(sizes).items(), key=lambda item: (-item[1], item[0]))  # most common first, then smaller
    common = counts[0][0]
    if side:
        chosen = (side, side)
    elif common[0] == common[1] and MIN_SIDE <= common[0] <= MAX_SIDE:
        chosen = common
    else:
        chosen = (DEFAULT_SIDE, DEFAULT_SIDE)
    if len(counts) == 1 and counts[0][0] == chosen:
        return chosen, ""
    how = "chosen with --image-size" if side else "choose another with --image-size N"
    if len(counts) == 1:
        return chosen, f"{folder}: the images are {_text(common)}: resized to {_text(chosen)} ({how})"
    listed = ", ".join(f"{n} of {_text(s)}" for s, n in counts[:SIZES_LISTED])
    more = f" and {len(counts) - SIZES_LISTED} more sizes" if len(counts) > SIZES_LISTED else ""
    return chosen, (f"{folder}: images of {len(counts)} sizes ({listed}{more}): all resized to {_text(chosen)} ({how})")
