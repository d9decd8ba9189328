"""Models on the command line: checkpoints open as they are; model files (.py) run only with ``--trust``."""

from __future__ import annotations

import argparse
from pathlib import Path

from vae_explorer.core.io.trust import CHANGED_FLAG, TrustPolicy
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.opening import open_model


def add_trust_argument(p: argparse.ArgumentParser, note: str = "") -> None:
    p.add_argument(
        "--trust",
        action="store_true",
        help="run the Python code of the model files (.py) named here: only files you wrote or trust"
        + (f"; {note}" if note else ""),
    )


def add_trust_changed_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        CHANGED_FLAG,
        dest="trust_changed",
        action="store_true",
        help="with --trust, run a recipe's model files even where their code (or a module beside them) is not "
        "what the recipe recorded: only after reading what changed",
    )


def trust_policy(args: argparse.Namespace) -> TrustPolicy:
    """What may run in this command: any model file with ``--trust``, none without (a one-line refusal)."""
    return TrustPolicy(
        allow_any=bool(getattr(args, "trust", False)), allow_changed=bool(getattr(args, "trust_changed", False))
    )


def open_cli_model(path: str | Path, args: argparse.Namespace, device: torch.device) -> LoadedModel:
    """A checkpoint or, with ``--trust``, a model file, opened on ``device``."""
    return open_model(path, device, trust_policy(args))
