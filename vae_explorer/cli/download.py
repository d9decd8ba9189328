"""``vae-explorer download``: the one command that uses the network."""

from __future__ import annotations

import argparse

from ..core.data import download_dataset
from ..core.data.registry import BUILTIN_DATA, DOWNLOADABLE, names_text


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "download",
        help=f"download {names_text(names=DOWNLOADABLE)} into the user cache",
        description="Download a data set with torchvision into the user cache.",
    )
    p.add_argument(
        "name",
        choices=DOWNLOADABLE,
        help="; ".join(f"{n}: {BUILTIN_DATA[n].description}" for n in DOWNLOADABLE),
    )
    p.add_argument("--dest", metavar="DIR", help="download here instead of the user cache")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = download_dataset(args.name, args.dest)
    print(f"{args.name} is in {folder}")
    return 0
