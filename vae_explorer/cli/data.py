"""The data a command works on: the one given or named by its models, with their split, and what to say of it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from vae_explorer.core.data import AttributeTable, Dataset
from vae_explorer.core.io.text import printable
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.named_data import load_named_data


def say_notes(notes: Sequence[str]) -> None:
    """What the data's reader wants the user to know (images resized, a table left unread), on stderr."""
    for note in notes:
        sys.stderr.write(f"vae-explorer: note: {printable(note)}\n")


def load_data(args: argparse.Namespace, models: Sequence[LoadedModel]) -> Dataset:
    """``--data`` (else the data the models name) with ``--split``, ``--test-fraction`` and ``--image-size``.

    The test fraction, unless given, is the one the models were trained with;
    the reader's notes are printed on stderr.
    """
    data = load_named_data(
        models,
        args.data,
        args.split or "test",
        args.data_dir,
        args.test_fraction,
        args.image_size,
    )
    say_notes(data.notes)
    return data


def say_table(table: AttributeTable | None) -> None:
    """How an attribute table was read (its rows, and those of images outside the split), on stderr."""
    if table is not None and table.note:
        say_notes([table.note])
