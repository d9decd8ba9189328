"""Argument parsing that fails in one line naming the bad value."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
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


def add_data_arguments(p: argparse.ArgumentParser, default: str | None = None, split: str = "test") -> None:
    p.add_argument(
        "--data",
        default=default,
        required=default is None,
        help="fashion-mnist, mnist, digits, faces, or a folder of images or IDX files",
    )
    p.add_argument("--data-dir", help="a folder holding the Fashion-MNIST / MNIST IDX files")
    p.add_argument("--split", choices=("train", "test"), default=split, help=f"which split (default: {split})")


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
    """A morph key: a whole number is a sample index of the data, anything else an image file."""
    stripped = text.strip()
    if stripped.lstrip("+-").isdigit():
        return int(stripped)
    if not stripped:
        raise argparse.ArgumentTypeError("give a sample index or an image file")
    return text
