"""Argument parsing that fails in one line naming the bad value."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn, Protocol

from vae_explorer.core.data.dataset import parse_test_fraction
from vae_explorer.core.data.registry import DATA_DIR_HELP, DATA_HELP
from vae_explorer.core.errors import DataError
from vae_explorer.core.io.text import printable
from vae_explorer.core.limits import IMAGE_SIZE

SPLITS = ("train", "test", "all")


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {printable(message)}\n")
        raise SystemExit(2)


def _parse(text: str, cast: type, noun: str) -> float:
    try:
        return cast(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a {noun}") from None


def positive_int(text: str) -> int:
    value = int(_parse(text, int, "whole number"))
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def non_negative_int(text: str) -> int:
    value = int(_parse(text, int, "whole number"))
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def non_negative_float(text: str) -> float:
    value = _parse(text, float, "number")
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number of 0 or more, not {text}")
    return value


def positive_float(text: str) -> float:
    value = non_negative_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be above 0, not 0")
    return value


def add_data_arguments(p: argparse.ArgumentParser, split: str = "test") -> None:
    """``--data`` (default: the one the checkpoint was trained on), ``--data-dir`` and the split's options."""
    p.add_argument(
        "--data",
        help=f"{DATA_HELP} (default: the checkpoint's own data)",
    )
    p.add_argument("--data-dir", help=DATA_DIR_HELP)
    add_split_arguments(p, split)


TABLE_HELP = (
    "an attribute table kept anywhere: a CSV whose first column names each image (its path in the folder, "
    "its file name, or its row number), or CelebA's list_attr_celeba.txt"
)
SPLIT_HELP = "which images: the train or the test split, or all of them (default: {default})"
FRACTION_HELP = (
    "share of a folder's images (or the digits') held out as the test split, chosen with a fixed seed "
    "(default: the one the checkpoint was trained with, else 0.1 for a folder and 0.2 for the digits)"
)


def add_split_arguments(p: argparse.ArgumentParser, default: str | None = "test") -> None:
    """``--split``, ``--test-fraction`` and ``--image-size``: which images of the data, at which size."""
    shown = default or "test"
    p.add_argument("--split", choices=SPLITS, default=default, help=SPLIT_HELP.format(default=shown))
    p.add_argument("--test-fraction", type=held_out_fraction, metavar="F", help=FRACTION_HELP)
    p.add_argument(
        "--image-size",
        type=within(IMAGE_SIZE),
        metavar="N",
        help="resize a folder's images to N x N pixels (default: their most common size)",
    )


def held_out_fraction(text: str) -> float:
    """An argument type: a share of the images above 0 and at most 0.5."""
    try:
        return parse_test_fraction(text)
    except DataError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_device_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", default="auto", help="auto (cuda > mps > cpu), cpu, cuda, cuda:N or mps")


def _why(why: str) -> str:
    return f" ({why})" if why else ""


def int_between(low: int, high: int, why: str = ""):
    """An argument type: a whole number from ``low`` to ``high``; ``why`` says where the bound comes from."""

    def parse(text: str) -> int:
        value = int(_parse(text, int, "whole number"))
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low:,} to {high:,}{_why(why)}, not {value:,}")
        return value

    parse.__name__ = f"whole number from {low} to {high}"
    return parse


def float_between(low: float, high: float, why: str = ""):
    """An argument type: a number from ``low`` to ``high`` (never NaN); ``why`` says where the bound comes from."""

    def parse(text: str) -> float:
        value = _parse(text, float, "number")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low:g} to {high:g}{_why(why)}, not {text}")
        return value

    parse.__name__ = f"number from {low:g} to {high:g}"
    return parse


def non_empty(text: str) -> str:
    """An argument type: any text but an empty (or all-blank) one."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def sample_or_image(text: str) -> int | str:
    """A morph key: a whole number is a sample index; other text a sample's path in the data, or an image file."""
    stripped = text.strip()
    if stripped.lstrip("+-").isdigit():
        return int(stripped)
    if not stripped:
        raise argparse.ArgumentTypeError("give a sample (an index or its path in the data) or an image file")
    return text


class Rule(Protocol):
    """What parses a user's text with its own bounds: a :class:`~vae_explorer.core.limits.Limit` or a training
    :class:`~vae_explorer.core.training.settings.Setting`."""

    kind: type

    def parse(self, text: str) -> Any: ...


def within(rule: Rule):
    """An argument type that parses with ``rule`` (its bounds, and why), the one the recipes and forms use."""

    def parse(text: str) -> Any:
        try:
            return rule.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = rule.kind.__name__
    return parse
