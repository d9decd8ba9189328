"""The output lock: one writer per file while it lives; a lock left by a dead process is taken over."""

import os
import subprocess
import sys
import textwrap

import pytest

from vae_explorer.core.io.lock import LockedError, exclusive_lock, lock_holder, lock_path

HOLD = textwrap.dedent(
    """
    import sys, time
    from vae_explorer.core.io.lock import exclusive_lock
    with exclusive_lock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture
def holder(tmp_path):
    """A live process holding the lock of ``tmp_path/m.pt`` until its stdin closes."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "m.pt")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    assert proc.stdout.readline().strip() == b"locked"
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


def test_a_second_writer_is_refused_while_the_first_lives(tmp_path, holder):
    out = tmp_path / "m.pt"
    assert lock_holder(out) == holder.pid
    with pytest.raises(LockedError) as caught, exclusive_lock(out):
        pass
    message = str(caught.value)
    assert f"process {holder.pid}" in message and str(out) in message and "\n" not in message
    holder.stdin.close()
    holder.wait(timeout=30)
    assert not lock_path(out).exists()  # removed by its owner on the way out
    with exclusive_lock(out):
        assert lock_holder(out) is None  # our own lock is not "another run"


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path, holder):
    out = tmp_path / "m.pt"
    holder.kill()
    holder.wait(timeout=30)
    assert lock_path(out).exists()  # killed: it could not clean up
    assert lock_holder(out) is None
    with exclusive_lock(out) as lock:
        assert lock.read_text().strip() == str(os.getpid())
    assert not lock.exists()


def test_a_stale_lock_file_naming_a_dead_process_is_taken_over(tmp_path):
    out = tmp_path / "m.pt"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock_path(out).write_text(dead.stdout)
    assert lock_holder(out) is None
    with exclusive_lock(out):
        pass


def test_a_lock_in_a_folder_that_cannot_be_written_is_one_line(tmp_path):
    with (
        pytest.raises(Exception, match=r"cannot lock .*missing.*m\.pt.*No such file"),
        exclusive_lock(tmp_path / "missing" / "m.pt"),
    ):
        pass


def test_a_path_without_a_file_name_has_no_holder():
    assert lock_holder("/") is None and lock_holder("") is None


def test_an_output_with_a_name_of_250_characters_is_locked_once(tmp_path):
    out, other = tmp_path / ("n" * 247 + ".pt"), tmp_path / ("m" * 247 + ".pt")
    with exclusive_lock(out) as lock:
        assert len(lock.name) < 20 and lock.read_text().strip() == str(os.getpid())
        assert lock_path(other) != lock and lock_holder(other) is None
    assert not lock.exists()
