"""Claims 1 to 3, on the latent space: gaps on the map, clouds of the posterior, the KL term's pull toward N(0, I)."""

from __future__ import annotations

import math

import numpy as np

from vae_explorer.core.latent.codes import Codes, decode_codes, sample_posterior
from vae_explorer.core.latent.projection import LatentPlane, PCAProjection, Projection
from vae_explorer.core.model.loaded import Network
from vae_explorer.core.model.metrics import ACTIVE_KL_NATS
from vae_explorer.core.training.history import LatentHistory, read_history

from .inputs import ClaimInputs, Progress, heads
from .measures import cloud_ratio, data_box, gaussian_kl_to_standard, grid_in_box, mean_norm, spread_across
from .row import ClaimRow, judge, not_measured, outcome_of

GAPS = "An AE leaves gaps: between its codes it decodes smudges, while the VAE's map decodes plausible images"
CLOUDS = "A VAE maps an image to a cloud q(z|x), not a point: draws from it decode to variations of the image"
PULL = "The KL term pulls the codes toward N(0, I); an AE's codes drift wherever they like"
GAPS_SAID = (
    "The {better}'s map decodes {ratio} closer to real images than the {worse}'s.",
    "The two maps decode about equally realistic images between the codes.",
)
PULL_SAID = (
    "The {better}'s codes lie {ratio} nearer N(0, I) than the {worse}'s (by the KL of their fit).",
    "Both models' codes lie about as far from N(0, I).",
)
CLOUD_IMAGES = 100  # held-out images whose posterior clouds are drawn from
DRAWS = 16  # draws from each cloud
VISIBLE_SHARE = 0.1  # draws that differ less than a tenth as much as different images are hard to tell apart


def num(x: float | None) -> str:
    """A number in three figures or so: ``786``, ``14.3``, ``0.31``; ``-`` for none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "inf"
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def map_of(codes: np.ndarray) -> Projection:
    """The map the explorer shows by default: the latent plane of 2-D codes, else their PCA plane."""
    return LatentPlane(codes) if codes.shape[1] == 2 else PCAProjection(codes)


def grid_codes(codes: np.ndarray, side: int) -> np.ndarray:
    """Codes of a ``side x side`` grid over the map's box holding 98% of the codes' points (PCA: through their mean)."""
    projection = map_of(codes)
    low, high = data_box(projection.points)
    return np.asarray(projection.inverse(grid_in_box(low, high, side)), dtype=np.float32)


def gaps(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 1: how realistic the decodes of a grid over each map's data region are (Frechet distance)."""
    names = heads(left, right)
    if inputs.realism is None:
        return not_measured(1, "gaps", GAPS, names, inputs.why_no_realism)
    side = max(2, round(math.sqrt(inputs.n_images)))
    grid, recon = [], []
    for k, (model, codes) in enumerate(zip((left, right), inputs.codes, strict=True)):
        grid.append(inputs.realism.distance(decode_codes(model, grid_codes(codes.mu, side))))
        recon.append(inputs.realism.distance(decode_codes(model, codes.mu[inputs.rows(inputs.n_images, 1)])))
        if progress:
            progress((k + 1) / 2, f"gaps: {names[k]}")
    outcome, verdict = judge(names, (grid[0], grid[1]), *GAPS_SAID)
    meaning = (
        f"{inputs.realism.short()}, of the decodes of a {side}x{side} grid over the box holding 98% of the codes "
        "on the explorer's map (the latent plane in 2-D, else PCA through the codes' mean); in brackets, of "
        f"{inputs.n_images} reconstructions; lower is more realistic"
    )
    cells = tuple(f"{num(g)} (recon {num(r)})" for g, r in zip(grid, recon, strict=True))
    return ClaimRow(1, "gaps", GAPS, names, cells, meaning, outcome, verdict, (grid[0], grid[1]))  # type: ignore[arg-type]


def active_dims(codes: Codes) -> np.ndarray:
    """The dimensions whose mean KL over the data is above :data:`ACTIVE_KL_NATS` (all of them for an AE)."""
    if codes.logvar is None:
        return np.arange(codes.mu.shape[1])
    kl = 0.5 * (codes.mu.astype(np.float64) ** 2 + np.exp(codes.logvar) - 1.0 - codes.logvar)
    return np.flatnonzero(kl.mean(axis=0) > ACTIVE_KL_NATS)


def _cloud(model: Network, codes: Codes, inputs: ClaimInputs) -> tuple[float, float, float]:
    """``(cloud size / codes' spread, draws' pixel spread / different images', draws' pixel spread)``."""
    if codes.logvar is None:
        return 0.0, 0.0, 0.0
    groups = max(1, min(CLOUD_IMAGES, len(codes.mu) // DRAWS))  # of DRAWS different images each
    others = decode_codes(model, codes.mu[inputs.rows(groups * DRAWS, 3)])
    variety = spread_across(others.reshape(groups, DRAWS, *others.shape[1:]))
    rows = inputs.rows(CLOUD_IMAGES, 2)
    z = np.concatenate(
        [sample_posterior(codes.mu[r], codes.logvar[r], DRAWS, inputs.seed + i) for i, r in enumerate(rows)]
    )
    draws = decode_codes(model, z)
    spread = spread_across(draws.reshape(len(rows), DRAWS, *draws.shape[1:]))
    share = spread / variety if variety > 0 else float("nan")
    return cloud_ratio(codes.mu, codes.logvar, active_dims(codes)), share, spread


def clouds(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 2: each posterior cloud's size against the codes' spread, and how much decoded draws from it differ."""
    names = heads(left, right)
    measured = [_cloud(model, codes, inputs) for model, codes in zip((left, right), inputs.codes, strict=True)]
    if progress:
        progress(1.0, "clouds")
    shares = [m[1] for m in measured]
    outcome = outcome_of(shares[0], shares[1], lower_is_better=False)
    cells = tuple(
        "a point (sigma 0)" if r == 0 and s == 0 else f"sigma/spread {num(r)}, draws {s:.0%}" for r, s, _ in measured
    )
    r = measured[1]
    verdict = (
        f"The {names[1]}'s clouds are {num(r[0])} of the codes' spread, and draws from one cloud differ by a mean "
        f"pixel std of {r[2]:.3f}, {r[1]:.0%} of what different images' decodes do."
    )
    if outcome == "shows" and r[1] < VISIBLE_SHARE:
        verdict += " Too little to tell apart in small images: look for the changes in large ones."
    meaning = (
        "sigma/spread: the posterior's size against the spread of the codes, sqrt(mean sigma^2 / Var mu) over the "
        f"active dimensions; draws: the mean pixel std of {DRAWS} decoded draws from q(z|x) of each of "
        f"{CLOUD_IMAGES} held-out images, as a share of that of {DRAWS} different images' decodes; higher is a "
        "larger cloud"
    )
    return ClaimRow(2, "clouds", CLOUDS, names, cells, meaning, outcome, verdict, (shares[0], shares[1]))  # type: ignore[arg-type]


def pull_series(history: LatentHistory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per stored epoch: ``(epochs, KL of a Gaussian fit to N(0, I), mean code length)``, each ``(E,)``."""
    kl = np.array([gaussian_kl_to_standard(c) for c in history.codes])
    norms = np.array([mean_norm(c) for c in history.codes])
    return history.epochs, kl, norms


def _pull_cell(model: Network, codes: Codes) -> tuple[float, str, str]:
    kl, norm = gaussian_kl_to_standard(codes.mu), mean_norm(codes.mu)
    cell = f"KL {num(kl)}, |z| {num(norm)}"
    notes = []
    if codes.logvar is not None:
        clouds = gaussian_kl_to_standard(codes.mu, np.exp(codes.logvar.astype(np.float64)))
        notes.append(f"whole clouds (mu with each sigma, the aggregate posterior's Gaussian fit): KL {num(clouds)}")
    history = read_history(getattr(model, "metadata", None) or {})
    if history is None or not len(history.epochs):
        return kl, cell + " (final codes; no history stored)", "; ".join(notes)
    epochs, kls, _ = pull_series(history)
    notes.append(
        f"epoch by epoch ({len(epochs)} stored, codes of {history.codes.shape[1]} test images): KL "
        f"{num(kls[0])} after epoch {epochs[0]}, {num(kls[-1])} after epoch {epochs[-1]}, at most {num(kls.max())}"
    )
    return kl, cell, "; ".join(notes)


def kl_pull(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 3: the codes' distance from N(0, I), from the run's stored history where there is one."""
    names = heads(left, right)
    measured = [_pull_cell(model, codes) for model, codes in zip((left, right), inputs.codes, strict=True)]
    if progress:
        progress(1.0, "KL pull")
    kls = [m[0] for m in measured]
    outcome, verdict = judge(names, (kls[0], kls[1]), *PULL_SAID)
    notes = tuple(f"{names[k]} {m[2]}." for k, m in enumerate(measured) if m[2])
    d = inputs.codes[1].mu.shape[1]
    meaning = (
        "KL: the KL divergence in nats from a Gaussian fitted to the codes (mu) of the held-out images to N(0, I), "
        f"0 for codes spread as the prior; |z|: their mean length (about {math.sqrt(d):.1f} for N(0, I) in {d}-D); "
        "lower KL is nearer the prior"
    )
    cells = (measured[0][1], measured[1][1])
    return ClaimRow(3, "KL pull", PULL, names, cells, meaning, outcome, verdict, (kls[0], kls[1]), notes)
