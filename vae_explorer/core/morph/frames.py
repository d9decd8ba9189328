"""One model's morph: key images encoded with mu, codes laid between them, decoded in one batch."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from vae_explorer.core.errors import Cancelled
from vae_explorer.core.latent.codes import decode_codes, encode_images
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.model.loaded import Network
from vae_explorer.core.morph.interpolate import key_frames, path
from vae_explorer.core.morph.keys import check_frames, check_method


@dataclass
class MorphFrames:
    """One model's morph.

    ``key_codes: (k, d)`` the keys' mu; ``codes: (n, d)`` the frames' codes;
    ``images: (n, C, H, W) float32`` in [0, 1]; ``key_frames: (k,)`` which frames are
    the keys; ``distances: (n,)`` each frame's distance to the nearest data code and
    ``nearest: (n,)`` that code's sample, or ``None`` without data codes;
    ``spacing`` the data codes' median distance to their nearest neighbour (the
    scale a distance is read against).
    """

    key_codes: np.ndarray
    codes: np.ndarray
    images: np.ndarray
    key_frames: np.ndarray
    distances: np.ndarray | None = None
    nearest: np.ndarray | None = None
    spacing: float | None = None


def morph_frames(
    model: Network,
    images: np.ndarray,
    frames: int,
    method: str,
    nearest: NearestCode | None = None,
    cancel: threading.Event | None = None,
) -> MorphFrames:
    """Encode the key ``images: uint8 (k, C, H, W)`` with mu, lay ``frames`` codes through them, decode.

    All frames are decoded in one batch. With ``nearest`` (the data's codes) each
    frame is placed relative to the data.
    """
    check_frames(frames, len(images))
    key_codes = encode_images(model, images).mu
    codes = path(key_codes, frames, check_method(method))
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    decoded = decode_codes(model, codes, batch_size=len(codes))
    result = MorphFrames(key_codes, codes, decoded, key_frames(len(images), frames))
    if nearest is not None:
        result.nearest, result.distances = nearest.query_many(codes)
        result.spacing = nearest.spacing()
    return result
