"""Lock files as hostile input: never followed, never truncated, read a few bytes at most, never a hang."""

import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS, assert_one_line, make_char_device, snapshot, time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.lock import check_lockable, exclusive_lock, lock_holder, lock_path
from vae_explorer.core.training.form import DEFAULTS, parse_form
from vae_explorer.core.training.outputs import free_output

HYPOTHESIS = settings(**{**SETTINGS, "max_examples": 10}, suppress_health_check=[HealthCheck.function_scoped_fixture])


def plant(kind: str, lock, tmp_path):
    """Put ``kind`` where the lock file goes; the file a link points at lies in ``tmp_path``."""
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n")
    if kind == "link":
        lock.symlink_to(victim)
    elif kind == "dangling link":
        lock.symlink_to(tmp_path / "nowhere")
    elif kind == "FIFO":
        os.mkfifo(lock)
    elif kind == "folder":
        lock.mkdir()
    elif kind == "device":
        make_char_device(lock)
    return victim


KINDS = ("link", "dangling link", "FIFO", "folder", "device")
WORDS = {"link": "symbolic link", "dangling link": "symbolic link", "FIFO": "FIFO", "folder": "folder"}
WORDS["device"] = "character device"


@HYPOTHESIS
@given(kind=st.sampled_from(KINDS), name=st.sampled_from(["m.pt", "run 1.pt", "ü.pt", "n" * 250 + ".pt"]))
def test_a_lock_that_is_not_a_regular_file_is_refused_in_one_line_and_left_alone(tmp_path, kind, name):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    out = folder / name
    lock = lock_path(out)
    plant(kind, lock, folder)
    before = snapshot(folder)
    with time_limit(20):
        assert lock_holder(out) is None
        for attempt in (check_lockable, lambda p: exclusive_lock(p).__enter__()):
            with pytest.raises(VaeExplorerError) as caught:
                attempt(out)
            assert_one_line(str(caught.value), str(lock), WORDS[kind])
    assert snapshot(folder) == before


def test_train_refuses_a_symlinked_lock_and_leaves_its_target_alone(capsys, tmp_path):
    victim = plant("link", tmp_path / ".m.pt.lock", tmp_path)
    rc, _, err = run_cli(capsys, "train", "--data", "digits", "--epochs", "1", "--out", tmp_path / "m.pt")
    assert_one_line_error(rc, err, r"\.m\.pt\.lock is a symbolic link, not a lock file")
    assert victim.read_text() == "the user's own file\n"
    assert not (tmp_path / "m.pt").exists()


def test_the_train_form_names_a_fifo_lock_without_waiting(tmp_path):
    out = tmp_path / "m.pt"
    plant("FIFO", lock_path(out), tmp_path)
    with time_limit(20):
        result = parse_form({**DEFAULTS, "data": "digits", "out": str(out)}, ["cpu"])
    assert result.config is None
    assert "FIFO" in result.errors["out"] and ".m.pt.lock" in result.errors["out"]


def test_a_hard_linked_lock_is_never_truncated(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n")
    os.link(victim, lock_path(tmp_path / "m.pt"))
    with exclusive_lock(tmp_path / "m.pt") as lock:
        assert lock.read_text().strip() == str(os.getpid())
    assert victim.read_text() == "the user's own file\n"


def test_a_gigabyte_lock_file_is_read_a_few_bytes_at_most(tmp_path):
    out = tmp_path / "m.pt"
    with open(lock_path(out), "wb") as fh:  # sparse: a gigabyte on paper, nothing on disk
        fh.write(b"1")
        fh.truncate(1 << 30)
    tracemalloc.start()
    try:
        with time_limit(20):
            assert lock_holder(out) is None
            suggested = free_output(tmp_path, "m")
            with exclusive_lock(out) as lock:  # taken over: no one holds it
                assert lock.stat().st_size < 16
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < (1 << 20), f"{peak:,} bytes allocated"
    assert suggested == out


@pytest.fixture
def stranger():
    """A live process that has nothing to do with vae-explorer."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    yield proc.pid
    proc.stdin.close()
    proc.wait(timeout=30)


def test_a_stale_lock_naming_a_live_stranger_does_not_block_the_name(tmp_path, stranger):
    out = tmp_path / "m.pt"
    lock_path(out).write_text(f"{stranger}\n")
    assert lock_holder(out) is None
    assert free_output(tmp_path, "m") == out
    result = parse_form({**DEFAULTS, "data": "digits", "out": str(out)}, ["cpu"])
    assert result.config is not None, result.errors
    with exclusive_lock(out):
        pass
