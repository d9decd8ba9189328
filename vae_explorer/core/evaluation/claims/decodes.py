"""Claims 5 and 7, on what the decoders draw: samples of the prior, and morphs from one image to another."""

from __future__ import annotations

import numpy as np

from vae_explorer.core.data import Dataset
from vae_explorer.core.latent.codes import Codes, decode_codes, sample_prior
from vae_explorer.core.model.loaded import Network

from .inputs import ClaimInputs, Progress, heads
from .measures import compare, step_ratios
from .row import ClaimRow, judge, not_measured
from .space import num

PRIOR = "Sampling the prior works for the VAE, not the AE: the same z ~ N(0, I) decode to images only in the VAE"
MORPH = "Morphing: the VAE's frames from A to B stay plausible images, while the AE's line crosses its gaps"
PRIOR_SAID = (
    "The {better}'s samples are {ratio} closer to real images than the {worse}'s.",
    "Both models' samples of the prior are about as realistic.",
)
MORPH_SAID = (
    "On random pairs the {better}'s frames are {ratio} closer to real images than the {worse}'s.",
    "On random pairs both models' frames are about as realistic.",
)
FRAMES = 10  # frames of each morph, A and B included; the 8 between them are measured


def prior_samples(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 5: how realistic the decodes of the same ``n_images`` codes z ~ N(0, I) are (Frechet distance)."""
    names = heads(left, right)
    if inputs.realism is None:
        return not_measured(5, "prior samples", PRIOR, names, inputs.why_no_realism)
    fds = []
    for k, model in enumerate((left, right)):
        z = sample_prior(inputs.n_images, model.latent_dim, inputs.seed)  # the same codes for both in equal sizes
        fds.append(inputs.realism.distance(decode_codes(model, z)))
        if progress:
            progress((k + 1) / 2, f"prior samples: {names[k]}")
    outcome, verdict = judge(names, (fds[0], fds[1]), *PRIOR_SAID)
    meaning = (
        f"{inputs.realism.short()}, of the decodes of the same {inputs.n_images} codes z ~ N(0, I) "
        f"(seed {inputs.seed}); lower is more realistic"
    )
    cells = (num(fds[0]), num(fds[1]))
    return ClaimRow(5, "prior samples", PRIOR, names, cells, meaning, outcome, verdict, (fds[0], fds[1]))


def farthest_classes(data: Dataset) -> tuple[int, int] | None:
    """The two classes whose mean images lie farthest apart in pixels (chosen from the data, not the models)."""
    if data.labels is None:
        return None
    present = [k for k in range(len(data.label_names)) if np.any(data.labels == k)]
    if len(present) < 2:
        return None
    flat = data.images.reshape(len(data), -1)
    means = np.stack([flat[data.labels == k].mean(axis=0) / 255.0 for k in present])
    dist = np.linalg.norm(means[:, None] - means[None], axis=2)
    i, j = np.unravel_index(int(dist.argmax()), dist.shape)
    return present[min(i, j)], present[max(i, j)]


def morph_frames(model: Network, a: np.ndarray, b: np.ndarray, frames: int = FRAMES) -> np.ndarray:
    """Decode straight lines from codes ``a (P, d)`` to ``b (P, d)``: ``frames`` each -> ``(P, frames, C, H, W)``."""
    t = np.linspace(0.0, 1.0, frames, dtype=np.float64)[None, :, None]
    z = ((1.0 - t) * a[:, None].astype(np.float64) + t * b[:, None]).astype(np.float32)
    out = decode_codes(model, z.reshape(-1, z.shape[-1]))
    return out.reshape(len(a), frames, *out.shape[1:])


def _morphs(model: Network, codes: Codes, pairs: tuple[np.ndarray, np.ndarray], inputs: ClaimInputs) -> tuple:
    """``(Frechet distance of the middle frames or None, mean step, largest step)`` of one model's morphs."""
    frames = morph_frames(model, codes.mu[pairs[0]], codes.mu[pairs[1]])
    middle = frames[:, 1:-1].reshape(-1, *frames.shape[2:])
    fd = inputs.realism.distance(middle) if inputs.realism is not None else None
    return (fd, *step_ratios(frames))


def morph_pairs(inputs: ClaimInputs, classes: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows A and B of the pairs to morph: random held-out pairs, or A of one class and B of the other (seeded)."""
    count = max(2, inputs.n_images // (FRAMES - 2))
    rng = np.random.default_rng([inputs.seed, 7])
    if classes is None:
        rows = rng.choice(len(inputs.data), (count, 2), replace=len(inputs.data) < 2 * count)
        return rows[:, 0], rows[:, 1]
    labels = inputs.data.labels
    a, b = (np.flatnonzero(labels == k) for k in classes)
    return rng.choice(a, count, replace=len(a) < count), rng.choice(b, count, replace=len(b) < count)


def _evenness(names: tuple[str, str], left: float, right: float) -> str:
    """Which model's morphs step more evenly, by their largest step (lower is smoother)."""
    steps = f"largest steps {left:.2f} and {right:.2f} of the A-B distance"
    which = compare(left, right)
    if which == "level":
        return f"Both step about as evenly ({steps})."
    return f"The {names[1] if which == 'right' else names[0]}'s frames step more evenly ({steps})."


def _cell(m: tuple) -> str:
    return f"{num(m[0])}; steps {m[1]:.2f} / {m[2]:.2f}"


def morph(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 7: how realistic and how smooth the frames of the same A -> B morphs are, in each model.

    Measured on random pairs of held-out images and on pairs joining two classes
    (``inputs.morph_classes``, else the two whose mean images lie farthest apart).
    """
    names = heads(left, right)
    if inputs.realism is None:
        return not_measured(7, "morph", MORPH, names, inputs.why_no_realism)
    classes = inputs.morph_classes or farthest_classes(inputs.data)
    sets = [("random pairs", None)] + ([("classes", classes)] if classes else [])
    results = []
    for k, (_, chosen) in enumerate(sets):
        pairs = morph_pairs(inputs, chosen)
        results.append([_morphs(m, c, pairs, inputs) for m, c in zip((left, right), inputs.codes, strict=True)])
        if progress:
            progress((k + 1) / len(sets), "morph")
    first = results[0]
    outcome, verdict = judge(names, (first[0][0], first[1][0]), *MORPH_SAID)
    verdict += " " + _evenness(names, first[0][2], first[1][2])
    notes = []
    if classes:
        second = results[1]
        a, b = (inputs.data.label_names[k] for k in classes)
        why = "the classes asked for" if inputs.morph_classes else "the classes whose mean images lie farthest apart"
        which = {"right": f"{names[1]} ahead", "left": f"{names[0]} ahead", "level": "level"}[
            compare(second[0][0], second[1][0])
        ]
        notes.append(f"From {a} to {b} ({why}): {names[0]} {_cell(second[0])}, {names[1]} {_cell(second[1])}: {which}.")
    count = len(morph_pairs(inputs)[0])
    meaning = (
        f"{inputs.realism.short()}, of the {FRAMES - 2} middle frames of straight-line morphs between the same "
        f"{count} random pairs of held-out images; steps: the mean / largest frame-to-frame pixel distance over the "
        f"A-B distance (a straight cross-fade: {1 / (FRAMES - 1):.2f} / {1 / (FRAMES - 1):.2f}); lower is better"
    )
    cells = (_cell(first[0]), _cell(first[1]))
    values = (first[0][0], first[1][0])
    return ClaimRow(7, "morph", MORPH, names, cells, meaning, outcome, verdict, values, tuple(notes))
