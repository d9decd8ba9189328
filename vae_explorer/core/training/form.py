"""The training form's values as typed -> a :class:`TrainConfig`, or a reason per bad field.

Qt-free, so the rules are tested without a screen; the training tab shows each
reason next to its field and refuses to start until there are none. Defaults,
bounds and their reasons are the command line's own (:mod:`.settings`).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vae_explorer.core.data import BUILTIN_DATA, builtin
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.io.lock import check_lockable, lock_holder
from vae_explorer.core.io.safe_write import check_writable, resolve_output
from vae_explorer.core.io.user_dirs import models_dir
from vae_explorer.core.training.outputs import checkpoint_in_words, free_output, run_stem
from vae_explorer.core.training.settings import BY_NAME, LR_SCHEDULES, TrainConfig

__all__ = [
    "DATA_CHOICES",
    "DEFAULTS",
    "FOLDER",
    "FormResult",
    "first_available_data",
    "form_values",
    "models_dir",
    "parse_form",
    "suggest_output",
]

FOLDER = "folder"  # the form's choice beside the built-in names: a folder of the user's
DATA_CHOICES = (*BUILTIN_DATA, FOLDER)
NUMBERS = ("latent_dim", "epochs", "batch_size", "seed", "lr", "beta", "beta_warmup")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return f"{value:g}" if isinstance(value, float) else str(value)


DEFAULTS = {
    "data": BY_NAME["data"].default,
    "folder": "",
    **{name: _text(BY_NAME[name].default) for name in (*NUMBERS, "kind", "lr_schedule", "device", "test_fraction")},
    "history": "",
    "out": "",
}


def first_available_data() -> str:
    """The data the form opens with: the command line's default when it is here, else the first offline set."""
    default = BY_NAME["data"].default
    if BUILTIN_DATA[default].available():
        return default
    return next(d.name for d in BUILTIN_DATA.values() if d.offline)


@dataclass
class FormResult:
    """``config`` when every field is valid; ``errors`` (field -> reason) refuse, ``notes`` only inform."""

    config: TrainConfig | None
    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def data_argument(values: Mapping[str, str]) -> str:
    """What ``--data`` gets: a built-in name, or the folder's absolute path."""
    if values["data"] != FOLDER:
        return values["data"]
    return str(Path(values["folder"].strip()).expanduser().absolute())


def _check_data(values: Mapping[str, str], errors: dict[str, str]) -> None:
    choice = values["data"]
    if choice not in DATA_CHOICES:
        errors["data"] = f"unknown data set {choice!r}"
    elif choice == FOLDER:
        text = values["folder"].strip()
        if not text:
            errors["folder"] = "choose a folder of images or IDX files"
        elif not Path(text).expanduser().is_dir():
            errors["folder"] = f"{text}: no such folder"
    elif not BUILTIN_DATA[choice].available():
        offline = " or ".join(d.name for d in BUILTIN_DATA.values() if d.offline)
        errors["data"] = (
            f"{choice} not found: set VAE_EXPLORER_DATA or run `vae-explorer download {choice}`, or pick {offline}"
        )


@functools.lru_cache(maxsize=16)
def _replaces(path: str, mtime_ns: int, size: int) -> str | None:
    """What training would replace at ``path`` (read once per version of the file: the form checks per key)."""
    try:
        return checkpoint_in_words(path)
    except VaeExplorerError:
        return None


def _check_out(text: str, taken: Collection[str], errors: dict[str, str], notes: dict[str, str]) -> Path | None:
    text = text.strip()
    if not text:
        errors["out"] = "needs a file name"
        return None
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    folder = path.parent
    holder = None if path.is_dir() else lock_holder(resolve_output(path))
    if path.is_dir():
        errors["out"] = f"{path} is a folder; name a file"
    elif str(path) in taken:
        errors["out"] = "another queued or running run writes this file; choose another name"
    elif holder is not None:
        errors["out"] = f"another training run (process {holder}) writes this file; choose another name"
    elif folder == models_dir() and not folder.is_dir():
        return path  # the tab creates the default models folder
    else:
        try:
            check_writable(path)
            check_lockable(resolve_output(path))
        except VaeExplorerError as exc:
            errors["out"] = str(exc).removeprefix(f"cannot write {path}: ")
            return None
        if path.exists():
            stat = path.stat()
            replaces = _replaces(str(path), stat.st_mtime_ns, stat.st_size)
            if replaces is None:
                errors["out"] = "exists and is not a checkpoint: training replaces only a checkpoint"
                return None
            notes["out"] = f"exists: training replaces {replaces} after the first epoch"
        return path
    return None


def _number(values: Mapping[str, str], name: str, errors: dict[str, str]) -> Any:
    try:
        return BY_NAME[name].parse(values[name])
    except ValueError as exc:
        errors[name] = str(exc)
        return None


def _vae_notes(values: Mapping[str, str], errors: dict[str, str], notes: dict[str, str]) -> tuple[Any, Any]:
    """beta and its warm-up (an AE ignores both, so they are not checked for one)."""
    if values["kind"] != "vae":
        return 1.0, 0
    beta, warmup = _number(values, "beta", errors), _number(values, "beta_warmup", errors)
    epochs = _number(values, "epochs", {})
    if beta is not None and beta != 1.0:
        notes["beta"] = "beta-VAE" if beta > 0 else "beta 0: no KL term, an AE with noise"
    if warmup and epochs and beta is not None and warmup > epochs:
        notes["beta_warmup"] = f"longer than the run: beta reaches only {beta * epochs / warmup:.3g}"
    return beta, warmup


def parse_form(values: Mapping[str, str], devices: Sequence[str], taken: Collection[str] = ()) -> FormResult:
    """Check every field of the form; ``taken``: output files of runs already queued or running.

    Reasons are short phrases for a label beside the field, the same the command line gives.
    """
    values = {**DEFAULTS, **values}
    errors: dict[str, str] = {}
    notes: dict[str, str] = {}
    _check_data(values, errors)
    kind = values["kind"]
    if kind not in BY_NAME["kind"].choices:
        errors["kind"] = f"unknown kind {kind!r}"
    numbers = {name: _number(values, name, errors) for name in ("latent_dim", "epochs", "batch_size", "seed", "lr")}
    beta, warmup = _vae_notes(values, errors, notes)
    fraction = None
    if values["data"] == FOLDER and values["test_fraction"].strip():
        fraction = _number(values, "test_fraction", errors)
    if values["lr_schedule"] not in LR_SCHEDULES:
        errors["lr_schedule"] = f"unknown schedule {values['lr_schedule']!r}"
    device = values["device"]
    if device != "auto" and device not in devices:
        errors["device"] = f"{device} is not available here"
    out = _check_out(values["out"], taken, errors, notes)
    if errors:
        return FormResult(None, errors, notes)
    cfg = TrainConfig(
        data=data_argument(values),
        kind=kind,
        beta=beta,
        beta_warmup=warmup,
        lr_schedule=values["lr_schedule"],
        device=device,
        out=str(out),
        test_fraction=fraction,
        history=bool(values["history"].strip()),
        **numbers,
    )
    return FormResult(cfg, errors, notes)


def suggest_output(values: Mapping[str, str], taken: Collection[str] = (), folder: Path | None = None) -> Path:
    """A free file name in ``folder`` (default: :func:`models_dir`) saying what the run trains.

    ``digits-vae-2d.pt``, then ``digits-vae-2d-2.pt`` when that exists or another run writes it.
    """
    values = {**DEFAULTS, **values}
    data = values["data"]
    if data == FOLDER:
        data = values["folder"].strip() or "images"
    try:
        beta = float(values["beta"])
    except ValueError:
        beta = 1.0
    return free_output(folder or models_dir(), run_stem(data, values["kind"], beta, values["latent_dim"]), taken)


def form_values(cfg: TrainConfig) -> dict[str, str]:
    """The form's text for the settings of a past run (to train a variant of it)."""
    entry = builtin(cfg.data)
    return {
        "data": entry.name if entry else FOLDER,
        "folder": "" if entry else cfg.data,
        **{name: _text(getattr(cfg, name)) for name in (*NUMBERS, "kind", "lr_schedule", "device", "history")},
        "test_fraction": "" if entry else _text(cfg.test_fraction),
        "out": cfg.out,
    }
