"""Each claim measured on decoders whose answer is known: gaps, clouds, KL pull, beta, prior samples, morph.

The decoders here are the synthetic inputs: one that draws a held-out digit near
its codes and a blank far from them (gaps), one that draws the nearest code's
digit everywhere (no gaps), and a linear one (a perfect cross-fade). Realism is
measured in the pixels themselves, so the answers do not hang on a trained ruler.
"""

import re

import numpy as np
import pytest
import torch

from vae_explorer.core.data import load_dataset
from vae_explorer.core.evaluation.claims import (
    ClaimInputs,
    claim_row,
    claims_table,
    format_markdown,
    format_text,
    prepare_inputs,
)
from vae_explorer.core.evaluation.claims.decodes import FRAMES, morph_frames
from vae_explorer.core.evaluation.claims.measures import step_ratios
from vae_explorer.core.evaluation.realism import make_realism
from vae_explorer.core.latent.codes import Codes, encode_images
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.training.history import pack_codes

SHAPE = (1, 8, 8)


class Decoder:
    """A model as the claims see one (the :class:`Network` protocol), whose decoder is ``draw(z) -> images``."""

    device = torch.device("cpu")
    output, likelihood, sigma, channels_last = "probabilities", "bernoulli", 1.0, False

    def __init__(self, draw, latent_dim=2, is_vae=False, metadata=None):
        self.draw, self.latent_dim, self.is_vae = draw, latent_dim, is_vae
        self.image_shape = SHAPE
        self.metadata = metadata or {}

    def encode(self, x):
        """Every image to the origin (only the beta claim encodes: it scores reconstructions)."""
        mu = torch.zeros(len(x), self.latent_dim)
        return mu, (torch.zeros_like(mu) if self.is_vae else None)

    def decode(self, z):
        return torch.from_numpy(self.draw(z.numpy()).astype(np.float32))


def nearest_image(codes, images, reach=np.inf):
    """A decoder that draws the image of the nearest code within ``reach``, else a blank."""

    def draw(z):
        dist = np.linalg.norm(z[:, None, :] - codes[None], axis=2)
        near = dist.argmin(axis=1)
        out = images[near].astype(np.float32) / 255.0
        out[dist[np.arange(len(z)), near] > reach] = 0.0
        return out

    return draw


def linear(z):
    w = np.linspace(-1, 1, 2 * 64).reshape(2, 64)
    return (0.5 + 0.2 * np.tanh(0.0) + 0.1 * (z @ w)).reshape(-1, *SHAPE)


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits", "test")


def _pixels(x):
    return x.flatten(1)


def _inputs(digits, left_codes, right_codes, n=400, **kw):
    realism = make_realism(_pixels, "pixels", digits.images, load_dataset("digits", "train").images, n)
    return ClaimInputs(digits, (left_codes, right_codes), realism, n_images=n, **kw)


def _spread_classes(labels, radius=20.0, jitter=0.05, seed=0):
    """Codes of each class in a tight clump on a circle: the AE's picture, with wide gaps."""
    angles = 2 * np.pi * labels / 10
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return (centres + jitter * np.random.default_rng(seed).standard_normal(centres.shape)).astype(np.float32)


def test_a_decoder_that_draws_blanks_between_its_clumps_has_gaps_and_one_without_them_has_none(digits):
    gappy = _spread_classes(digits.labels)
    filled = np.random.default_rng(1).uniform(-1, 1, (len(digits), 2)).astype(np.float32)
    left = Decoder(nearest_image(gappy, digits.images, reach=0.5))
    right = Decoder(nearest_image(filled, digits.images), is_vae=True)
    row = claim_row(1, left, right, _inputs(digits, Codes(gappy), Codes(filled)))
    assert row.outcome == "shows" and row.answer == "yes"
    assert row.values[0] > 3 * row.values[1], row
    assert "grid" in row.meaning and "lower is more realistic" in row.meaning
    swapped = claim_row(1, right, left, _inputs(digits, Codes(filled), Codes(gappy)))
    assert swapped.outcome == "reversed" and swapped.answer == "no: VAE ahead"


def test_the_prior_decodes_to_digits_only_where_the_codes_lie_near_the_origin(digits):
    far = _spread_classes(digits.labels)
    near = np.random.default_rng(2).standard_normal((len(digits), 2)).astype(np.float32)
    ae = Decoder(nearest_image(far, digits.images, reach=0.5))
    vae = Decoder(nearest_image(near, digits.images), is_vae=True)
    row = claim_row(5, ae, vae, _inputs(digits, Codes(far), Codes(near)))
    assert row.outcome == "shows" and row.values[0] > 3 * row.values[1]
    assert row.heads == ("AE", "VAE")
    floor = _inputs(digits, Codes(far), Codes(near)).realism.floor
    assert floor < row.values[0] / 10, "real images of the other split lie far nearer than blanks"


def test_a_linear_decoder_morphs_as_a_cross_fade_and_a_nearest_image_one_jumps(digits):
    codes = np.random.default_rng(3).uniform(-1, 1, (len(digits), 2)).astype(np.float32)
    fade = morph_frames(Decoder(linear), codes[:5], codes[5:10])
    assert step_ratios(fade) == pytest.approx((1 / (FRAMES - 1), 1 / (FRAMES - 1)))
    jumpy = Decoder(nearest_image(codes, digits.images))
    row = claim_row(7, jumpy, Decoder(linear), _inputs(digits, Codes(codes), Codes(codes)))
    steps = [tuple(map(float, re.search(r"steps (\S+) / (\S+)", c).groups())) for c in row.cells]
    assert steps[1] == pytest.approx((0.11, 0.11))
    assert steps[0][1] > 2 * steps[1][1], "the nearest-image decoder's largest step is a jump"
    assert row.notes and row.notes[0].startswith("From 3 to 4 (the classes whose mean images lie farthest apart)")


def test_clouds_of_known_size_and_points(digits):
    n = len(digits)
    mu = np.where(np.arange(n)[:, None] % 2 == 0, -1.0, 1.0) * np.ones((n, 2))  # variance 1 in each dimension
    vae_codes = Codes(mu.astype(np.float32), np.full((n, 2), np.log(0.25), np.float32))  # sigma 0.5
    ae, vae = Decoder(linear), Decoder(linear, is_vae=True)
    row = claim_row(2, ae, vae, _inputs(digits, Codes(mu.astype(np.float32)), vae_codes))
    assert row.cells[0] == "a point (sigma 0)" and row.values[0] == 0.0
    assert "sigma/spread 0.50" in row.cells[1] and row.values[1] > 0
    assert row.outcome == "shows"


def _history(epochs):
    """Metadata of a run that stored the codes of 500 test images after each epoch, as ``train --history`` does."""
    rows = [{"epoch": e, "mu": pack_codes(c), "test": {}} for e, c in epochs]
    return {"history_codes": {"dims": 2, "indices": list(range(500)), "labels": None}, "history": rows}


def test_the_kl_pull_reads_the_runs_history_and_the_final_codes(digits):
    rng = np.random.default_rng(4)
    wide = (10 * rng.standard_normal((len(digits), 2))).astype(np.float32)
    prior = rng.standard_normal((len(digits), 2)).astype(np.float32)
    metadata = _history([(1, 3 * rng.standard_normal((500, 2))), (2, rng.standard_normal((500, 2)))])
    ae, vae = Decoder(linear), Decoder(linear, is_vae=True, metadata=metadata)
    row = claim_row(3, ae, vae, _inputs(digits, Codes(wide), Codes(prior)))
    assert row.outcome == "shows" and row.values[0] > 10 * row.values[1]
    assert "no history stored" in row.cells[0] and "no history" not in row.cells[1]
    first, last = map(float, re.search(r"KL (\S+) after epoch 1, (\S+) after epoch 2", row.notes[0]).groups())
    assert first == pytest.approx(0.5 * (2 * 9 - 2 - 2 * np.log(9)), abs=0.6) and last < 0.1


def test_the_shipped_digits_pair_reconstructs_as_its_checkpoints_say_and_has_no_factors_to_measure(
    digits, checkpoints_dir
):
    ae, vae = (open_model(checkpoints_dir / f"digits-{k}.pt", "cpu") for k in ("ae", "vae"))

    inputs = _inputs(digits, encode_images(ae, digits.images), encode_images(vae, digits.images))
    row = claim_row(4, ae, vae, inputs)
    recon = [float(re.search(r"recon (\S+),", c).group(1)) for c in row.cells]
    assert recon == pytest.approx([ae.metadata["test"]["recon"], vae.metadata["test"]["recon"]], abs=0.06)
    assert row.outcome == "not measured" and "worse than the AE" in row.verdict and "MIG -" in row.cells[1]
    assert claim_row(6, ae, vae, inputs).outcome == "not measured"


def test_the_table_has_seven_rows_in_text_and_markdown(digits):
    codes = np.random.default_rng(5).standard_normal((len(digits), 2)).astype(np.float32)
    logvar = np.full_like(codes, -2.0)
    model = Decoder(nearest_image(codes, digits.images))
    rows = claims_table(model, Decoder(linear, is_vae=True), _inputs(digits, Codes(codes), Codes(codes, logvar), 200))
    assert [r.number for r in rows] == list(range(1, 8))
    text = format_text(rows)
    assert [line.split()[0] for line in text.splitlines() if line[:1].isdigit()] == [str(k) for k in range(1, 8)]
    markdown = format_markdown(rows).splitlines()
    assert markdown[0].startswith("| claim | AE | VAE | what the numbers mean") and len(markdown) == 9
    assert rows[5].answer == "not measured" and "Lesson" not in rows[0].lesson_text()
    assert rows[0].lesson_text().startswith("Measured: AE ")
    with pytest.raises(Exception, match="no claim 8: claims are numbered 1 to 7"):
        claim_row(8, model, model, _inputs(digits, Codes(codes), Codes(codes)))


@pytest.mark.slow
def test_beta_and_arithmetic_on_the_shipped_faces_models(checkpoints_dir):
    faces = load_dataset("faces", "test").subset(np.arange(3000))
    ae, vae, beta4 = (open_model(checkpoints_dir / f"faces-{k}.pt") for k in ("ae", "vae", "vae-beta4"))
    inputs = prepare_inputs(ae, vae, faces, n_images=500)
    assert inputs.realism.name == "faces-factors.pt" and inputs.predictor is not None
    row = claim_row(4, ae, vae, inputs)
    print("\n" + format_text([row]))
    migs = [float(re.search(r"MIG (\S+)$", c).group(1)) for c in row.cells]
    assert migs[0] < 0.05 < 0.1 < migs[1], "the AE's dimensions mix the factors; the VAE's line up with them"
    assert row.outcome == "shows" and "worse than the AE" in row.verdict
    row = claim_row(6, ae, vae, inputs)
    print(format_text([row]))
    smiles = [float(re.match(r"smile (\S+),", c).group(1)) for c in row.cells]
    assert min(smiles) > 0.2 and "in both spaces" in row.verdict
    again = prepare_inputs(vae, beta4, faces, n_images=500)
    assert claim_row(4, vae, beta4, again).cells[1].startswith("recon ")
