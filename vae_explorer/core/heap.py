"""How the C library's malloc keeps or returns freed memory: returned at once normally, kept while batches run.

The explorer holds a million points in big arrays that come and go (maps, KD-trees,
images of the points), so normally blocks over 1 MB are mapped on their own and
returned when freed (:func:`return_freed_memory`), and all threads share one heap, so
no thread's heap holds pages for nothing. Encoding is the opposite case: batch after
batch allocates the same blocks of activations and frees them, and returning them
meant a page fault for every fresh page of every batch (tens of millions at a million
images, most of the encoding's time in the kernel). :func:`reusing_freed_memory`
keeps freed blocks for the next batch while any batch loop runs, and hands them back
when the last one ends. glibc only; elsewhere both do nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
import threading
from collections.abc import Callable, Iterator

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8  # glibc's mallopt parameters
RETURN_ABOVE = 1 << 20  # normally, blocks over 1 MB are mapped on their own and unmapped when freed
TRIM_ABOVE = 128 << 10  # normally, free memory over this at a heap's top goes back (glibc's default)
KEEP_UPTO = 32 << 20  # while batches run, blocks up to 32 MB come from the heap and go back to it
KEEP_TOP = 256 << 20  # ... and the heap keeps this much free memory at its top


class _Heap:
    """The process's malloc settings, and how many batch loops want freed memory kept."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keepers = 0
        self.mapped_above = 128 << 10  # glibc's starting threshold, until one is set
        self.mallopt, self.trim = self._libc()

    @staticmethod
    def _libc() -> tuple[Callable[[int, int], int] | None, Callable[[int], int] | None]:
        if not sys.platform.startswith("linux"):
            return None, None
        try:
            libc = ctypes.CDLL("libc.so.6")
            mallopt, trim = libc.mallopt, libc.malloc_trim
        except (OSError, AttributeError):  # another C library (musl, say): nothing to tune
            return None, None
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        return mallopt, trim

    def set(self, mapped_above: int, trim_above: int) -> None:
        if self.mallopt is not None:
            self.mallopt(M_MMAP_THRESHOLD, mapped_above)
            self.mallopt(M_TRIM_THRESHOLD, trim_above)


_HEAP = _Heap()  # the process has one malloc: its settings are process-wide


def return_freed_memory() -> None:
    """From now on, return freed blocks over 1 MB to the system at once, and use one heap for all threads.

    Call it before starting threads (the application does, first thing): a thread that
    has made a heap of its own keeps it.
    """
    with _HEAP.lock:
        _HEAP.mapped_above = RETURN_ABOVE
        if _HEAP.mallopt is not None:
            _HEAP.mallopt(M_ARENA_MAX, 1)
        if not _HEAP.keepers:
            _HEAP.set(RETURN_ABOVE, TRIM_ABOVE)


@contextlib.contextmanager
def reusing_freed_memory() -> Iterator[None]:
    """Within: freed blocks up to 32 MB are kept for reuse. After the last loop using it ends, they go back."""
    with _HEAP.lock:
        _HEAP.keepers += 1
        if _HEAP.keepers == 1:
            _HEAP.set(KEEP_UPTO, KEEP_TOP)
    try:
        yield
    finally:
        with _HEAP.lock:
            _HEAP.keepers -= 1
            if not _HEAP.keepers:
                _HEAP.set(_HEAP.mapped_above, TRIM_ABOVE)
                if _HEAP.trim is not None:
                    _HEAP.trim(0)
