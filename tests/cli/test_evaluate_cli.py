"""``vae-explorer evaluate``: MIG and vector effects against the faces' known factors, and its errors."""

import json
import re

import pytest
from helpers import assert_one_line_error, run_cli
from trained import write_model

from vae_explorer.core.data.faces import FACTOR_NAMES

FACES = (3, 32, 32)


@pytest.fixture
def faces_model(tmp_path):
    return write_model(tmp_path / "faces-vae.pt", "vae", 4, seed=0, shape=FACES, data="faces")


def _rows(out, names):
    """The table rows that start with each name, split into cells."""
    rows = {}
    for line in out.splitlines():
        head = line.split()[0] if line.split() else ""
        if head in names:
            rows[head] = line.split()[1:]
    return rows


def test_evaluate_prints_the_mig_and_the_dimension_of_every_factor(capsys, tmp_path, faces_model):
    ae = write_model(tmp_path / "faces-ae.pt", "ae", 4, seed=1, shape=FACES, data="faces")
    rc, out, err = run_cli(capsys, "evaluate", ae, faces_model, "--data", "faces")
    assert rc == 0, err
    assert "faces (test, 10000 images 32x32): 10000 faces with known factors" in out
    mig = re.search(r"^MIG\s+(\S+)\s+(\S+)$", out, re.M)
    assert mig and all(0.0 <= float(v) <= 1.0 for v in mig.groups())
    rows = _rows(out, FACTOR_NAMES)
    assert set(rows) == set(FACTOR_NAMES)
    for cells in rows.values():  # per model: dimension, share of information, gap
        assert re.fullmatch(r"z[0-3]", cells[0]) and re.fullmatch(r"z[0-3]", cells[3])
        assert 0 <= float(cells[2]) <= float(cells[1]) <= 1


def test_the_shipped_smile_vector_moves_smile_more_than_any_other_factor(capsys, checkpoints_dir):
    models = [checkpoints_dir / f for f in ("faces-ae.pt", "faces-vae.pt", "faces-vae-beta4.pt")]
    rc, out, err = run_cli(capsys, "evaluate", *models, "--data", "faces", "--vector", "column:Smiling")
    assert rc == 0, err
    print(out)  # the table of the closing note: AE vs VAE vs beta-4 VAE
    rows = _rows(out, FACTOR_NAMES)
    smile = [float(v) for v in rows.pop("smile") if v != "*"]  # the effects table: its last rows
    assert "smile *" in out
    for k, name in enumerate(("AE", "VAE")):
        others = max(abs(float(cells[k])) for cells in rows.values())
        assert smile[k] > 0.2 and smile[k] > 3 * others, (name, smile[k], others)
    # beta 4 buys its small KL by dropping the mouth's few pixels: its smile vector moves smile far less
    assert smile[2] < smile[1] / 2
    migs = [float(v) for v in re.search(r"^MIG\s+(\S+)\s+(\S+)\s+(\S+)$", out, re.M).groups()]
    assert all(0 <= m <= 1 for m in migs) and migs[0] < min(migs[1:]), "the AE's dimensions mix the factors most"


def test_a_vector_saved_by_traverse_is_measured_in_the_space_it_was_made_in(capsys, tmp_path, faces_model):
    saved = tmp_path / "smile.json"
    args = ("--vae", faces_model, "--data", "faces", "--attribute", "column:Smiling", "--samples", "0")
    rc, _, err = run_cli(capsys, "traverse", *args, "--out", tmp_path / "grid.png", "--save-vector", saved)
    assert rc == 0, err
    rc, out, err = run_cli(capsys, "evaluate", faces_model, "--vector", saved, "--samples", "50", "--alpha", "2")
    assert rc == 0, err
    assert "vector 'Smiling' (smile.json), alpha 2, on 50 faces" in out
    assert set(_rows(out, FACTOR_NAMES)) == set(FACTOR_NAMES) and "smile *" in out
    other = write_model(tmp_path / "other.pt", "vae", 6, seed=2, shape=FACES)
    rc, out, err = run_cli(capsys, "evaluate", other, "--vector", saved, "--samples", "20")
    assert rc == 0 and "'Smiling' in other.pt: recomputed from its groups" in err, err
    blob = json.loads(saved.read_text())
    blob["groups"] = None  # values only, as from elsewhere: they fit no 6-D model
    saved.write_text(json.dumps(blob))
    rc, _, err = run_cli(capsys, "evaluate", other, "--vector", saved)
    assert_one_line_error(rc, err, r"no vector fits the loaded models")


def test_data_without_known_factors_is_refused(capsys, tmp_path):
    digits = write_model(tmp_path / "digits.pt", "vae", 4, seed=0)
    rc, _, err = run_cli(capsys, "evaluate", digits, "--data", "digits")
    assert_one_line_error(rc, err, r"digits has no known factors to measure against: use --data faces")


def test_a_model_of_other_images_is_refused(capsys, tmp_path):
    grey = write_model(tmp_path / "fashion.pt", "vae", 4, seed=0, shape=(1, 28, 28))
    rc, _, err = run_cli(capsys, "evaluate", grey, "--data", "faces")
    assert_one_line_error(rc, err, r"fashion.pt: model takes images of shape 1x28x28, but faces has 3x32x32")


def test_a_missing_checkpoint_is_named(capsys, tmp_path, faces_model):
    rc, _, err = run_cli(capsys, "evaluate", faces_model, tmp_path / "nope.pt")
    assert_one_line_error(rc, err, r"nope.pt: no such checkpoint file")


def test_a_one_dimensional_latent_has_no_gap_to_measure(capsys, tmp_path):
    one = write_model(tmp_path / "one.pt", "vae", 1, seed=0, shape=FACES)
    rc, _, err = run_cli(capsys, "evaluate", one)
    assert_one_line_error(rc, err, r"MIG compares latent dimensions: a latent of 1 has no runner-up")


def test_bad_vectors_and_predictors_are_refused(capsys, tmp_path, faces_model):
    rc, _, err = run_cli(capsys, "evaluate", faces_model, "--vector", "column:Happy")
    assert_one_line_error(rc, err, r"no attribute named 'Happy'")
    rc, _, err = run_cli(capsys, "evaluate", faces_model, "--vector", "column:smile")
    assert_one_line_error(rc, err, r"column 'smile' is not binary")
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"\x00" * 100)
    rc, _, err = run_cli(capsys, "evaluate", faces_model, "--vector", "column:Smiling", "--predictor", garbage)
    assert_one_line_error(rc, err, r"garbage.pt: not a readable factor predictor")
    rc, _, err = run_cli(capsys, "evaluate", faces_model, "--vector", "column:Smiling", "--predictor", faces_model)
    assert_one_line_error(rc, err, r"faces-vae.pt: not a vae-explorer factor predictor")
    rc, _, err = run_cli(capsys, "evaluate", faces_model, "--alpha", "nan")
    assert rc == 2 and "must be a finite number" in err


FACES_FILE = """\
from pathlib import Path

import vae_explorer
from vae_explorer.core.model.checkpoint import load_checkpoint


def vae_explorer_model():
    net = load_checkpoint(Path(__file__).with_name("faces-vae.pt")).build_model("cpu")
    return vae_explorer.wrap(net, (3, 32, 32), output="logits", name="my faces VAE", data="faces")
"""


def test_a_model_file_is_measured_as_the_checkpoint_it_wraps_and_runs_only_with_trust(capsys, tmp_path, faces_model):
    model_file = tmp_path / "my_faces.py"
    model_file.write_text(FACES_FILE)
    rc, out, err = run_cli(capsys, "evaluate", faces_model, model_file)
    assert_one_line_error(rc, err, rf"{re.escape(str(model_file))}: a model file runs the Python code in it")
    rc, out, err = run_cli(capsys, "evaluate", faces_model, model_file, "--trust")
    assert rc == 0, err
    assert re.search(rf"^\s+my faces VAE\s+{re.escape(str(model_file))}: VAE, latent 4$", out, re.M), out
    mig = re.search(r"^MIG\s+(\S+)\s+(\S+)$", out, re.M)
    assert mig and mig.group(1) == mig.group(2)  # the same network: the same codes, the same MIG
    rows = _rows(out, FACTOR_NAMES)
    assert all(cells[:3] == cells[3:] for cells in rows.values())
