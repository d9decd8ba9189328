"""Whether a saved view fits the models and data it opens with: checked before anything on show changes."""

from __future__ import annotations

from vae_explorer.core.data import Dataset
from vae_explorer.core.errors import DataError

from .state import ViewState


def check_fits(state: ViewState, where: str, data: Dataset, latent_dims: dict[str, int], columns: list[str]) -> None:
    """Raise a one-line :class:`DataError` naming ``where`` and the field when ``state`` does not fit.

    ``latent_dims``: each slot's model's latent size; ``columns``: the attribute table's columns.
    """
    n = len(data)

    def sample(name: str, index: int) -> None:
        if index >= n:
            raise DataError(f"{where}: {name} is sample {index}, but {data.description} has {n} images")

    if state.selected is not None:
        sample("selected", state.selected)
    for key, indices in state.groups.items():
        if indices:
            sample(f"groups.{key}", max(indices))
    for i, k in enumerate(state.morph_keys):
        if isinstance(k, int):
            sample(f"morph_keys[{i}]", k)
    classes = len(data.label_names)
    for k in state.hidden:
        if k >= classes:
            raise DataError(f"{where}: hidden holds class {k}, but {data.name} has {classes} classes")
    for slot, cursor in state.cursors.items():
        d = latent_dims.get(slot)
        if d is None:
            raise DataError(f"{where}: cursors.{slot} is set, but the view opens no model on the {slot}")
        if cursor.z is not None and len(cursor.z) != d:
            raise DataError(f"{where}: cursors.{slot}.z holds {len(cursor.z)} numbers, but the model's codes have {d}")
    if state.colour_by is not None and state.colour_by not in columns:
        raise DataError(f"{where}: colour_by {state.colour_by!r} is no column of {data.name}'s attributes")
    if state.active is not None and state.active not in {v.name for v in state.vectors}:
        raise DataError(f"{where}: active {state.active!r} names none of the view's vectors")
    if state.morph_keys and len(state.morph_keys) < 2:
        raise DataError(f"{where}: morph_keys holds {len(state.morph_keys)} key; a morph needs two or more")
