"""``vae-explorer info``: what a checkpoint holds, what a model file gives, and how well either reconstructs."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from vae_explorer.core.data import load_dataset
from vae_explorer.core.data.registry import DATA_DIR_HELP
from vae_explorer.core.errors import CheckpointError, VaeExplorerError
from vae_explorer.core.evaluation.predictor import describe_predictor
from vae_explorer.core.io.text import printable
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.loaded import LoadedModel, from_checkpoint
from vae_explorer.core.model.metrics import active_units, evaluate
from vae_explorer.core.model.named_data import named_data
from vae_explorer.core.model.probe import check_on_data
from vae_explorer.core.model.summary import LIKELIHOOD_NAMES, describe, describe_model
from vae_explorer.core.model.user_model import is_model_file

from .models import add_trust_argument, open_cli_model
from .parser import add_device_argument


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "info",
        help="print what a checkpoint or model file holds, and its test metrics",
        description=(
            "Print a checkpoint's model config, training settings and test metrics, or what a model file "
            "(.py, with --trust) gives and its metrics measured on the test split, in the same units."
        ),
    )
    p.add_argument("checkpoint", metavar="FILE", help="a checkpoint, or a model file (.py) with --trust")
    p.add_argument("--json", action="store_true", help="print config and metadata as JSON (NaN and infinity as null)")
    p.add_argument(
        "--allow-nonfinite",
        action="store_true",
        help="describe a checkpoint whose weights hold NaN or infinity (every other command refuses it)",
    )
    p.add_argument(
        "--measure",
        action="store_true",
        help="measure a checkpoint on the test split too (a model file is always measured)",
    )
    p.add_argument("--data", help="the data to measure on (default: the one the model names)")
    p.add_argument("--data-dir", help=DATA_DIR_HELP)
    add_device_argument(p)
    add_trust_argument(p)
    p.set_defaults(func=run)


def json_safe(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by ``None``: JSON has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def metric_rows(model: LoadedModel, metrics: dict[str, Any], where: str) -> list[tuple[str, str]]:
    """The measured metrics as rows, in the units :func:`describe` gives a checkpoint's."""
    recon = f"{metrics['recon']:.2f}"
    if model.likelihood == "mse":
        text = f"squared error {recon} per image"
        if model.is_vae:
            text += f", KL {metrics['kl']:.2f} nats (no ELBO: squared error is not a likelihood)"
    else:
        text = f"reconstruction {recon}"
        if model.is_vae:
            text += f", KL {metrics['kl']:.2f}, negative ELBO {metrics['neg_elbo']:.2f}"
        text += f" (nats per image, {LIKELIHOOD_NAMES[model.likelihood]})"
    rows = [("test", f"{text}, measured on {where}")]
    if metrics.get("kl_per_dim"):
        rows.append(("active", f"{active_units(metrics['kl_per_dim'])} of {model.latent_dim} latent dimensions"))
    return rows


def measure(model: LoadedModel, args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """The model's metrics on the test split of its data (``--data``, else the one it names) -> (metrics, where)."""
    spec = named_data([model], args.data, "give --data to measure it")
    data = load_dataset(spec, "test", args.data_dir)
    check_on_data(model, data, spec)
    metrics = evaluate(model, torch.from_numpy(data.images).to(model.device))
    return metrics, f"{data.description} ({len(data):,} images)"


def run(args: argparse.Namespace) -> int:
    model = None
    if is_model_file(args.checkpoint):
        model = open_cli_model(args.checkpoint, args, resolve_device(args.device))
        rows = describe_model(model)
        blob: dict[str, Any] = {"model": dict(rows), "metadata": model.metadata}
    else:
        try:
            ckpt = load_checkpoint(args.checkpoint, allow_nonfinite=args.allow_nonfinite)
        except CheckpointError:
            rows = describe_predictor(args.checkpoint) or []
            if not rows:
                raise  # neither a checkpoint nor a factor predictor
            if args.measure:
                raise VaeExplorerError(
                    f"{args.checkpoint}: the faces' factor predictor; --measure measures autoencoders "
                    "(benchmarks/face_predictor.py measures it)"
                ) from None
            return _print(args, rows, {"predictor": dict(rows)})
        rows = describe(ckpt)
        blob = {"config": ckpt.config.to_dict(), "metadata": ckpt.metadata}
        if args.measure:
            device = resolve_device(args.device)
            model = from_checkpoint(ckpt, device)
    if model is not None:
        metrics, where = measure(model, args)
        rows += metric_rows(model, metrics, where)
        blob["measured"] = {**metrics, "data": where}
    return _print(args, rows, blob)


def _print(args: argparse.Namespace, rows: list[tuple[str, str]], blob: dict[str, Any]) -> int:
    if args.json:
        print(json.dumps(json_safe(blob), indent=2, allow_nan=False))
        return 0
    print(printable(args.checkpoint))
    for label, text in rows:
        print(f"  {label:<10} {printable(text)}")
    return 0
