"""The shipped factor predictor reads the factors of faces it never saw; its file is small and loads safely."""

import os

import numpy as np
import pytest
import torch

from vae_explorer.core.data.faces import FACTORS, make_faces
from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.evaluation.effects import reading_change
from vae_explorer.core.evaluation.predictor import (
    FILE_NAME,
    FactorPredictor,
    FactorReading,
    load_predictor,
    read_factors,
    save_predictor,
    scores_of,
)
from vae_explorer.core.evaluation.predictor_training import blur

# The predictor was trained on the train split (seed [0, 0]); these faces come from a seed it never saw.
HELD_OUT_SEED = [2024, 7]
MIN_ACCURACY = 0.97
MIN_R2 = 0.95


@pytest.fixture(scope="module")
def held_out():
    return make_faces(3000, HELD_OUT_SEED)


def _print_scores(title, scores):
    print(f"\n{title}")
    for name, (metric, value) in scores.items():
        print(f"  {name:<12} {metric:<9} {value:.3f}")


def test_the_shipped_predictor_reads_every_factor_of_held_out_faces(checkpoints_dir, held_out):
    images, factors = held_out
    path = checkpoints_dir / FILE_NAME
    assert path.stat().st_size < 1_000_000, "the shipped predictor stays under 1 MB"
    predictor, meta = load_predictor(path)
    scores = scores_of(read_factors(predictor, images), factors)
    _print_scores(f"factor predictor on {len(images)} held-out faces", scores)
    for name, (metric, value) in scores.items():
        assert value >= (MIN_R2 if metric == "R^2" else MIN_ACCURACY), (name, metric, value)
    assert set(meta["held_out"]) == {f.name for f in FACTORS}


def test_the_shipped_predictor_also_reads_blurred_faces(checkpoints_dir, held_out):
    images, factors = held_out
    predictor, _ = load_predictor(checkpoints_dir / FILE_NAME)
    soft = blur(torch.from_numpy(images).float() / 255.0, 0.8).numpy()
    scores = scores_of(read_factors(predictor, soft), factors)
    _print_scores("the same faces blurred (sigma 0.8 px), as a decoder draws them", scores)
    for name, (metric, value) in scores.items():
        assert value >= (0.93 if metric == "R^2" else 0.95), (name, metric, value)


def test_a_saved_predictor_reads_the_same_after_loading(tmp_path, held_out):
    torch.manual_seed(0)
    predictor = FactorPredictor().eval()
    save_predictor(tmp_path / "p.pt", predictor, {"note": "untrained"})
    loaded, meta = load_predictor(tmp_path / "p.pt")
    images = held_out[0][:50]
    a, b = read_factors(predictor, images), read_factors(loaded, images)
    assert meta == {"note": "untrained"}
    assert np.allclose(a.values(), b.values(), atol=0.02)


def test_unreadable_predictor_files_are_one_line_errors(tmp_path):
    with pytest.raises(CheckpointError, match=r"nope.pt: no such factor predictor file"):
        load_predictor(tmp_path / "nope.pt")
    (tmp_path / "junk.pt").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CheckpointError, match=r"junk.pt: not a readable factor predictor"):
        load_predictor(tmp_path / "junk.pt")
    torch.save({"format": "something else"}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match=r"other.pt: not a vae-explorer factor predictor"):
        load_predictor(tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match=r"is a folder, not a factor predictor file"):
        load_predictor(tmp_path)
    nan = FactorPredictor()
    with torch.no_grad():
        next(nan.parameters()).fill_(float("nan"))
    save_predictor(tmp_path / "nan.pt", nan)
    with pytest.raises(CheckpointError, match=r"nan.pt: its weights hold NaN or infinite values"):
        load_predictor(tmp_path / "nan.pt")
    os.mkfifo(tmp_path / "fifo.pt")  # read whole, it would never end: refused before a byte is read
    with pytest.raises(CheckpointError, match=r"fifo.pt: is a FIFO \(named pipe\), not a factor predictor file"):
        load_predictor(tmp_path / "fifo.pt")


def test_reading_changes_are_signed_for_numbers_and_moved_probability_for_categories():
    k = len(FACTORS)
    before = FactorReading(np.zeros((2, k), np.float32), {})
    after = FactorReading(np.zeros((2, k), np.float32), {})
    for f in FACTORS:
        if f.kind == "categorical":
            levels = len(f.levels)
            before.probs[f.name] = np.tile(np.eye(levels)[0], (2, 1))
            after.probs[f.name] = np.array([np.eye(levels)[0], np.eye(levels)[1]])  # one of two faces changes
    after.scores[:, 0] = [0.5, 0.3]  # smile up by 0.4 of its range on average
    after.scores[:, 1] = [-0.2, 0.0]  # glasses less likely
    change = dict(zip([f.name for f in FACTORS], reading_change(before, after), strict=True))
    assert change["smile"] == pytest.approx(0.4)
    assert change["Eyeglasses"] == pytest.approx(-0.1)
    assert change["hair_color"] == pytest.approx(0.5) and change["hair_style"] == pytest.approx(0.5)
    assert change["eye_size"] == 0.0
