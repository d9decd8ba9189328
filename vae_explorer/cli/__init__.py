"""``vae-explorer``: the GUI, and sub-commands that are thin shells over ``core``."""

from __future__ import annotations

import argparse
import contextlib
import sys

from .imports import quick_imports

with quick_imports():  # torch, numpy and the sub-commands
    from .._version import __version__
    from ..core.errors import VaeExplorerError
    from ..core.io.text import printable
    from . import desktop, download, embed, evaluate, explorer, info, morph, train, traverse
    from .parser import OneLineParser

COMMANDS = (train, info, embed, download, morph, traverse, evaluate, desktop)


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="vae-explorer", description="Look inside the latent spaces of autoencoders.")
    p.add_argument("--version", action="version", version=f"vae-explorer {__version__}")
    explorer.add_arguments(p)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for module in COMMANDS:
        module.add_parser(sub)
    return p


def _print_any_path() -> None:
    """A path that is not UTF-8 (held as surrogate escapes) prints as its own bytes, as ``ls`` shows it, never
    as a UnicodeEncodeError after the work is done."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="surrogateescape")


def main(argv: list[str] | None = None) -> int:
    _print_any_path()
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return explorer.run(args)
        return int(args.func(args) or 0)
    except VaeExplorerError as exc:
        sys.stderr.write(f"vae-explorer: error: {printable(exc)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("vae-explorer: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
