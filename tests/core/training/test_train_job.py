"""The training tab's Qt-free parts: form rules, the child's command and lines, the run log, the epoch pictures."""

import json
import os
import signal
import stat
import subprocess
import sys

import numpy as np
import pytest

from vae_explorer.cli import build_parser
from vae_explorer.core.data import find_idx_folder, load_dataset
from vae_explorer.core.model.autoencoder import ModelConfig, build_model
from vae_explorer.core.model.checkpoint import save_checkpoint
from vae_explorer.core.model.metrics import posterior_collapsed
from vae_explorer.core.training.form import form_values, models_dir, parse_form, suggest_output
from vae_explorer.core.training.job import RunState, describe_exit, progress_text, resume_run, train_arguments
from vae_explorer.core.training.loop import TrainConfig, train
from vae_explorer.core.training.preview import epoch_preview, fixed_subset, pairs_grid
from vae_explorer.core.training.protocol import LineSplitter, parse_event
from vae_explorer.core.training.run_log import RunLog, run_log_path


def digits_form(tmp_path, **changes):
    values = {"data": "digits", "out": str(tmp_path / "m.pt"), **changes}
    return values


def test_form_defaults_make_a_run(tmp_path):
    result = parse_form(digits_form(tmp_path), ["cpu"])
    assert result.errors == {}
    cfg = result.config
    assert (cfg.data, cfg.kind, cfg.latent_dim, cfg.epochs) == ("digits", "vae", 16, 10)
    assert (cfg.batch_size, cfg.lr, cfg.seed, cfg.device) == (128, 1e-3, 0, "auto")
    assert cfg.out == str(tmp_path / "m.pt")


@pytest.mark.parametrize(
    "field, text, reason",
    [
        ("epochs", "0", "must be at least 1, not 0"),
        ("epochs", "ten", "'ten' is not a whole number"),
        ("latent_dim", "2000", "2000 is too large (at most 1,024: a longer code no longer compresses images"),
        ("batch_size", "", "needs a whole number"),
        ("lr", "abc", "'abc' is not a number"),
        ("lr", "0", "must be above 0, not 0"),
        ("lr", "5", "5 is too large (at most 1: Adam moves each weight by about this much per step"),
        ("lr", "nan", "must be a finite number, not nan"),
        ("beta", "-1", "must be 0 or more, not -1"),
        ("beta_warmup", "1.5", "'1.5' is not a whole number"),
        ("seed", "-3", "must be 0 or more, not -3"),
        ("device", "cuda", "cuda is not available here"),
    ],
)
def test_form_refuses_bad_values_with_a_reason(tmp_path, field, text, reason):
    result = parse_form(digits_form(tmp_path, **{field: text}), ["cpu"])
    assert result.config is None
    assert list(result.errors) == [field] and result.errors[field].startswith(reason)


def test_form_checks_the_data_and_the_output(tmp_path, monkeypatch):
    missing = parse_form(digits_form(tmp_path, data="folder", folder=str(tmp_path / "nope")), ["cpu"])
    assert missing.errors == {"folder": f"{tmp_path / 'nope'}: no such folder"}
    empty = parse_form(digits_form(tmp_path, data="folder", folder=""), ["cpu"])
    assert empty.errors == {"folder": "choose a folder of images or IDX files"}
    monkeypatch.setenv("VAE_EXPLORER_DATA", str(tmp_path))
    if find_idx_folder("mnist") is None:  # not installed system-wide here
        mnist = parse_form(digits_form(tmp_path, data="mnist"), ["cpu"])
        assert mnist.errors["data"].startswith("mnist not found: set VAE_EXPLORER_DATA")
    no_folder = parse_form(digits_form(tmp_path, out=str(tmp_path / "no" / "m.pt")), ["cpu"])
    assert no_folder.errors == {"out": f"folder {tmp_path / 'no'} does not exist"}
    is_dir = parse_form(digits_form(tmp_path, out=str(tmp_path)), ["cpu"])
    assert is_dir.errors == {"out": f"{tmp_path} is a folder; name a file"}
    taken = parse_form(digits_form(tmp_path), ["cpu"], taken={str(tmp_path / "m.pt")})
    assert "another queued or running run writes this file" in taken.errors["out"]
    (tmp_path / "m.pt").write_bytes(b"old")
    not_a_checkpoint = parse_form(digits_form(tmp_path), ["cpu"])
    assert not_a_checkpoint.errors == {"out": "exists and is not a checkpoint: training replaces only a checkpoint"}
    save_checkpoint(tmp_path / "m.pt", build_model(ModelConfig("ae", (1, 8, 8), 3)), {"data": "digits", "epochs": 2})
    replaced = parse_form(digits_form(tmp_path), ["cpu"])
    replacing = "an AE (latent 3) trained 2 epochs on digits"
    assert replaced.notes["out"] == f"exists: training replaces {replacing} after the first epoch"
    # the default models folder need not exist yet: the tab creates it
    default = parse_form(digits_form(tmp_path, out=str(models_dir() / "x.pt")), ["cpu"])
    assert default.errors == {}


def test_form_notes_beta_vae_and_an_ae_ignores_beta(tmp_path):
    result = parse_form(digits_form(tmp_path, beta="4", beta_warmup="20", epochs="10"), ["cpu"])
    assert result.config.beta == 4.0 and result.config.beta_warmup == 20
    assert result.notes["beta"] == "beta-VAE"
    assert result.notes["beta_warmup"] == "longer than the run: beta reaches only 2"
    ae = parse_form(digits_form(tmp_path, kind="ae", beta="oops"), ["cpu"])
    assert ae.errors == {} and ae.config.kind == "ae" and ae.config.beta == 1.0


def test_suggested_output_names_the_run_and_skips_used_names(tmp_path):
    values = {"data": "digits", "kind": "vae", "beta": "4", "latent_dim": "2"}
    first = suggest_output(values, folder=tmp_path)
    assert first == tmp_path / "digits-bvae4-2d.pt"
    first.write_bytes(b"x")
    second = suggest_output(values, folder=tmp_path)
    assert second == tmp_path / "digits-bvae4-2d-2.pt"
    assert suggest_output(values, taken={str(second)}, folder=tmp_path) == tmp_path / "digits-bvae4-2d-3.pt"
    folder = {"data": "folder", "folder": "/some/My Faces/", "kind": "ae", "latent_dim": "8"}
    assert suggest_output(folder, folder=tmp_path).name == "My-Faces-ae-8d.pt"


def test_form_values_round_trip(tmp_path):
    cfg = parse_form(digits_form(tmp_path, kind="vae", beta="0.5", latent_dim="3", lr="0.003"), ["cpu"]).config
    again = parse_form(form_values(cfg), ["cpu"]).config
    assert again == cfg


def test_train_arguments_parse_back_to_the_same_run(tmp_path):
    cfg = TrainConfig(data="digits", kind="ae", latent_dim=3, beta=2.5, beta_warmup=2, epochs=4, batch_size=7)
    cfg.lr, cfg.lr_schedule, cfg.seed, cfg.device, cfg.out = 0.0025, "cosine", 11, "cpu", str(tmp_path / "a b.pt")
    args = build_parser().parse_args(train_arguments(cfg))
    assert (args.data, args.kind, args.latent_dim, args.beta, args.beta_warmup) == ("digits", "ae", 3, 2.5, 2)
    assert (args.epochs, args.batch_size, args.lr, args.lr_schedule, args.seed) == (4, 7, 0.0025, "cosine", 11)
    assert (args.device, args.out, args.progress, args.resume) == ("cpu", cfg.out, "json", None)
    assert args.stop_on_stdin  # the tab's child stops when told to, or when the tab is gone
    resumed = resume_run(json.loads(json.dumps(cfg.__dict__)), cfg.out, 9)
    args = build_parser().parse_args(train_arguments(resumed))
    assert (args.resume, args.out, args.epochs) == (cfg.out, cfg.out, 9)
    # a resumed run names only what may change: the rest comes from its checkpoint
    assert (args.data, args.kind, args.latent_dim, args.lr, args.seed) == (None, None, None, None, None)


def test_exit_descriptions():
    assert describe_exit(0, False) == ("finished", "finished (exit status 0)")
    assert describe_exit(130, False) == ("stopped", "stopped (exit status 130)")
    assert describe_exit(1, False) == ("failed", "failed with exit status 1")
    status, text = describe_exit(int(signal.SIGKILL), True)
    assert status == "crashed" and text.startswith("killed by signal 9 (SIGKILL)")
    assert describe_exit(0, True) == ("crashed", "crashed (killed by a signal)")


def test_a_run_the_user_killed_is_stopped_not_crashed(tmp_path):
    state = RunState(TrainConfig(data="digits", out=str(tmp_path / "a.pt")))
    state.finish(int(signal.SIGKILL), True, [], killed=True)  # Stop, then Kill now
    assert state.status == "stopped" and state.exit_text.startswith("killed at your request (killed by signal 9")
    other = RunState(TrainConfig(data="digits", out=str(tmp_path / "b.pt")))
    other.finish(int(signal.SIGKILL), True, [])  # killed from outside: out of memory, say
    assert other.status == "crashed"
    clean = RunState(TrainConfig(data="digits", out=str(tmp_path / "c.pt")))
    clean.finish(130, False, [], killed=True)  # it stopped cleanly before the kill took: a plain stop
    assert (clean.status, clean.exit_text) == ("stopped", "stopped (exit status 130)")


@pytest.mark.slow
def test_run_state_follows_the_real_json_lines(tmp_path):
    """The lines of a real ``vae-explorer train --progress json`` run, read as the tab reads them."""
    out = tmp_path / "m.pt"
    cfg = TrainConfig(data="digits", kind="vae", latent_dim=2, epochs=2, batch_size=64, out=str(out))
    proc = subprocess.run(
        [sys.executable, "-m", "vae_explorer", *train_arguments(cfg)], capture_output=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    state = RunState(cfg)
    splitter = LineSplitter()
    fractions = []
    for k in range(0, len(proc.stdout), 97):  # in chunks that cut lines, as a pipe does
        for line in splitter.feed(proc.stdout[k : k + 97]):
            state.apply(parse_event(line))
            fractions.append(state.fraction)
    state.finish(proc.returncode, False, [])
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    entry = state.entry()
    assert entry["status"] == "finished" and entry["epochs_done"] == 2 and entry["checkpoint"] == str(out)
    assert entry["active_units"] is not None and set(entry["test"]) == {"recon", "kl", "neg_elbo"}
    assert progress_text(state) == "epoch 2/2 · step 23/23 · finished"


def test_run_log_keeps_runs_across_instances(tmp_path):
    log = RunLog()
    assert log.path == run_log_path() and log.entries == [] and log.problem == ""
    state = RunState(TrainConfig(data="digits", out=str(tmp_path / "a.pt")))
    log.live_ids.add(state.id)
    log.put(state.entry())
    assert log.entries[0]["status"] == "starting"
    other = RunLog()  # another launch: the run it does not watch went away with its explorer
    assert other.entries[0]["status"] == "lost"
    state.finish(0, False, [])
    log.put(state.entry())
    assert [e["status"] for e in RunLog().entries] == ["finished"]
    assert not list(log.path.parent.glob("*.tmp"))


def test_unreadable_run_log_starts_anew(tmp_path):
    path = run_log_path()
    path.parent.mkdir(parents=True)
    path.write_text("{ not json")
    log = RunLog()
    assert log.entries == [] and "unreadable" in log.problem
    log.put(RunState(TrainConfig(out=str(tmp_path / "a.pt"))).entry())
    assert len(RunLog().entries) == 1


def test_posterior_collapse():
    assert posterior_collapsed([0.0, 0.001, 0.002, 0.0])
    assert posterior_collapsed([0.5] + [0.0] * 15)  # 1 of 16 active
    assert not posterior_collapsed([0.5, 0.4] + [0.0] * 14)
    assert not posterior_collapsed([0.5, 0.0])
    assert not posterior_collapsed([])


def test_epoch_preview_of_a_checkpoint(tmp_path):
    out = tmp_path / "m.pt"
    train(TrainConfig(data="digits", kind="vae", latent_dim=2, epochs=1, out=str(out)))
    test = load_dataset("digits", "test")
    p = epoch_preview(out, test, n_images=10, n_samples=6, n_map=100)
    assert p.epoch == 1 and p.is_vae and p.latent_dim == 2
    assert p.originals.shape == p.reconstructions.shape == (10, 1, 8, 8)
    np.testing.assert_array_equal(p.originals, test.images[fixed_subset(len(test), 10)] / np.float32(255))
    assert p.samples.shape == (6, 1, 8, 8) and p.latent.shape == (100, 2) and p.labels.shape == (100,)
    assert len(p.history) == 1 and len(p.kl_per_dim) == 2
    assert np.array_equal(fixed_subset(359, 10), fixed_subset(359, 10))
    grid = pairs_grid(p.originals, p.reconstructions, cols=4)
    assert grid.shape == (1, 6 * 9 + 1, 4 * 9 + 1)  # 3 rows of originals, each over its reconstructions


@pytest.mark.parametrize("kind", ["fifo", "device", "link-to-fifo"])
def test_form_refuses_an_output_that_is_not_a_regular_file(tmp_path, kind):
    target = tmp_path / "special"
    if kind == "device":
        os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # a null device of our own, in tmp
    else:
        os.mkfifo(target)
    out = target
    if kind == "link-to-fifo":
        out = tmp_path / "link.pt"
        out.symlink_to(target)
    result = parse_form(digits_form(tmp_path, out=str(out)), ["cpu"])
    assert result.config is None and "out" not in result.notes
    what = "a character device" if kind == "device" else "a FIFO (named pipe)"
    assert result.errors == {"out": f"it is {what}; vae-explorer replaces only regular files"}
