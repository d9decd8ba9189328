"""Claims 4 and 6, against the known factors where the data has them: beta's trade, and latent arithmetic."""

from __future__ import annotations

import numpy as np

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import ModelCodes, build_vector
from vae_explorer.core.latent.codes import Codes
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.loaded import Network
from vae_explorer.core.model.metrics import active_units, evaluate

from ..effects import DEFAULT_SAMPLES, VectorEffect, vector_effect, vector_target
from ..ground_truth import measure_model
from .inputs import ClaimInputs, Progress, has_factors, heads
from .measures import compare
from .row import ClaimRow, not_measured, outcome_of
from .space import num

BETA = "Beta trades reconstruction for structure: a heavier KL term costs detail and buys disentangled dimensions"
ARITHMETIC = "Latent arithmetic: adding the smile vector (smiling faces' mean code minus the others') adds a smile"
VECTOR = "column:Smiling"
ALPHA = 1.0
NO_FACTORS = "needs data with known factors (the generated faces)"


def _beta_numbers(model: Network, codes: Codes, inputs: ClaimInputs) -> dict[str, float | None]:
    """Reconstruction and KL (nats per image) on ``n_images`` held-out images, active dimensions, MIG."""
    images = torch.from_numpy(np.ascontiguousarray(inputs.data.images[inputs.rows(inputs.n_images, 4)]))
    metrics = evaluate(model, images.to(model.device), seed=inputs.seed)
    kl_dims = metrics.get("kl_per_dim")
    mig = None
    if has_factors(inputs.data) and codes.mu.shape[1] >= 2:
        mig = measure_model(codes.mu, inputs.data).mig
    active = active_units(kl_dims) if isinstance(kl_dims, list) else None
    kl = float(metrics["kl"]) if model.is_vae else None
    return {"recon": float(metrics["recon"]), "kl": kl, "active": active, "mig": mig}


def _beta_cell(m: dict[str, float | None], d: int) -> str:
    active = f"{m['active']}/{d}" if m["active"] is not None else "-"
    return f"recon {num(m['recon'])}, KL {num(m['kl'])}, active {active}, MIG {num(m['mig'])}"


def beta(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 4: reconstruction, KL, active dimensions and MIG of each model (the right one has the heavier KL term)."""
    names = heads(left, right)
    numbers = [_beta_numbers(m, c, inputs) for m, c in zip((left, right), inputs.codes, strict=True)]
    if progress:
        progress(1.0, "beta")
    cells = tuple(_beta_cell(m, c.mu.shape[1]) for m, c in zip(numbers, inputs.codes, strict=True))
    a, b = numbers
    gap = b["recon"] - a["recon"]
    worse = "worse" if gap > 0 else "better"
    cost = f"the {names[1]} reconstructs {abs(gap):.1f} nats per image {worse} than the {names[0]}"
    if a["mig"] is None or b["mig"] is None:
        outcome, verdict = "not measured", f"Structure not measured: MIG {NO_FACTORS}; {cost}."
    else:
        structure = compare(a["mig"], b["mig"], lower_is_better=False)
        outcome = "reversed" if structure == "left" else "shows" if structure == "right" and gap > 0 else "level"
        said = {"right": ".", "level": ": no more structure for it.", "left": ": less structure, not more."}
        verdict = f"{cost[0].upper()}{cost[1:]}, and its MIG is {num(b['mig'])} against {num(a['mig'])}"
        verdict += said[structure]
    meaning = (
        f"reconstruction (nats per image, one draw of q(z|x)) and KL on {inputs.n_images} held-out images; active: "
        "dimensions with more than 0.01 nats of KL; MIG: the mutual information gap against the known factors "
        "(1: one dimension per factor)"
    )
    values = (a["mig"], b["mig"])
    return ClaimRow(4, "beta", BETA, names, cells, meaning, outcome, verdict, values)  # type: ignore[arg-type]


def _selectivity(effect: VectorEffect) -> float:
    """How much more the vector moves its own factor than the most-moved other one."""
    _, other = effect.largest_other()
    return effect.change(effect.target) / max(abs(other), 1e-3) if effect.target else float("nan")


def arithmetic(left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None) -> ClaimRow:
    """Claim 6: the smile vector's measured effect on every factor, ``alpha`` 1, in each model's own space."""
    names = heads(left, right)
    if inputs.predictor is None or not has_factors(inputs.data):
        return not_measured(6, "arithmetic", ARITHMETIC, names, NO_FACTORS)
    groups = parse_groups(VECTOR)
    models = {names[k]: ModelCodes(inputs.codes[k].mu) for k in range(2)}
    vector = build_vector("", groups, inputs.data, models)
    target = vector_target(groups, vector.name)
    effects = []
    for k, model in enumerate((left, right)):
        codes = inputs.codes[k].mu[:DEFAULT_SAMPLES]
        effects.append(vector_effect(model, inputs.predictor, codes, vector.entries[names[k]].values, ALPHA, target))
        if progress:
            progress((k + 1) / 2, f"arithmetic: {names[k]}")
    picks = [_selectivity(e) for e in effects]
    outcome = outcome_of(picks[0], picks[1], lower_is_better=False)
    cells = []
    for e in effects:
        other, change = e.largest_other()
        cells.append(f"{target} {e.change(target):+.2f}, next {other} {abs(change):.2f}")
    works = [e.change(target) > 3 * abs(e.largest_other()[1]) for e in effects]
    said = {
        (True, True): "moves the smile more than 3 times any other factor in both spaces",
        (False, True): f"singles out the smile only in the {names[1]}'s space",
        (True, False): f"singles out the smile only in the {names[0]}'s space",
        (False, False): "singles out the smile in neither space",
    }
    verdict = f"The smile vector {said[works[0], works[1]]}."
    meaning = (
        f"the mean change of each factor, as the faces' factor predictor reads it, when {DEFAULT_SAMPLES} held-out "
        f"faces move by alpha {ALPHA:g} along the smile vector made in each model's space: smile (as a share of its "
        "range) and the next most changed factor; the smile's change over that one's is the number compared"
    )
    return ClaimRow(6, "arithmetic", ARITHMETIC, names, tuple(cells), meaning, outcome, verdict, (picks[0], picks[1]))  # type: ignore[arg-type]
