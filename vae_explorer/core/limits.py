"""The bounds of the numbers a user gives, in one table for the command line, recipes and the forms.

Each :class:`Limit` holds a number's kind, its bounds and why they are where they
are. The argparse types, the recipe reader, the training settings and the GUI's
spin boxes all take theirs from here, so a bound is written once and a value is
refused the same way (never NaN, never infinite) wherever it comes from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

FLOAT32_MAX = float(np.finfo(np.float32).max)  # codes are 32-bit floats: a larger number becomes infinity


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else repr(value)


@dataclass(frozen=True)
class Limit:
    """Bounds of one number: ``low`` to ``high`` (``open_low``: ``low`` itself is refused); ``why`` says why."""

    kind: type  # int or float
    low: float | None = None
    high: float | None = None
    why: str = ""
    open_low: bool = False
    float32: bool = False  # the value becomes a 32-bit float, which holds at most FLOAT32_MAX

    def problem(self, value: Any, shown: str | None = None) -> str | None:
        """Why ``value`` is refused, as a phrase to follow its name ("must be 1 to 16 (...), not 17"), or ``None``."""
        shown = _shown(value) if shown is None else shown
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a {'whole number' if self.kind is int else 'number'}, not {shown}"
        if self.kind is int and isinstance(value, float) and not value.is_integer():
            return f"must be a whole number, not {shown}"
        finite = not isinstance(value, float) or math.isfinite(value)  # an int of any size is finite
        low, high, why = self.low, self.high, f" ({self.why})" if self.why else ""
        above_low = low is None or (value > low if self.open_low else value >= low)
        if self.float32 and finite and abs(value) > FLOAT32_MAX:
            return f"must be at most {FLOAT32_MAX:.4g} either way{why}, not {shown}"
        if finite and above_low and (high is None or value <= high):
            return None
        if low is not None and high is not None:  # NaN and infinities fall outside a range too
            if self.open_low:
                return f"must be above {self._text(low)} and at most {self._text(high)}{why}, not {shown}"
            return f"must be {self._text(low)} to {self._text(high)}{why}, not {shown}"
        if not finite:
            return f"must be a finite number, not {shown}"
        if low is None:
            return f"must be at most {self._text(high)}{why}, not {shown}"
        return f"must be {'above' if self.open_low else 'at least'} {self._text(low)}, not {shown}"

    def _text(self, bound: float | None) -> str:
        return f"{int(bound):,}" if self.kind is int and bound is not None else f"{bound:g}"

    def parse(self, text: str) -> Any:
        """The number a user typed, within bounds; raises ``ValueError`` with a short reason."""
        text = str(text).strip()
        try:
            value = self.kind(text)
        except ValueError:
            noun = "whole number" if self.kind is int else "number"
            raise ValueError(f"{text!r} is not a {noun}" if text else f"needs a {noun}") from None
        reason = self.problem(value, text if self.kind is float else None)
        if reason:
            raise ValueError(reason)
        return value

    def check(self, value: Any, name: str, error: type[Exception] = ValueError) -> Any:
        """``value`` when within bounds, else ``error("NAME must be ...")``."""
        reason = self.problem(value)
        if reason:
            raise error(f"{name} {reason}")
        return value


FPS = Limit(float, 0.01, 50.0, "a GIF stores each frame's time in hundredths of a second")
SCALE = Limit(int, 1, 16, "each pixel drawn S x S")
FRAMES = Limit(int, 2, 240, "all frames are decoded at once, and a GIF of more is no smoother")
TEST_FRACTION = Limit(float, 0.0, 0.5, "most images are for training", open_low=True)
IMAGE_SIZE = Limit(int, 4, 64, "the side a folder's images are resized to")
ALPHA = Limit(float, why="codes are 32-bit floats", float32=True)

LIMITS: dict[str, Limit] = {
    "fps": FPS,
    "scale": SCALE,
    "frames": FRAMES,
    "test_fraction": TEST_FRACTION,
    "image_size": IMAGE_SIZE,
    "alpha": ALPHA,
}
