"""A lesson's claim measured on the shipped digits pair: the row evaluate prints, kept in the cache; a second pair."""

import dataclasses

import pytest

from vae_explorer.core.data import load_dataset
from vae_explorer.core.evaluation.claims import claim_row, prepare_inputs
from vae_explorer.core.io.cache import entry_path
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.lessons import Lesson
from vae_explorer.core.lessons.measured import KIND, measure_lesson, row_key
from vae_explorer.core.model.opening import open_model

PRIOR = Lesson(5, "Sampling the prior", "digits-ae.pt", "digits-vae.pt", "digits", "pca", 0, ("prior",), ("a.", "b."))


@pytest.fixture
def pair(checkpoints_dir, monkeypatch, tmp_path):
    """The shipped digits AE and VAE, their codes of the test split, and a cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = load_dataset("digits", "test")
    models = [open_model(checkpoints_dir / name) for name in PRIOR.files]
    return models, data, tuple(encode_images(m, data.images) for m in models)


def test_the_row_is_the_one_evaluate_prints_and_a_second_visit_reads_it_from_the_cache(pair, checkpoints_dir):
    (ae, vae), data, codes = pair
    first = measure_lesson(PRIOR, ae, vae, data, codes, checkpoints_dir)
    inputs = prepare_inputs(ae, vae, data, load_dataset("digits", "train"), codes=codes)
    assert first.row == claim_row(5, ae, vae, inputs) and first.row.shows and first.also is None
    assert not first.cached and entry_path(KIND, row_key(5, ae, vae, data)).is_file()
    again = measure_lesson(PRIOR, ae, vae, data, codes, checkpoints_dir)
    assert again.cached and again.row == first.row
    assert again.row.lesson_text() == first.row.lesson_text()


def test_a_damaged_entry_is_measured_again(pair, checkpoints_dir):
    (ae, vae), data, codes = pair
    first = measure_lesson(PRIOR, ae, vae, data, codes, checkpoints_dir)
    entry_path(KIND, row_key(5, ae, vae, data)).write_bytes(b"PK\x03\x04 not a zip")
    again = measure_lesson(PRIOR, ae, vae, data, codes, checkpoints_dir)
    assert not again.cached and again.row == first.row


def test_where_the_pair_does_not_show_the_claim_the_second_pair_is_measured(pair, checkpoints_dir):
    """The VAE on the left and the AE on the right reverse the claim; the lesson's second pair shows it."""
    (ae, vae), data, codes = pair
    swapped = dataclasses.replace(PRIOR, left="digits-vae.pt", right="digits-ae.pt", also=PRIOR.files)
    rows = measure_lesson(swapped, vae, ae, data, codes[::-1], checkpoints_dir)
    assert rows.row.outcome == "reversed" and rows.row.answer == "no: VAE ahead"
    assert rows.also is not None and rows.also.shows and rows.also.heads == ("AE", "VAE")
    missing = dataclasses.replace(swapped, also=("none-ae.pt", "none-vae.pt"))
    assert measure_lesson(missing, vae, ae, data, codes[::-1], checkpoints_dir).also is None
