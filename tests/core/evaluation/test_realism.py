"""The shipped realism classifiers: small, accurate on held-out images, read safely; the ruler they make."""

import re

import numpy as np
import pytest
import torch

from vae_explorer.core.data import load_dataset
from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.evaluation.classifier import (
    ClassifierConfig,
    ImageClassifier,
    accuracy,
    load_classifier,
    save_classifier,
)
from vae_explorer.core.evaluation.classifier_training import train_classifier
from vae_explorer.core.evaluation.realism import make_realism, ruler_features


def _readme_accuracy(checkpoints_dir, name):
    """The held-out accuracy checkpoints/README.md records for ``name``."""
    text = (checkpoints_dir / "README.md").read_text()
    row = re.search(rf"^\| `{re.escape(name)}` \|.*held-out accuracy (0\.\d+)", text, re.M)
    assert row, f"checkpoints/README.md has no row for {name}"
    return float(row.group(1))


def _check_shipped(checkpoints_dir, name, data):
    path = checkpoints_dir / name
    assert path.stat().st_size < 1_000_000, "a ruler ships well under 1 MB"
    state = torch.load(path, weights_only=True)["state_dict"]
    assert all(t.dtype == torch.float16 for t in state.values())
    model, meta = load_classifier(path)
    measured = accuracy(model, data.images, data.labels)
    print(f"\n{name}: held-out accuracy {measured:.4f} on {len(data)} images")
    assert measured == pytest.approx(meta["held_out_accuracy"], abs=1e-3)
    assert measured == pytest.approx(_readme_accuracy(checkpoints_dir, name), abs=1e-3)
    return measured


def test_the_shipped_digits_classifier_reads_held_out_digits(checkpoints_dir):
    assert _check_shipped(checkpoints_dir, "digits-classifier.pt", load_dataset("digits", "test")) > 0.93


def test_the_shipped_fashion_classifier_reads_held_out_clothes(checkpoints_dir, fashion_dir):
    assert _check_shipped(checkpoints_dir, "fashion-classifier.pt", load_dataset("fashion-mnist", "test")) > 0.88


def test_real_digits_lie_near_the_held_out_ones_and_blanks_and_noise_far_away():
    test, train = load_dataset("digits", "test"), load_dataset("digits", "train")
    features, name = ruler_features(test)
    assert name == "digits-classifier.pt"
    realism = make_realism(features, name, test.images, train.images, 1000)
    assert realism.n == 1000 and realism.distance(test.images) == pytest.approx(0.0, abs=1e-6)
    noise = np.random.default_rng(0).random((1000, 1, 8, 8), dtype=np.float32)
    blank = np.zeros((1000, 1, 8, 8), np.float32)
    assert realism.floor < realism.distance(noise) / 10 and realism.floor < realism.distance(blank) / 10
    assert "digits-classifier.pt's features; 1000 real images of the other split" in realism.describe()


def test_a_ruler_must_fit_the_data(checkpoints_dir):
    faces = load_dataset("digits", "test")
    with pytest.raises(CheckpointError, match=r"fashion-classifier.pt: a realism classifier of 1x28x28 images"):
        ruler_features(faces, checkpoints_dir / "fashion-classifier.pt")


def test_a_saved_classifier_reads_the_same_and_training_repeats_for_a_seed(tmp_path):
    data = load_dataset("digits", "train")
    config = ClassifierConfig(data.image_shape, tuple(data.label_names), hidden=8)
    a = train_classifier(data.images[:300], data.labels[:300], config, epochs=2, seed=3)
    b = train_classifier(data.images[:300], data.labels[:300], config, epochs=2, seed=3)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True))
    save_classifier(tmp_path / "c.pt", a, {"epochs": 2})
    loaded, meta = load_classifier(tmp_path / "c.pt")
    assert meta == {"epochs": 2} and loaded.config == config
    x = torch.from_numpy(data.images[:20]).float() / 255
    assert torch.allclose(loaded.features(x), a.features(x), atol=0.02)


def test_unreadable_classifier_files_are_one_line_errors(tmp_path):
    with pytest.raises(CheckpointError, match=r"nope.pt: no such realism classifier file"):
        load_classifier(tmp_path / "nope.pt")
    (tmp_path / "junk.pt").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CheckpointError, match=r"junk.pt: not a readable realism classifier \(truncated or corrupt\)"):
        load_classifier(tmp_path / "junk.pt")
    with pytest.raises(CheckpointError, match=r": is a folder, not a realism classifier file"):
        load_classifier(tmp_path)
    model = ImageClassifier(ClassifierConfig((1, 8, 8), ("a", "b")))
    save_classifier(tmp_path / "ok.pt", model)
    blob = torch.load(tmp_path / "ok.pt", weights_only=True)
    torch.save({**blob, "hidden": 10**9}, tmp_path / "huge.pt")
    with pytest.raises(CheckpointError, match=r"huge.pt: invalid realism classifier config"):
        load_classifier(tmp_path / "huge.pt")
    torch.save({**blob, "hidden": 7}, tmp_path / "misfit.pt")
    with pytest.raises(CheckpointError, match=r"misfit.pt: weights do not fit the realism classifier"):
        load_classifier(tmp_path / "misfit.pt")
    nan = {k: torch.full_like(v, float("nan")) for k, v in blob["state_dict"].items()}
    torch.save({**blob, "state_dict": nan}, tmp_path / "nan.pt")
    with pytest.raises(CheckpointError, match=r"nan.pt: its weights hold NaN or infinite values"):
        load_classifier(tmp_path / "nan.pt")
