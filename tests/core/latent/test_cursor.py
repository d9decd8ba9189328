"""Decoding one cursor: its image, its nearest data code and its prior log-density, exactly."""

import math

import numpy as np
import torch

from vae_explorer.core.latent.codes import decode_codes
from vae_explorer.core.latent.cursor import decode_cursor
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.model.autoencoder import build_model, default_config


def test_decode_cursor_places_the_code_relative_to_the_data():
    torch.manual_seed(0)
    model = build_model(default_config("vae", (1, 8, 8), 2)).eval()
    codes = np.array([[0.0, 0.0], [3.0, 4.0], [-1.0, 1.0]], np.float32)
    z = np.array([3.0, 1.0], np.float32)
    result = decode_cursor(model, z, NearestCode(codes))
    assert result.nearest_index == 1 and math.isclose(result.nearest_distance, 3.0)
    assert math.isclose(result.log_prior, -0.5 * (9 + 1) - math.log(2 * math.pi))
    assert result.image.shape == (1, 8, 8)
    assert np.array_equal(result.image, decode_codes(model, z[None])[0])
    assert np.array_equal(result.z, z)


def test_without_data_codes_the_distance_is_unknown():
    model = build_model(default_config("ae", (1, 8, 8), 3)).eval()
    result = decode_cursor(model, np.zeros(3, np.float32))
    assert math.isnan(result.nearest_distance) and result.image.shape == (1, 8, 8)
