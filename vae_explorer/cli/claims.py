"""``vae-explorer evaluate --ae A --vae B``: the lecture's seven claims measured on a pair, as a table."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from vae_explorer.core.attributes.groups import class_index
from vae_explorer.core.data import Dataset, load_dataset
from vae_explorer.core.errors import DataError
from vae_explorer.core.evaluation.claims import (
    N_IMAGES,
    SEED,
    claim_row,
    claims_table,
    format_markdown,
    format_text,
    prepare_inputs,
)
from vae_explorer.core.latent.codes import Codes, encode_cached
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.named_data import load_named_data
from vae_explorer.core.model.probe import check_on_data

from .parser import int_between

CLAIMS_HELP = """\
With --ae A --vae B: the lecture's seven claims measured on the pair, side by
side (1 gaps, 2 clouds, 3 KL pull, 4 beta, 5 prior samples, 6 arithmetic,
7 morph). Realism is measured as FID is: the Frechet distance between the
decoded images and the held-out split in the features of a small classifier
shipped for the data (fashion-mnist, digits; the faces use their factor
predictor), with --images images and --seed fixed. Each row says what its
numbers mean and whether they show the claim.

examples:
  vae-explorer evaluate --ae checkpoints/fashion-ae-2d.pt --vae checkpoints/fashion-vae-2d.pt --data fashion-mnist
  cd checkpoints; vae-explorer evaluate --ae faces-ae.pt --vae faces-vae.pt --beta-vae faces-vae-beta4.pt
"""


def add_claims_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("the lecture's claims (--ae A --vae B)")
    g.add_argument("--ae", metavar="FILE", help="the AE (left column)")
    g.add_argument("--vae", metavar="FILE", help="the VAE (right column)")
    g.add_argument("--beta-vae", metavar="FILE", help="also compare the VAE with this beta-VAE on claim 4")
    g.add_argument("--classifier", metavar="FILE", help="the realism classifier (default: the data's shipped one)")
    g.add_argument(
        "--images",
        type=int_between(10, 100_000),
        default=N_IMAGES,
        metavar="N",
        help=f"images per Frechet distance (default {N_IMAGES})",
    )
    g.add_argument("--seed", type=int, default=SEED, help=f"seed of every draw (default {SEED})")
    g.add_argument(
        "--morph-classes",
        metavar="A->B",
        help="the classes the second morph row joins (default: the two whose mean images lie farthest apart)",
    )
    g.add_argument("--markdown", action="store_true", help="print the table in Markdown")


def morph_classes(spec: str | None, data: Dataset) -> tuple[int, int] | None:
    """``A->B`` (class names or numbers) -> their labels; a one-line :class:`DataError` for a bad one."""
    if not spec:
        return None
    a, sep, b = spec.partition("->")
    if not sep or not a.strip() or not b.strip():
        raise DataError(f"--morph-classes {spec!r}: expected two classes like Sneaker->Trouser")
    return class_index(data, a), class_index(data, b)


def _codes(model: LoadedModel, data: Dataset) -> Codes:
    """The model's codes of ``data`` as the explorer has them (the same cache)."""
    return encode_cached(model, model.digest, data.fingerprint(), data.images)[0]


def _progress(fraction: float, text: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{fraction:4.0%} {text[:60]:<60}")
        sys.stderr.flush()


def run_claims(args: argparse.Namespace, open_model) -> int:
    """Measure the seven claims on ``--ae`` and ``--vae`` and print the table; ``open_model(path)`` opens one."""
    if not (args.ae and args.vae):
        raise DataError("give both --ae FILE and --vae FILE (or checkpoints to measure against the faces' factors)")
    ae, vae = open_model(args.ae), open_model(args.vae)
    extra = open_model(args.beta_vae) if args.beta_vae else None
    models = [m for m in (ae, vae, extra) if m is not None]
    data = load_named_data(models, args.data, args.split)
    for model in models:
        check_on_data(model, data, data.name)
    real = load_dataset(data.name, "train" if args.split == "test" else "test") if args.split != "all" else None
    pair = (_codes(ae, data), _codes(vae, data))
    inputs = prepare_inputs(
        ae, vae, data, real, args.classifier, pair, args.images, args.seed, morph_classes(args.morph_classes, data)
    )
    print(f"{data.description}: the lecture's claims, {args.images} images per measure, seed {args.seed}")
    for head, model in zip(("AE", "VAE"), (ae, vae), strict=True):
        print(f"  {head:<4} {model.path}: {model.label}, latent {model.latent_dim}")
    if inputs.realism is not None:
        print(f"  realism: {inputs.realism.describe()}")
    rows = claims_table(ae, vae, inputs, _progress)
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 66 + "\r")
    print(format_markdown(rows) if args.markdown else format_text(rows))
    if extra is not None:
        again = dataclasses.replace(inputs, codes=(pair[1], _codes(extra, data)))
        row = claim_row(4, vae, extra, again)
        print(f"\nclaim 4 again, {vae.label} ({vae.path}) against {extra.label} ({extra.path}):")
        print(format_markdown([row]) if args.markdown else format_text([row]))
    return 0
