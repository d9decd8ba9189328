"""The groups of an attribute vector as :meth:`Viewer.vector` names them, checked at once."""

from __future__ import annotations

from typing import Any

import numpy as np

from vae_explorer.core.attributes.groups import (
    PIXEL_STATS,
    ClassGroups,
    ColumnGroups,
    Groups,
    PixelGroups,
    SelectionGroups,
)
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.session import Session


def groups_of(
    session: Session,
    toward: Any,
    away: Any,
    column: str | None,
    split: float | str | None,
    pixels: str | None,
    samples: tuple[Any, Any] | None,
) -> Groups | None:
    """The one kind of groups given (classes, a column, a pixel statistic or samples), or None for none."""
    given = [k for k, v in (("toward", toward), ("column", column), ("pixels", pixels), ("samples", samples)) if v]
    if len(given) > 1:
        raise VaeExplorerError(f"vector: give one kind of groups, not {' and '.join(given)}")
    if away is not None and toward is None:
        raise VaeExplorerError("vector: away= goes with toward= (a class against another)")
    if toward is not None:
        return _checked(session, ClassGroups(str(toward), None if away is None else str(away)))
    if column is not None:
        if split is not None and split != "median" and not isinstance(split, int | float):
            raise VaeExplorerError(f"split: None (1 vs 0), 'median' or a threshold, not {split!r}")
        return _checked(session, ColumnGroups(str(column), float(split) if isinstance(split, int | float) else split))
    if pixels is not None:
        if pixels not in PIXEL_STATS:
            raise VaeExplorerError(f"pixels: {pixels!r} is not one of {', '.join(PIXEL_STATS)}")
        return PixelGroups(pixels)
    if samples is not None:
        return _samples(session, samples)
    return None


def _samples(session: Session, samples: tuple[Any, Any]) -> SelectionGroups:
    data = session.dataset
    if data is None:
        raise VaeExplorerError("samples: no data is open")
    try:
        positive, negative = samples
    except (TypeError, ValueError):
        raise VaeExplorerError("samples: a pair (indices of group A, indices of group B or None)") from None
    groups = []
    for key, rows in (("A", positive), ("B", negative)):
        if rows is None:
            groups.append(None)
            continue
        rows = np.asarray(rows).reshape(-1)
        if not len(rows) or not np.issubdtype(rows.dtype, np.integer) or rows.min() < 0 or rows.max() >= len(data):
            raise VaeExplorerError(f"samples: group {key} must hold sample indices from 0 to {len(data) - 1}")
        groups.append(tuple(int(i) for i in rows))
    if groups[0] is None:
        raise VaeExplorerError("samples: group A is empty")
    return SelectionGroups(groups[0], groups[1], data.fingerprint())


def _checked(session: Session, groups: Groups) -> Groups:
    """``groups``, once they resolve on the data (a class or a column it lacks is said at once, not on a worker)."""
    if session.dataset is None:
        raise VaeExplorerError("vector: no data is open")
    groups.resolve(session.dataset, session.attributes.attribute_table())
    return groups
