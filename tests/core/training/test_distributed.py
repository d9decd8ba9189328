"""Training under torchrun: two processes (gloo) follow the curve of one with the same global batch."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.training.distributed import EpochSampler, Group, epoch_seed
from vae_explorer.core.training.loop import TrainConfig, train

SETTINGS = dict(data="digits", kind="vae", latent_dim=2, batch_size=64, seed=4, device="cpu")


def torchrun(nproc, *argv, cwd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), OMP_NUM_THREADS="1")
    return subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}"]
        + ["-m", "vae_explorer", "train", *map(str, argv)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


def test_the_sampler_gives_each_process_its_part_of_the_same_global_batches():
    for world in (1, 2, 3):
        parts = [Group(rank, world).part(10) for rank in range(world)]
        assert [i for p in parts for i in range(10)[p]] == list(range(10))  # contiguous, all, once
        assert max(p.stop - p.start for p in parts) - min(p.stop - p.start for p in parts) <= 1
    samplers = [EpochSampler(1438, 64, 4, Group(rank, 2)) for rank in (0, 1)]
    assert torch.equal(samplers[0].order(3), samplers[1].order(3))  # every rank walks the same order
    assert not torch.equal(samplers[0].order(3), samplers[0].order(4))  # a new one each epoch
    assert epoch_seed(4, 3, 0) != epoch_seed(4, 3, 1) and epoch_seed(4, 3, 0) == epoch_seed(4, 3, 0)


def _losses(path):
    return [h["train"]["loss"] for h in load_checkpoint(path).metadata["history"]]


@pytest.mark.slow
def test_two_processes_train_like_one_and_resume_in_any_number(tmp_path):
    two, one = tmp_path / "two.pt", tmp_path / "one.pt"
    argv = ("--data", "digits", "--latent-dim", "2", "--batch-size", "64", "--seed", "4", "--device", "cpu")
    done = torchrun(2, *argv, "--epochs", "1", "--out", two, "--progress", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["event"] for e in events].count("start") == 1  # one progress stream: rank 0's
    assert events[0]["processes"] == 2 and events[-1]["status"] == "finished"

    train(TrainConfig(**SETTINGS, epochs=1, out=str(one)))
    a, b = load_checkpoint(one), load_checkpoint(two)
    assert b.metadata["processes"] == 2 and a.metadata["processes"] == 1
    for key in ("loss", "recon", "kl"):
        assert b.metadata["train"][key] == pytest.approx(a.metadata["train"][key], rel=1e-5)
    assert b.metadata["test"]["neg_elbo"] == pytest.approx(a.metadata["test"]["neg_elbo"], rel=1e-4)
    diff = max(float((a.state_dict[k] - b.state_dict[k]).abs().max()) for k in a.state_dict)
    assert diff < 5e-3  # 23 Adam steps of lr 1e-3 each: rounding, not another run

    # the two-process run resumed in one process, the one-process run resumed in two: both go on alike
    train(TrainConfig(**SETTINGS, epochs=2, out=str(two), resume=str(two)))
    done = torchrun(2, "--resume", one, "--epochs", "2", "--progress", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert load_checkpoint(one).metadata["processes"] == 2
    np.testing.assert_allclose(_losses(two), _losses(one), rtol=1e-4)
    assert len(_losses(two)) == 2
