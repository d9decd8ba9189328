"""``vae-explorer``: the GUI, and sub-commands that are thin shells over ``core``."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from types import ModuleType
from typing import NoReturn

from .imports import quick_imports

with quick_imports():  # what every launch needs; the sub-commands (and torch) only when one is named
    from .._version import __version__
    from ..core.errors import VaeExplorerError
    from ..core.io.text import printable
    from . import explorer
    from .parser import OneLineParser

COMMAND_NAMES = ("train", "info", "embed", "download", "morph", "traverse", "evaluate", "desktop")


def commands() -> tuple[ModuleType, ...]:
    """The sub-commands' modules, in the order ``--help`` lists them (imported on first use: some import torch)."""
    with quick_imports():
        return tuple(importlib.import_module(f"{__name__}.{name}") for name in COMMAND_NAMES)


class _NotTheWindow(Exception):
    """The command line asks for more than the window (a sub-command, help, an error to report)."""


class _WindowParser(OneLineParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheWindow(message)


def window_arguments(argv: list[str] | None) -> argparse.Namespace | None:
    """The window's options when ``argv`` holds nothing else, else ``None`` (the full parser then answers).

    The window opens without importing a sub-command, so a launch with codes cached
    draws its maps before torch is imported.
    """
    p = _WindowParser(prog="vae-explorer", add_help=False)
    explorer.add_arguments(p)
    try:
        args, rest = p.parse_known_args(argv)
    except _NotTheWindow:
        return None
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="vae-explorer", description="Look inside the latent spaces of autoencoders.")
    p.add_argument("--version", action="version", version=f"vae-explorer {__version__}")
    explorer.add_arguments(p)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for module in commands():
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
    args = window_arguments(argv) or build_parser().parse_args(argv)
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
