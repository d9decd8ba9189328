"""``vae-explorer evaluate``: models and attribute vectors measured against the faces' known factors; with
``--ae A --vae B``, the lecture's claims measured on the pair (:mod:`.claims`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vae_explorer.core.attributes.binding import bind_vector
from vae_explorer.core.attributes.files import load_vector
from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import AttributeVector, ModelCodes, build_vector
from vae_explorer.core.data import Dataset, load_dataset
from vae_explorer.core.data.faces import FACTORS
from vae_explorer.core.errors import DataError
from vae_explorer.core.evaluation.disentanglement import BINS, Disentanglement
from vae_explorer.core.evaluation.effects import DEFAULT_SAMPLES, VectorEffect, vector_effect, vector_target
from vae_explorer.core.evaluation.ground_truth import known_factors, measure_model
from vae_explorer.core.evaluation.predictor import load_predictor
from vae_explorer.core.io.text import printable
from vae_explorer.core.latent.codes import encode_cached
from vae_explorer.core.limits import ALPHA
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.probe import check_on_data

from .claims import CLAIMS_HELP, add_claims_arguments, run_claims
from .models import add_trust_argument, open_cli_model
from .parser import add_device_argument, positive_int, within

DESCRIPTION = """\
Measure models against the known factors of the generated faces (smile,
glasses, eye size, face width, skin tone, hair colour and style, background,
shift). For each model: the mutual information gap (MIG, as disentanglement_lib
computes it: codes cut into 20 bins, the mutual information of each dimension
with each factor, the gap between the best and the second-best dimension over
the factor's entropy, averaged over factors; 1 is perfectly disentangled), and
per factor the dimension that carries it, with its share of the factor's
information and its gap.

With --vector SPEC: the attribute vector of two groups (class:A-B, column:NAME,
indices:..., pixel:STAT, as in `traverse --attribute`, or a saved .json vector),
made in each model's own space, is added with --alpha to the codes of the first
--samples faces; a small CNN reads every factor off the decoded images before
and after, and the table shows the mean change of each factor: continuous
factors as a fraction of their range, binary ones as a change of probability,
categorical ones as the share of probability moved to other levels.

example:
  vae-explorer evaluate checkpoints/faces-vae.pt checkpoints/faces-vae-beta4.pt --data faces --vector column:Smiling

"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="measure the lecture's claims on a pair, or models and vectors against the faces' known factors",
        description=DESCRIPTION + CLAIMS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("checkpoints", nargs="*", metavar="FILE", help="checkpoints, or model files (.py) with --trust")
    p.add_argument(
        "--data",
        help="the data: with FILEs, data with known factors (faces, the default); with --ae/--vae, any "
        "(default: the models' own)",
    )
    p.add_argument("--split", choices=("train", "test"), default="test", help="which split (default: test)")
    p.add_argument("--vector", action="append", default=[], metavar="SPEC", help="an attribute vector to measure")
    p.add_argument("--alpha", type=within(ALPHA), default=1.0, help="how far to move along the vector (default 1)")
    p.add_argument(
        "--samples",
        type=positive_int,
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"faces moved along the vector (default {DEFAULT_SAMPLES})",
    )
    p.add_argument("--predictor", metavar="FILE", help="the factor predictor (default: the shipped one)")
    add_claims_arguments(p)
    add_device_argument(p)
    add_trust_argument(p)
    p.set_defaults(func=run)


def _column_names(models: list[LoadedModel]) -> list[str]:
    """A short heading per model: its kind (a model file's name), or its file name when two share one."""
    kinds = [m.short_name for m in models]
    return [k if kinds.count(k) == 1 else Path(m.name).stem for k, m in zip(kinds, models, strict=True)]


def _print_disentanglement(heads: list[str], results: list[Disentanglement]) -> None:
    width = 16
    print(f"\ndisentanglement: MIG ({BINS} bins); per factor the dimension that carries it, its share, the gap")
    print(printable(f"{'':<12}" + "".join(f"{h:>{width}}" for h in heads)))
    print(f"{'MIG':<12}" + "".join(f"{r.mig:>{width}.3f}" for r in results))
    for j, f in enumerate(FACTORS):
        cells = [f"z{r.factors[j].dim} {r.factors[j].info:.2f} {r.factors[j].gap:.2f}" for r in results]
        print(f"{f.name:<12}" + "".join(f"{c:>{width}}" for c in cells))


def _print_effects(title: str, heads: list[str], effects: list[VectorEffect]) -> None:
    width = 16
    e0 = effects[0]
    what = f"vector {title}, alpha {e0.alpha:g}, on {e0.n} faces: mean change of each factor the predictor reads"
    print(f"\n{printable(what)}")
    print(printable(f"{'':<12}" + "".join(f"{h:>{width}}" for h in heads)))
    for j, f in enumerate(FACTORS):
        mark = " *" if f.name == e0.target else ""
        sign = "" if f.kind == "categorical" else "+"
        print(f"{f.name + mark:<12}" + "".join(f"{e.changes[j]:>{sign}{width}.3f}" for e in effects))
    if e0.target:
        cells = []
        for e in effects:
            name, change = e.largest_other()
            cells.append(f"{e.change(e0.target):+.2f} / {abs(change):.2f}")
        print(f"{'own / other':<12}" + "".join(f"{c:>{width}}" for c in cells))
        print("(* the vector's own factor; 'other': the largest change of any other factor)")


def _vector(spec: str, data: Dataset, codes: dict[str, ModelCodes]) -> AttributeVector:
    """The vector in every model's space: made from a two-group spec, or a saved file bound as traverse binds it."""
    if not spec.lower().endswith(".json"):
        return build_vector("", parse_groups(spec), data, codes)
    vector, notes = bind_vector(load_vector(spec), data, codes)
    for note in notes:
        sys.stderr.write(f"note: {printable(note)}\n")
    for slot, m in codes.items():
        if slot not in vector.entries:
            raise DataError(f"{spec}: holds no {m.latent_dim}-D vector for {m.model}")
    return vector


def run(args: argparse.Namespace) -> int:
    device = resolve_device(args.device)
    if args.ae or args.vae or args.beta_vae:
        if args.checkpoints or args.vector:
            raise DataError("give either checkpoints FILE... (with --vector) or --ae FILE --vae FILE, not both")
        return run_claims(args, lambda path: open_cli_model(path, args, device))
    if not args.checkpoints:
        raise DataError("give checkpoints to measure against the faces' factors, or --ae FILE --vae FILE")
    predictor = load_predictor(args.predictor)[0].to(device) if args.vector else None  # a bad file: before any work
    models = [open_cli_model(p, args, device) for p in args.checkpoints]
    data = load_dataset(args.data or "faces", args.split)
    known_factors(data)
    for model in models:
        check_on_data(model, data, data.name)
    for spec in args.vector:  # a spec that does not parse is refused before any encoding
        if not spec.lower().endswith(".json"):
            parse_groups(spec)
    heads = _column_names(models)
    print(printable(f"{data.description}: {len(data)} faces with known factors"))
    for head, model in zip(heads, models, strict=True):
        print(printable(f"  {head:<16} {model.path}: {model.label}, latent {model.latent_dim}"))
    # The codes as the explorer has them (the same cache), keyed by column, for the vectors.
    codes = {
        head: ModelCodes(encode_cached(m, m.digest, data.fingerprint(), data.images)[0].mu, m.name, m.digest, m.kind)
        for head, m in zip(heads, models, strict=True)
    }
    _print_disentanglement(heads, [measure_model(codes[h].codes, data) for h in heads])
    for spec in args.vector:
        vector = _vector(spec, data, codes)
        target = vector_target(vector.groups, vector.name)
        effects = [
            vector_effect(m, predictor, codes[h].codes[: args.samples], vector.entries[h].values, args.alpha, target)
            for h, m in zip(heads, models, strict=True)
        ]
        where = Path(spec).name if spec.lower().endswith(".json") else vector.description
        _print_effects(f"{vector.name!r} ({where})", heads, effects)
    return 0
