"""A shared recipe reaches only into its own folder: its data, data_dir, checkpoints and model files."""

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import torch
from helpers import assert_one_line_error, run_cli, write_idx_set
from hostile_files import SETTINGS, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

HYPOTHESIS = settings(**{**SETTINGS, "max_examples": 16}, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def machine(tmp_path, checkpoints_dir):
    """A user's files outside the shared folder (images, IDX files, a model, a script), and the shared folder."""
    secret = tmp_path / "private"
    for k in range(2):
        (secret / "photos" / f"c{k}").mkdir(parents=True)
        for j in range(10):
            Image.new("L", (8, 8), 60 + 100 * k + j).save(secret / "photos" / f"c{k}" / f"me-{j}.png")
    write_idx_set(secret / "idx", split="test")
    shutil.copy(checkpoints_dir / "digits-vae.pt", secret / "model.pt")
    (secret / "tool.py").write_text("import pathlib\npathlib.Path(__file__).with_name('tool ran').write_text('')\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(checkpoints_dir / "digits-vae.pt", shared / "m.pt")
    return secret, shared


def recipe(folder: Path, **changes) -> Path:
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": ["m.pt"], "keys": [0, 1]}
    path = folder / "r.json"
    path.write_text(json.dumps({**blob, "frames": 3, "method": "lerp", "data": "digits", **changes}))
    return path


# field -> (the recipe's changes, given the outside thing's path), what the refusal calls it
FIELDS = {
    "data": (lambda s: {"data": str(s / "photos")}, "data folder"),
    "data_dir": (lambda s: {"data": "mnist", "data_dir": str(s / "idx")}, "data_dir"),
    "checkpoint": (lambda s: {"checkpoints": [str(s / "model.pt")]}, "checkpoint"),
    "model file": (lambda s: {"checkpoints": [str(s / "tool.py")]}, "model file"),
}


def spelled(path: str, how: str, shared: Path) -> str:
    """``path`` as a recipe may write it: absolute, through ``..``, relative to the working folder, or via a link."""
    if how == "absolute":
        return path
    if how == "dot-dot":
        return os.path.relpath(path, shared)
    if how == "working folder":
        return os.path.relpath(path, Path.cwd())
    link = Path(tempfile.mkdtemp(dir=shared)) / Path(path).name
    link.symlink_to(path)
    return os.path.relpath(link, shared)


def respell(changes: dict, how: str, shared: Path) -> dict:
    out = {}
    for key, value in changes.items():
        if key == "checkpoints":
            out[key] = [spelled(v, how, shared) for v in value]
        elif key in ("data", "data_dir") and os.path.isabs(value):
            out[key] = spelled(value, how, shared)
        else:
            out[key] = value
    return out


@HYPOTHESIS
@given(field=st.sampled_from(sorted(FIELDS)), how=st.sampled_from(["absolute", "dot-dot", "working folder", "link"]))
def test_a_recipe_cannot_read_or_run_anything_outside_its_folder(capsys, tmp_path, machine, field, how):
    secret, shared = machine
    make, what = FIELDS[field]
    path = recipe(shared, **respell(make(secret), how, shared))
    before, out = snapshot(secret), tmp_path / "m.gif"
    rc, _, err = run_cli(capsys, "morph", "--recipe", path, "--trust", "--out", out)
    assert_one_line_error(
        rc, err, rf"r.json: {what} .* lies outside the recipe's folder; replay it with --allow-outside"
    )
    assert not out.exists() and snapshot(secret) == before  # nothing read into a GIF, no script run


def test_the_data_a_checkpoints_metadata_names_is_confined_too(capsys, tmp_path, machine):
    secret, shared = machine
    blob = torch.load(io.BytesIO((shared / "m.pt").read_bytes()), weights_only=True)
    blob["metadata"]["data"] = str(secret / "photos")
    torch.save(blob, shared / "m.pt")
    path = recipe(shared, data=None)
    rc, _, err = run_cli(capsys, "morph", "--recipe", path, "--out", tmp_path / "m.gif")
    assert_one_line_error(
        rc, err, r"data folder \(named by m.pt's metadata\) .*photos' lies outside the recipe's folder"
    )
    rc, _, err = run_cli(capsys, "morph", "--recipe", path, "--allow-outside", "--out", tmp_path / "m.gif")
    assert rc == 0, err


def test_allow_outside_lifts_it_and_the_old_flag_still_means_key_images(capsys, tmp_path, machine):
    secret, shared = machine
    path = recipe(shared, data=str(secret / "photos"))
    rc, _, err = run_cli(capsys, "morph", "--recipe", path, "--allow-outside-keys", "--out", tmp_path / "m.gif")
    assert_one_line_error(rc, err, r"data folder .* lies outside the recipe's folder")
    rc, _, err = run_cli(capsys, "morph", "--recipe", path, "--allow-outside", "--out", tmp_path / "m.gif")
    assert rc == 0, err
    shutil.copytree(secret / "photos", shared / "photos")
    rc, _, err = run_cli(capsys, "morph", "--recipe", recipe(shared, data="photos"), "--out", tmp_path / "in.gif")
    assert rc == 0, err  # a folder inside, written relative to the recipe


def test_embed_says_which_folder_a_checkpoints_metadata_makes_it_read(capsys, tmp_path, machine):
    secret, shared = machine
    blob = torch.load(io.BytesIO((shared / "m.pt").read_bytes()), weights_only=True)
    blob["metadata"]["data"] = str(secret / "photos")
    torch.save(blob, shared / "m.pt")
    rc, _, err = run_cli(capsys, "embed", shared / "m.pt", "--tsv", tmp_path / "tsv")
    assert rc == 0, err
    assert f"reading {secret / 'photos'}, the data m.pt names (give --data to read other data)" in err
