"""Continuing a run from its checkpoint: its settings come back from the file, and a contradiction is refused.

The data (a folder too), split, batch size, optimizer settings, seed, schedule and
model come from the checkpoint; what a user may change on resume is only where
and how long to train (``--epochs``, ``--out``, ``--device``, ``--precision``,
``--data-dir``, ``--half``). A flag that names another value for a setting of the
run is refused with both values, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import CheckpointError, VaeExplorerError
from vae_explorer.core.model.checkpoint import Checkpoint, load_checkpoint
from vae_explorer.core.training.run_data import canonical_data, effective_test_fraction
from vae_explorer.core.training.settings import BY_NAME, DEFAULTS, RUN_SETTINGS, TrainConfig


def stored_settings(ckpt: Checkpoint) -> dict[str, Any]:
    """The run settings a checkpoint was trained with (files of older versions lack some: their defaults then)."""
    meta = ckpt.metadata
    split = meta.get("split") if isinstance(meta.get("split"), dict) else {}
    raw = {
        "data": meta.get("data", DEFAULTS["data"]),
        "test_fraction": split.get("test_fraction"),
        "kind": ckpt.config.kind,
        "latent_dim": ckpt.config.latent_dim,
        "beta": meta.get("beta", 1.0),
        "beta_warmup": meta.get("beta_warmup", 0),
        "batch_size": meta.get("batch_size", DEFAULTS["batch_size"]),
        "lr": meta.get("lr", DEFAULTS["lr"]),
        "lr_schedule": meta.get("lr_schedule", DEFAULTS["lr_schedule"]),
        "seed": meta.get("seed", DEFAULTS["seed"]),
        "history": meta.get("history_codes") is not None,
    }
    out: dict[str, Any] = {}
    for name, value in raw.items():
        setting = BY_NAME[name]
        try:
            value = None if value is None else setting.kind(value)
        except (TypeError, ValueError):
            raise CheckpointError(f"{ckpt.path}: its training setting {name} is not valid ({value!r})") from None
        if value is not None and name != "data" and setting.problem(value):
            raise CheckpointError(f"{ckpt.path}: its training setting {name} is not valid ({value!r})")
        out[name] = value
    out["test_fraction"] = effective_test_fraction(out["data"], out["test_fraction"])
    return out


def _same(name: str, a: Any, b: Any, data: str) -> bool:
    if name == "data":
        return canonical_data(a) == canonical_data(b)
    if name == "test_fraction":
        return effective_test_fraction(data, a) == effective_test_fraction(data, b)
    return a == b


def _shown(name: str, value: Any) -> str:
    setting = BY_NAME[name]
    if setting.kind is bool:
        return setting.flag if value else f"no {setting.flag}"
    if value is None:
        return f"{setting.flag} (default)"
    return f"{setting.flag} {value:g}" if isinstance(value, float) else f"{setting.flag} {value}"


def check_contradictions(given: Mapping[str, Any], stored: Mapping[str, Any], path: str | Path) -> None:
    """Raise naming the first run setting in ``given`` whose value differs from the checkpoint's."""
    for name in RUN_SETTINGS:
        if name in given and not _same(name, given[name], stored[name], stored["data"]):
            flag = BY_NAME[name].flag
            raise VaeExplorerError(
                f"{_shown(name, given[name])} contradicts {path}, trained with {_shown(name, stored[name])}; "
                f"leave {flag} out to continue that run as it was"
            )


def _data_dir(ckpt: Checkpoint, given: str | None) -> str | None:
    """Where to look for the IDX files again: the folder given, else the one the run used."""
    if given:
        return given
    meta = ckpt.metadata
    for key in ("data_dir", "data_source"):
        folder = meta.get(key)
        if isinstance(folder, str) and folder and Path(folder).is_dir():
            return folder
    return None


def resume_config(path: str | Path, given: Mapping[str, Any] | None = None) -> TrainConfig:
    """The settings that continue the run saved in ``path``; ``given``: the settings a user named.

    Run settings come from the checkpoint (a given one must agree); ``epochs``
    defaults to the run's planned number and ``out`` to ``path`` itself.
    """
    given = dict(given or {})
    ckpt = load_checkpoint(path)
    if not ckpt.train_state:
        raise VaeExplorerError(f"{path}: holds no training state to resume from")
    stored = stored_settings(ckpt)
    check_contradictions(given, stored, path)
    planned = ckpt.metadata.get("epochs_planned")
    free = {k: v for k, v in given.items() if k not in RUN_SETTINGS and k in BY_NAME}
    cfg = TrainConfig(**{**stored, **free})
    cfg.data_dir = _data_dir(ckpt, given.get("data_dir"))
    cfg.epochs = int(given.get("epochs") or (planned if isinstance(planned, int) else cfg.epochs))
    cfg.out = str(given.get("out") or path)
    cfg.resume = str(path)
    return cfg
