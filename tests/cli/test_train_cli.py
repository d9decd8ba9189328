"""`vae-explorer train` against careless and hostile use: divergence, a full disk, two runs on one file,
a closed stdin, no --out. Each ends in one line, and nothing the user had is replaced."""

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from helpers import assert_one_line_error, run_cli

from vae_explorer.core.model.checkpoint import load_checkpoint, save_checkpoint

TESTS = Path(__file__).resolve().parents[1]
DIGITS = ("--data", "digits", "--latent-dim", "2", "--batch-size", "64")


def _cli(*argv, stdin=subprocess.DEVNULL, cwd=None, prefix=()):
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=os.pathsep.join([str(TESTS), *sys.path]))
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "vae_explorer", *map(str, argv)],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def one_epoch(tmp_path_factory):
    """A digits VAE after one good epoch, resumable."""
    path = tmp_path_factory.mktemp("good") / "m.pt"
    assert run_cli_quiet("train", *DIGITS, "--epochs", "1", "--out", path) == 0
    return path


def run_cli_quiet(*argv):
    from vae_explorer.cli import main

    return main([str(a) for a in (*argv, "--progress", "none")])


def test_a_diverging_learning_rate_stops_at_the_first_nan_and_writes_nothing(capsys, tmp_path):
    rc, out, err = run_cli(
        capsys, "train", *DIGITS, "--lr", "1", "--epochs", "2", "--out", tmp_path / "m.pt", "--progress", "none"
    )
    assert_one_line_error(
        rc,
        err,
        r"training diverged at epoch 1, step \d+ of 23: the loss is nan; no checkpoint was written; "
        r"try a lower --lr \(now 1\) or --beta \(now 1\)",
    )
    assert rc == 1 and not list(tmp_path.iterdir())


def test_weights_that_overflow_on_resume_keep_the_last_good_checkpoint(capsys, tmp_path, one_epoch):
    ckpt = load_checkpoint(one_epoch)
    model = ckpt.build_model()
    with torch.no_grad():
        model.to_code.weight.mul_(1e30)  # finite, but the first step's KL overflows
    path = tmp_path / "m.pt"
    save_checkpoint(path, model, ckpt.metadata, ckpt.train_state)
    before = path.read_bytes()
    rc, out, err = run_cli(capsys, "train", "--resume", path, "--epochs", "3", "--progress", "json")
    assert_one_line_error(
        rc, err, rf"training diverged at epoch 2, step 1 of 23: the loss is (inf|nan); {path} keeps epoch 1"
    )
    end = json.loads(out.splitlines()[-1])
    assert end["event"] == "end" and end["status"] == "failed" and "diverged" in end["error"]
    assert path.read_bytes() == before


@pytest.mark.slow
def test_a_full_disk_during_a_save_is_one_line_and_keeps_the_last_checkpoint(tmp_path, one_epoch):
    path = tmp_path / "m.pt"
    path.write_bytes(one_epoch.read_bytes())
    script = (
        "import sys; from trained import file_size_limit; from vae_explorer.cli import main\n"
        f"with file_size_limit({path.stat().st_size // 2}):\n"
        "    sys.exit(main(sys.argv[1:]))"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(TESTS), *sys.path]))
    done = subprocess.run(
        [sys.executable, "-c", script, "train", "--resume", str(path), "--epochs", "2", "--progress", "none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert_one_line_error(
        done.returncode,
        done.stderr,
        rf"cannot write checkpoint {path}: File too large; training stopped after epoch 2, and {path} keeps epoch 1",
    )
    assert done.returncode == 1 and path.read_bytes() == one_epoch.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt"]  # no temporary file, no lock left


@pytest.mark.slow
@pytest.mark.parametrize("how", ["devnull", "closed-pipe", "no-stdin"])
def test_json_progress_runs_to_the_end_whatever_stdin_is(tmp_path, how):
    out = tmp_path / "m.pt"
    argv = ("train", *DIGITS, "--epochs", "2", "--out", out, "--progress", "json")
    if how == "no-stdin":  # file descriptor 0 closed altogether
        proc = _cli(*argv, prefix=("sh", "-c", 'exec "$@" <&-', "sh"))
    else:
        proc = _cli(*argv, stdin=subprocess.DEVNULL if how == "devnull" else subprocess.PIPE)
        if proc.stdin:
            proc.stdin.close()
            proc.stdin = None
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    end = json.loads(stdout.splitlines()[-1])
    assert end == {"event": "end", "status": "finished", "epochs_done": 2, "checkpoint": str(out)}


@pytest.mark.slow
def test_a_parent_that_asks_for_stdin_control_stops_the_run_by_going_away(tmp_path):
    out = tmp_path / "m.pt"
    proc = _cli(
        "train",
        *DIGITS,
        "--epochs",
        "500",
        "--out",
        out,
        "--progress",
        "json",
        "--stop-on-stdin",
        stdin=subprocess.PIPE,
    )
    for line in proc.stdout:
        if json.loads(line)["event"] == "epoch":
            break
    proc.stdin.close()  # the parent is gone
    proc.stdin = None
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert 1 <= load_checkpoint(out).train_state["epoch"] < 500


@pytest.mark.slow
def test_a_second_run_on_the_same_output_is_refused_while_the_first_lives(capsys, tmp_path):
    out = tmp_path / "m.pt"
    first = _cli("train", *DIGITS, "--epochs", "500", "--out", out, "--progress", "json")
    assert json.loads(first.stdout.readline())["event"] == "start"
    try:
        rc, _, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", "--out", out, "--progress", "none")
        assert_one_line_error(rc, err, rf"{out}: another training run \(process {first.pid}\) writes this file")
        assert rc == 1
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
    assert first.returncode == 130
    assert run_cli_quiet("train", *DIGITS, "--epochs", "1", "--out", out) == 0  # the lock went with the first run


def test_without_out_a_free_name_is_chosen_and_printed(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "digits-vae-2d.pt").write_bytes(b"mine")
    rc, _, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", "--progress", "none")
    assert rc == 0 and err.splitlines()[0] == "writing digits-vae-2d-2.pt (no --out given)"
    assert (tmp_path / "digits-vae-2d.pt").read_bytes() == b"mine"
    assert load_checkpoint(tmp_path / "digits-vae-2d-2.pt").metadata["epochs"] == 1


def test_an_output_that_is_not_a_regular_file_is_refused_before_anything_is_written(capsys, tmp_path):
    fifo = tmp_path / "fifo.pt"
    os.mkfifo(fifo)
    rc, _, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", "--out", fifo, "--progress", "none")
    assert_one_line_error(rc, err, r"fifo.pt: it is a FIFO \(named pipe\); vae-explorer replaces only regular files")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["fifo.pt"]


def test_out_replaces_a_checkpoint_and_says_so_but_refuses_any_other_file(capsys, tmp_path, one_epoch):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    rc, _, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", "--out", notes, "--progress", "none")
    assert_one_line_error(
        rc, err, rf"{notes} exists and is not a checkpoint; training replaces only a checkpoint: choose another --out"
    )
    assert notes.read_text() == "my notes\n" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

    old = tmp_path / "old.pt"
    old.write_bytes(one_epoch.read_bytes())
    rc, _, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", "--seed", "3", "--out", old)
    assert rc == 0, err
    assert err.splitlines()[0] == f"{old}: replacing a VAE (latent 2) trained 1 epoch on digits"
    assert load_checkpoint(old).metadata["seed"] == 3


def test_train_help_gives_each_bound_with_its_reason(capsys):
    rc, out, _ = run_cli(capsys, "train", "--help")
    text = " ".join(out.split())
    assert rc == 0
    assert "1 to 1,024: a longer code no longer compresses images of at most 64x64 pixels" in text
    assert "above 0, at most 0.5: most images are for training" in text
    assert "1 to 65,536: the activations of a larger batch outgrow the memory of one machine" in text
    assert "above 0, at most 1: Adam moves each weight by about this much per step" in text
