"""Importing quickly: no garbage collection while the command line or the window imports."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quick_imports(freeze: bool = False) -> Iterator[None]:
    """Collect no garbage while the block runs; ``freeze``: then leave what it made out of later collections.

    Importing torch, numpy, Qt and the package makes a few hundred thousand objects that
    live as long as the process; collecting while they are made costs a quarter of a
    second of start-up and finds nothing to free.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()
