"""Freed memory: kept for the next batch while a batch loop runs, returned at once otherwise (glibc)."""

import subprocess
import sys
import textwrap

import pytest

from vae_explorer.core.heap import _HEAP

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or _HEAP.mallopt is None, reason="glibc's malloc only"
)

# In a process of its own: malloc's settings are the process's, and other tests' workers may be encoding.
CHECK = textwrap.dedent(
    """
    import resource

    import numpy as np
    from numpy._core.multiarray import _set_madvise_hugepage

    from vae_explorer.core.heap import return_freed_memory, reusing_freed_memory

    _set_madvise_hugepage(False)  # without huge pages a fresh page is a fault, and faults count pages
    BLOCK = 8 << 20  # bytes: as big as a batch's activations


    def faults_of_a_block_used_twice():
        np.ones(BLOCK, np.uint8)  # filled and freed
        before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        np.ones(BLOCK, np.uint8)
        return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


    return_freed_memory()  # as the application starts
    seen = [faults_of_a_block_used_twice()]
    with reusing_freed_memory():
        with reusing_freed_memory():  # a second loop (the other model encoding) at the same time
            seen.append(faults_of_a_block_used_twice())
        seen.append(faults_of_a_block_used_twice())  # one loop still runs
    seen.append(faults_of_a_block_used_twice())
    print(BLOCK // resource.getpagesize(), *seen)
    """
)


def test_a_batch_loop_reuses_the_memory_the_last_batch_freed_and_hands_it_back_after():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout
    pages, normally, both_loops, one_loop, after = (int(v) for v in out.split())
    assert normally >= pages // 2  # normally a freed block goes back at once: the next one is fresh pages
    assert both_loops < pages // 10 and one_loop < pages // 10  # while a loop runs, the freed block comes back
    assert after >= pages // 2  # the last loop ended: freed blocks go back to the system again
