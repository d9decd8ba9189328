"""Groups from their text form: ``--attribute SPEC`` on the command line, and the ``spec`` of a saved vector.

The forms are listed in :mod:`vae_explorer.core.attributes.groups`; each
definition's ``to_text`` writes the text this module reads back.
"""

from __future__ import annotations

import math
from typing import Any

from vae_explorer.core.attributes.groups import (
    PIXEL_STATS,
    ClassGroups,
    ColumnGroups,
    Groups,
    PixelGroups,
    SelectionGroups,
)
from vae_explorer.core.errors import DataError


def _split_pair(body: str, spec: str) -> tuple[str, str, bool]:
    """``A-B`` or ``A->B`` -> ``(A, B, reversed)``; the split must leave two non-empty sides."""
    if "->" in body:
        a, _, b = body.partition("->")
        if a.strip() and b.strip():
            return a.strip(), b.strip(), True
    cuts = [i for i, ch in enumerate(body) if ch == "-" and 0 < i < len(body) - 1]
    if not cuts:
        raise DataError(f"--attribute {spec!r}: expected two groups like A-B or A-rest")
    rest = [i for i in cuts if body[i + 1 :].strip().lower() == "rest"]
    i = rest[0] if rest else cuts[0] if len(cuts) == 1 else None
    if i is None:
        raise DataError(f"--attribute {spec!r}: more than one '-'; write it as B->A (from group B toward group A)")
    return body[:i].strip(), body[i + 1 :].strip(), False


def _split_groups(body: str, spec: str) -> tuple[str, str | None]:
    """The positive and the negative group's text, however written; ``None`` for "rest"."""
    a, b, reverse = _split_pair(body, spec)
    if reverse:
        a, b = b, a
    return a, None if b.lower() == "rest" else b


def _indices_list(text: str, spec: str) -> tuple[int, ...]:
    try:
        values = tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise DataError(f"--attribute {spec!r}: {text!r} is not a list of sample indices like 0,4,7") from None
    if not values:
        raise DataError(f"--attribute {spec!r}: a group of samples is empty")
    return values


def column_groups(body: str, spec: str) -> ColumnGroups:
    """``NAME``, ``NAME>median`` or ``NAME>T``; a name may hold ``>`` when what follows the last one is no split."""
    name, sep, split = body.rpartition(">")
    if not sep or not name.strip():
        return ColumnGroups(body)
    split = split.strip()
    if split.lower() == "median":
        return ColumnGroups(name.strip(), "median")
    try:
        threshold = float(split)
    except ValueError:
        return ColumnGroups(body)
    if not math.isfinite(threshold):
        raise DataError(f"--attribute {spec!r}: the threshold must be a finite number")
    return ColumnGroups(name.strip(), threshold)


def parse_groups(spec: str) -> Groups:
    """A definition from its text form (see the module's docstring). Raises :class:`DataError`."""
    kind, sep, body = spec.strip().partition(":")
    kind, body = kind.strip().lower(), body.strip()
    if not sep or not body:
        raise DataError(f"--attribute {spec!r}: expected KIND:VALUE with KIND class, column, indices or pixel")
    if kind == "class":
        a, b = _split_groups(body, spec)
        return ClassGroups(a, b)
    if kind == "column":
        return column_groups(body, spec)
    if kind == "pixel":
        if body.lower() not in PIXEL_STATS:
            raise DataError(f"--attribute {spec!r}: unknown pixel statistic; use {', '.join(PIXEL_STATS)}")
        return PixelGroups(body.lower())
    if kind in ("indices", "index", "samples"):
        a, b = _split_groups(body, spec)
        return SelectionGroups(_indices_list(a, spec), None if b is None else _indices_list(b, spec))
    raise DataError(f"--attribute {spec!r}: unknown kind {kind!r}; use class, column, indices or pixel")


def groups_from_dict(d: dict[str, Any]) -> Groups:
    """The inverse of :meth:`Groups.to_dict` (for saved vectors)."""
    groups = parse_groups(str(d["spec"]))
    if isinstance(groups, SelectionGroups) and d.get("data_key"):
        groups = SelectionGroups(groups.positive, groups.negative, str(d["data_key"]))
    return groups
