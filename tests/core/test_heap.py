"""Freed memory: kept for the next batch while a batch loop runs, returned at once otherwise (glibc)."""

import resource
import sys

import numpy as np
import pytest

from vae_explorer.core.heap import _HEAP, return_freed_memory, reusing_freed_memory

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or _HEAP.mallopt is None, reason="glibc's malloc only"
)

BLOCK = 8 << 20  # bytes: as big as a batch's activations


@pytest.fixture
def small_pages():
    """numpy asks for huge pages for big arrays; without them a fresh page is a fault, and faults count pages."""
    from numpy._core.multiarray import _set_madvise_hugepage

    before = _set_madvise_hugepage(False)
    yield
    _set_madvise_hugepage(before)


def faults_of_a_block_used_twice() -> int:
    """Page faults this thread takes to fill a block a second time, after freeing the first."""
    np.ones(BLOCK, np.uint8)  # filled and freed
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    np.ones(BLOCK, np.uint8)
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


def test_a_batch_loop_reuses_the_memory_the_last_batch_freed_and_hands_it_back_after(small_pages):
    return_freed_memory()  # as the application starts
    pages = BLOCK // resource.getpagesize()
    assert faults_of_a_block_used_twice() >= pages // 2  # normally a freed block goes back at once
    with reusing_freed_memory():
        with reusing_freed_memory():  # a second loop (the other model encoding) at the same time
            assert faults_of_a_block_used_twice() < pages // 10  # the freed block came back: no fresh pages
        assert faults_of_a_block_used_twice() < pages // 10  # one loop still runs
    # the last loop ended: a freed block goes back to the system again, and the next one is fresh pages
    assert faults_of_a_block_used_twice() >= pages // 2
