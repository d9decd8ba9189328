"""A torchrun group that loses a process: each one left ends in one line naming the rank it lost, the last
good checkpoint stays, and the output's lock is free again."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import assert_one_line_error
from hostile_files import time_limit

import vae_explorer
from vae_explorer.core.io.lock import exclusive_lock, lock_holder
from vae_explorer.core.model.checkpoint import load_checkpoint


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_group(out: Path, cwd: Path) -> list[subprocess.Popen]:
    """Two CPU processes training one model, as torchrun starts them (its environment, without its agent)."""
    base = {**os.environ, "PYTHONPATH": str(Path(vae_explorer.__file__).parents[1]), "OMP_NUM_THREADS": "1"}
    base |= {"WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(_free_port())}
    argv = [sys.executable, "-m", "vae_explorer", "train", "--data", "digits", "--latent-dim", "2"]
    argv += ["--batch-size", "256", "--epochs", "100000", "--device", "cpu", "--progress", "none", "--out", str(out)]
    return [
        subprocess.Popen(
            argv,
            env={**base, "RANK": str(rank), "LOCAL_RANK": str(rank)},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in (0, 1)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("victim", [1, 0])
def test_every_rank_left_names_the_one_it_lost_and_the_checkpoint_stays(tmp_path, victim):
    out = tmp_path / "m.pt"
    group = _start_group(out, tmp_path)
    try:
        with time_limit(180):
            while not out.exists():  # the first epoch is saved
                assert all(p.poll() is None for p in group), [p.communicate() for p in group]
                time.sleep(0.2)
            group[victim].kill()
            group[victim].wait()
            survivor = group[1 - victim]
            _, err = survivor.communicate()
    finally:
        for p in group:
            if p.poll() is None:
                p.kill()
                p.communicate()
    pid = group[victim].pid
    pattern = rf"rank {1 - victim} of 2: lost rank {victim} \(process {pid} ended\); training stopped, and .*m.pt keeps"
    assert_one_line_error(survivor.returncode, err, pattern)
    epochs = int(err.split("keeps epoch ")[1].split()[0].strip(","))
    ckpt = load_checkpoint(out)  # whole, and holding the epoch the message names (or one rank 0 saved after it)
    assert ckpt.metadata["epochs"] >= epochs >= 1
    assert lock_holder(out) is None
    with exclusive_lock(out):  # a new run can take the file
        pass
