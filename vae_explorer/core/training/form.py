"""The training form's values as typed -> a :class:`TrainConfig`, or a reason per bad field.

Qt-free, so the rules are tested without a screen; the training tab shows each
reason next to its field and refuses to start until there are none.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vae_explorer.core.data import find_idx_folder
from vae_explorer.core.io.user_dirs import models_dir
from vae_explorer.core.training.loop import LR_SCHEDULES, TrainConfig

DATA_CHOICES = ("fashion-mnist", "mnist", "digits", "folder")
DEFAULTS = {
    "data": "fashion-mnist",
    "folder": "",
    "kind": "vae",
    "beta": "1",
    "beta_warmup": "0",
    "latent_dim": "16",
    "epochs": "10",
    "batch_size": "128",
    "lr": "0.001",
    "lr_schedule": "constant",
    "seed": "0",
    "device": "auto",
    "out": "",
}
MAX_LATENT = 1024
MAX_EPOCHS = 100_000
MAX_BATCH = 65_536
MAX_SEED = 2**63 - 1
MAX_LR = 1.0


@dataclass
class FormResult:
    """``config`` when every field is valid; ``errors`` (field -> reason) refuse, ``notes`` only inform."""

    config: TrainConfig | None
    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _int(text: str, low: int, high: int, errors: dict[str, str], key: str) -> int | None:
    text = text.strip()
    try:
        value = int(text)
    except ValueError:
        errors[key] = f"{text!r} is not a whole number" if text else "needs a whole number"
        return None
    if value < low:
        errors[key] = f"must be at least {low}, not {value}" if low else f"must be 0 or more, not {value}"
    elif value > high:
        errors[key] = f"{value} is too large (at most {high:,})"
    else:
        return value
    return None


def _float(text: str, errors: dict[str, str], key: str, positive: bool, high: float = math.inf) -> float | None:
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        errors[key] = f"{text!r} is not a number" if text else "needs a number"
        return None
    if not math.isfinite(value):
        errors[key] = f"must be a finite number, not {text}"
    elif positive and value <= 0:
        errors[key] = f"must be above 0, not {text}"
    elif value < 0:
        errors[key] = f"must be 0 or more, not {text}"
    elif value > high:
        errors[key] = f"{text} is too large (at most {high:g})"
    else:
        return value
    return None


def data_spec(values: Mapping[str, str]) -> str:
    """What ``--data`` gets: a built-in name, or the folder's absolute path."""
    if values["data"] != "folder":
        return values["data"]
    return str(Path(values["folder"].strip()).expanduser().absolute())


def _check_data(values: Mapping[str, str], errors: dict[str, str]) -> None:
    choice = values["data"]
    if choice not in DATA_CHOICES:
        errors["data"] = f"unknown data set {choice!r}"
    elif choice == "folder":
        text = values["folder"].strip()
        if not text:
            errors["folder"] = "choose a folder of images or IDX files"
        elif not Path(text).expanduser().is_dir():
            errors["folder"] = f"{text}: no such folder"
    elif choice in ("fashion-mnist", "mnist") and find_idx_folder(choice) is None:
        errors["data"] = (
            f"{choice} not found: set VAE_EXPLORER_DATA or run `vae-explorer download {choice}`, or pick digits"
        )


def _check_out(text: str, taken: Collection[str], errors: dict[str, str], notes: dict[str, str]) -> Path | None:
    text = text.strip()
    if not text:
        errors["out"] = "needs a file name"
        return None
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    folder = path.parent
    if path.is_dir():
        errors["out"] = f"{path} is a folder; name a file"
    elif str(path) in taken:
        errors["out"] = "another queued or running run writes this file; choose another name"
    elif folder != models_dir() and not folder.is_dir():
        errors["out"] = f"folder {folder} does not exist"
    elif folder.is_dir() and not os.access(folder, os.W_OK):
        errors["out"] = f"folder {folder} is not writable"
    else:
        if path.exists():
            notes["out"] = "exists: training replaces it after the first epoch"
        return path
    return None


def parse_form(values: Mapping[str, str], devices: Sequence[str], taken: Collection[str] = ()) -> FormResult:
    """Check every field of the form; ``taken``: output files of runs already queued or running.

    Reasons are short phrases for a label beside the field. A value the command
    would accept but that is surely a slip (a learning rate above 1) is refused too.
    """
    values = {**DEFAULTS, **values}
    errors: dict[str, str] = {}
    notes: dict[str, str] = {}
    _check_data(values, errors)
    kind = values["kind"]
    if kind not in ("ae", "vae"):
        errors["kind"] = f"unknown kind {kind!r}"
    latent = _int(values["latent_dim"], 1, MAX_LATENT, errors, "latent_dim")
    epochs = _int(values["epochs"], 1, MAX_EPOCHS, errors, "epochs")
    batch = _int(values["batch_size"], 1, MAX_BATCH, errors, "batch_size")
    seed = _int(values["seed"], 0, MAX_SEED, errors, "seed")
    lr = _float(values["lr"], errors, "lr", positive=True, high=MAX_LR)
    beta, warmup = 1.0, 0
    if kind == "vae":
        beta = _float(values["beta"], errors, "beta", positive=False)
        warmup = _int(values["beta_warmup"], 0, MAX_EPOCHS, errors, "beta_warmup")
        if beta is not None and beta != 1.0:
            notes["beta"] = "beta-VAE" if beta > 0 else "beta 0: no KL term, an AE with noise"
        if warmup and epochs and beta is not None and warmup > epochs:
            notes["beta_warmup"] = f"longer than the run: beta reaches only {beta * epochs / warmup:.3g}"
    if values["lr_schedule"] not in LR_SCHEDULES:
        errors["lr_schedule"] = f"unknown schedule {values['lr_schedule']!r}"
    device = values["device"]
    if device != "auto" and device not in devices:
        errors["device"] = f"{device} is not available here"
    out = _check_out(values["out"], taken, errors, notes)
    if errors:
        return FormResult(None, errors, notes)
    cfg = TrainConfig(
        data=data_spec(values),
        kind=kind,
        latent_dim=latent,
        beta=beta,
        beta_warmup=warmup,
        epochs=epochs,
        batch_size=batch,
        lr=lr,
        lr_schedule=values["lr_schedule"],
        seed=seed,
        device=device,
        out=str(out),
    )
    return FormResult(cfg, errors, notes)


def model_tag(kind: str, beta: float) -> str:
    """``ae``, ``vae`` or ``bvae4`` (a beta-VAE with beta 4), for file names."""
    if kind == "ae":
        return "ae"
    return "vae" if beta == 1.0 else f"bvae{beta:g}"


def suggest_output(values: Mapping[str, str], taken: Collection[str] = (), folder: Path | None = None) -> Path:
    """A free file name in ``folder`` (default: :func:`models_dir`) saying what the run trains.

    ``digits-vae-2d.pt``, then ``digits-vae-2d-2.pt`` when that exists or another run writes it.
    """
    values = {**DEFAULTS, **values}
    folder = folder or models_dir()
    data = values["data"]
    if data == "folder":
        data = Path(values["folder"].strip() or "images").expanduser().name or "images"
    data = re.sub(r"[^A-Za-z0-9_.-]+", "-", data).strip("-.") or "data"
    try:
        beta = float(values["beta"])
    except ValueError:
        beta = 1.0
    latent = values["latent_dim"].strip()
    stem = f"{data}-{model_tag(values['kind'], beta)}" + (f"-{latent}d" if latent.isdigit() else "")
    for k in range(1, 10_000):
        path = folder / (f"{stem}.pt" if k == 1 else f"{stem}-{k}.pt")
        if not path.exists() and str(path) not in taken:
            return path
    return folder / f"{stem}-{os.getpid()}.pt"


def form_values(cfg: TrainConfig) -> dict[str, str]:
    """The form's text for the settings of a past run (to train a variant of it)."""
    builtin = cfg.data in DATA_CHOICES[:3]
    return {
        "data": cfg.data if builtin else "folder",
        "folder": "" if builtin else cfg.data,
        "kind": cfg.kind,
        "beta": f"{cfg.beta:g}",
        "beta_warmup": str(cfg.beta_warmup),
        "latent_dim": str(cfg.latent_dim),
        "epochs": str(cfg.epochs),
        "batch_size": str(cfg.batch_size),
        "lr": f"{cfg.lr:g}",
        "lr_schedule": cfg.lr_schedule,
        "seed": str(cfg.seed),
        "device": cfg.device,
        "out": cfg.out,
    }
