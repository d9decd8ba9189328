"""``vae-explorer`` with no sub-command: the explorer window, and the options it opens with."""

from __future__ import annotations

import argparse
import os
import sys

from vae_explorer.core.data.registry import DATA_DIR_HELP, DATA_HELP
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.latent.projection import VIEWS
from vae_explorer.core.lessons import LESSONS, lesson
from vae_explorer.core.model.shipped import checkpoints_dir

from .imports import quick_imports
from .models import add_trust_argument
from .parser import TABLE_HELP, add_split_arguments, int_between


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ae", metavar="FILE", help="checkpoint or model file (.py) for the left slot")
    p.add_argument("--vae", metavar="FILE", help="checkpoint or model file (.py) for the right slot")
    add_trust_argument(p, "without it, the window asks once per file")
    p.add_argument("--data", help=DATA_HELP)
    p.add_argument("--data-dir", help=DATA_DIR_HELP)
    add_split_arguments(p, default=None)
    p.add_argument("--attributes", metavar="FILE", help=TABLE_HELP + "; read once the data has opened")
    p.add_argument("--screenshot", metavar="PNG", help="render the window once loaded, save it and exit")
    p.add_argument("--view", choices=VIEWS, help="map view to open with")
    p.add_argument(
        "--select", metavar="SAMPLE", help="sample to select at start: its index, or its path in the data's folder"
    )
    p.add_argument(
        "--lesson",
        type=int_between(1, len(LESSONS), "the lessons of Help > Lessons"),
        metavar="N",
        help=f"open lesson N (1 to {len(LESSONS)}): its models, data, view and overlays",
    )
    p.add_argument(
        "--state", metavar="FILE", help="open a saved view (File > Save view): its models, data, zoom, cursors, ..."
    )
    p.add_argument(
        "--allow-outside",
        action="store_true",
        help="let the --state file name models and data outside its folder (only for a view you trust)",
    )
    p.add_argument("--device", default="auto", help="where to decode: auto (cuda > mps > cpu), cpu, cuda, mps")
    p.add_argument(
        "--theme", choices=("auto", "light", "dark"), default="auto", help="light or dark window (auto: the system's)"
    )


def check_display() -> None:
    """On Linux without a display (and no Qt platform chosen), say how to run off screen, in one line, rather
    than let Qt abort blaming a missing library."""
    if not sys.platform.startswith("linux") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        return
    raise VaeExplorerError(
        "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): set QT_QPA_PLATFORM=offscreen "
        "to run it off screen, e.g. with --screenshot FILE to save a picture of it"
    )


def run(args: argparse.Namespace) -> int:
    check_display()
    if args.lesson and args.screenshot:  # nothing to render: say so before opening a window
        needs = lesson(args.lesson).needs(checkpoints_dir())
        if needs:
            raise VaeExplorerError(f"lesson {args.lesson} {needs}")
    with quick_imports(freeze=True):  # what the window imports lives as long as it
        from vae_explorer.gui.shell.app import run_gui  # Qt is imported only for the window
    return run_gui(args)
