"""The data a pair of models names: what the explorer and the command line open when none is given."""

from __future__ import annotations

from collections.abc import Sequence

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.model.checkpoint import Checkpoint
from vae_explorer.core.model.loaded import LoadedModel


def named_data(
    checkpoints: Sequence[Checkpoint | LoadedModel], given: str | None = None, hint: str = "give --data"
) -> str:
    """``given`` if set, else the data set named in the models' metadata (a model file's ``data``).

    ``checkpoints`` (checkpoints or loaded models) left to right (the AE, then the VAE); the right-most one that
    names a data set decides, so a pair reads as "the VAE's data". Raises a
    one-line :class:`CheckpointError` naming the file, ending with ``hint``, when none does.
    """
    if given:
        return given
    for ck in reversed(checkpoints):
        spec = str(ck.metadata.get("data") or "")
        if spec:
            return spec
    if not checkpoints:
        raise CheckpointError(f"no checkpoint names a data set; {hint}")
    raise CheckpointError(f"{checkpoints[-1].path}: names no data set; {hint}")
