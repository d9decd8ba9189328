"""``vae-explorer``: the GUI, and sub-commands that are thin shells over ``core``."""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..core.errors import VaeExplorerError
from . import download, embed, info, morph, train, traverse
from .parser import OneLineParser

COMMANDS = (train, info, embed, download, morph, traverse)


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="vae-explorer", description="Look inside the latent spaces of autoencoders.")
    p.add_argument("--version", action="version", version=f"vae-explorer {__version__}")
    p.add_argument("--ae", metavar="FILE", help="checkpoint for the left slot")
    p.add_argument("--vae", metavar="FILE", help="checkpoint for the right slot")
    p.add_argument("--data", help="fashion-mnist, mnist, digits, or a folder")
    p.add_argument("--data-dir", help="a folder holding the Fashion-MNIST / MNIST IDX files")
    p.add_argument("--screenshot", metavar="PNG", help="render the window once loaded, save it and exit")
    p.add_argument("--view", choices=("pca", "tsne", "latent"), help="map view to open with")
    p.add_argument("--select", type=int, metavar="INDEX", help="sample to select at start")
    p.add_argument("--device", default="auto", help="where to decode: auto (cuda > mps > cpu), cpu, cuda, mps")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for module in COMMANDS:
        module.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from ..gui.app import run_gui  # Qt is imported only for the GUI

            return run_gui(args)
        return int(args.func(args) or 0)
    except VaeExplorerError as exc:
        sys.stderr.write(f"vae-explorer: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("vae-explorer: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
