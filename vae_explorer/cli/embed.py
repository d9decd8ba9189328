"""``vae-explorer embed``: latent codes of a data set, as .npz and Embedding Projector TSV."""

from __future__ import annotations

import argparse
import shlex
import sys

import numpy as np

from vae_explorer.core.io.projector import check_projector_folder, save_codes, write_projector_tsv
from vae_explorer.core.io.safe_write import check_outputs, resolve_output
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.named_data import named_folder
from vae_explorer.core.model.probe import check_on_data

from ..core.data import AttributeTable, Dataset, load_attribute_table
from ..core.errors import ExportError, VaeExplorerError
from .data import load_data, say_notes, say_table
from .models import add_trust_argument, open_cli_model
from .parser import TABLE_HELP, add_data_arguments, add_device_argument, positive_int


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "embed",
        help="write the latent codes (mu, logvar) of a data set",
        description="Encode a data set with mu (and logvar for a VAE).",
    )
    p.add_argument("checkpoint", metavar="FILE", help="a checkpoint, or a model file (.py) with --trust")
    add_data_arguments(p)
    p.add_argument(
        "--out", metavar="CODES.npz", help="write mu, logvar, labels, label names, file names and attributes here"
    )
    p.add_argument(
        "--tsv",
        metavar="DIR",
        help="write vectors.tsv, metadata.tsv (index, label, file, attributes), a sprite and the projector's configs",
    )
    p.add_argument("--attributes", metavar="FILE", help=TABLE_HELP)
    p.add_argument("--limit", type=positive_int, metavar="N", help="only the first N images")
    add_device_argument(p)
    add_trust_argument(p)
    p.set_defaults(func=run)


def check_outputs_first(args: argparse.Namespace) -> list[str]:
    """Refuse, before any work, outputs that cannot be written or would replace an input; returns the inputs."""
    inputs = [args.checkpoint, *([args.attributes] if args.attributes else [])]
    check_outputs([args.out], inputs)
    if args.tsv:
        check_projector_folder(args.tsv, inputs)
        if args.out and resolve_output(args.out).parent == resolve_output(args.tsv):
            raise ExportError(f"cannot write {args.out}: it lies in --tsv's folder {args.tsv}, which is replaced whole")
    return inputs


def metadata_columns(data: Dataset, table: AttributeTable | None) -> dict[str, list[str]]:
    """The projector's metadata beyond the index: label, file name, then each attribute, as text per sample."""
    columns: dict[str, list[str]] = {}
    if data.labels is not None:
        columns["label"] = [data.label_name(i) for i in range(len(data))]
    if data.filenames is not None:
        columns["file"] = list(data.filenames)
    for k, name in enumerate(table.names if table is not None else []):
        key = name if name not in columns and name != "index" else f"attribute {name}"
        columns[key] = [f"{v:g}" for v in table.values[:, k]]  # type: ignore[union-attr]
    return columns


def code_arrays(codes, data: Dataset, table: AttributeTable | None) -> dict[str, np.ndarray]:
    """What ``--out`` holds: the codes, and what names each row (labels, file names, attributes)."""
    arrays = {"mu": codes.mu, "label_names": np.asarray(data.label_names, dtype=str)}
    if codes.logvar is not None:
        arrays["logvar"] = codes.logvar
    if data.labels is not None:
        arrays["labels"] = data.labels
    if data.filenames is not None:
        arrays["names"] = np.asarray(data.filenames, dtype=str)
    if table is not None:
        arrays["attributes"] = table.values
        arrays["attribute_names"] = np.asarray(table.names, dtype=str)
    return arrays


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.tsv:
        raise VaeExplorerError("embed needs --out CODES.npz, --tsv DIR, or both")
    inputs = check_outputs_first(args)
    model = open_cli_model(args.checkpoint, args, resolve_device(args.device))
    folder = None if args.data else named_folder([model])
    if folder is not None and args.tsv:  # its images and file names go into the export: say whose they are
        say_notes([f"reading {folder[0]}, the data {folder[1]} names (give --data to read other data)"])
    data = load_data(args, [model])
    check_on_data(model, data, args.data)
    if args.limit:
        data = data.subset(np.arange(min(args.limit, len(data))))
    table = load_attribute_table(args.attributes, data) if args.attributes else data.attributes
    say_table(table if args.attributes else None)
    codes = encode_images(model, data.images)
    if args.out:
        path = save_codes(args.out, inputs=inputs, **code_arrays(codes, data, table))
        print(f"wrote {path}: mu {codes.mu.shape}" + (" and logvar" if codes.logvar is not None else ""))
    if args.tsv:
        columns = metadata_columns(data, table)
        files = write_projector_tsv(args.tsv, codes.mu, None, data.images, model.name, inputs, columns)
        print(f"wrote {', '.join(f.name for f in files)} in {args.tsv}", file=sys.stdout)
        print(f"see them with: tensorboard --logdir {shlex.quote(args.tsv)} and http://localhost:6006/#projector")
    return 0
