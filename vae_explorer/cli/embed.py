"""``vae-explorer embed``: latent codes of a data set, as .npz and Embedding Projector TSV."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from vae_explorer.core.io.projector import check_projector_folder, save_codes, write_projector_tsv
from vae_explorer.core.io.safe_write import check_outputs, resolve_output
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.probe import check_on_data

from ..core.data import load_dataset
from ..core.errors import ExportError, VaeExplorerError
from .models import add_trust_argument, open_cli_model
from .parser import add_data_arguments, add_device_argument, positive_int


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "embed",
        help="write the latent codes (mu, logvar) of a data set",
        description="Encode a data set with mu (and logvar for a VAE).",
    )
    p.add_argument("checkpoint", metavar="FILE", help="a checkpoint, or a model file (.py) with --trust")
    add_data_arguments(p)
    p.add_argument("--out", metavar="CODES.npz", help="write mu, logvar, labels and label names here")
    p.add_argument(
        "--tsv", metavar="DIR", help="write vectors.tsv, metadata.tsv and a sprite for the Embedding Projector"
    )
    p.add_argument("--limit", type=positive_int, metavar="N", help="only the first N images")
    add_device_argument(p)
    add_trust_argument(p)
    p.set_defaults(func=run)


def check_outputs_first(args: argparse.Namespace) -> list[str]:
    """Refuse, before any work, outputs that cannot be written or would replace an input; returns the inputs."""
    inputs = [args.checkpoint]
    check_outputs([args.out], inputs)
    if args.tsv:
        check_projector_folder(args.tsv, inputs)
        if args.out and resolve_output(args.out).parent == resolve_output(args.tsv):
            raise ExportError(f"cannot write {args.out}: it lies in --tsv's folder {args.tsv}, which is replaced whole")
    return inputs


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.tsv:
        raise VaeExplorerError("embed needs --out CODES.npz, --tsv DIR, or both")
    inputs = check_outputs_first(args)
    model = open_cli_model(args.checkpoint, args, resolve_device(args.device))
    data = load_dataset(args.data, args.split, args.data_dir)
    check_on_data(model, data, args.data)
    if args.limit:
        data = data.subset(np.arange(min(args.limit, len(data))))
    codes = encode_images(model, data.images)
    if args.out:
        arrays = {"mu": codes.mu, "label_names": np.asarray(data.label_names, dtype=str)}
        if codes.logvar is not None:
            arrays["logvar"] = codes.logvar
        if data.labels is not None:
            arrays["labels"] = data.labels
        path = save_codes(args.out, inputs=inputs, **arrays)
        print(f"wrote {path}: mu {codes.mu.shape}" + (" and logvar" if codes.logvar is not None else ""))
    if args.tsv:
        names = [data.label_name(i) for i in range(len(data))] if data.labels is not None else None
        files = write_projector_tsv(args.tsv, codes.mu, names, data.images, tensor_name=model.name, inputs=inputs)
        print(f"wrote {', '.join(f.name for f in files)} in {args.tsv}", file=sys.stdout)
    return 0
