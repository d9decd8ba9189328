"""``vae-explorer info``: what a checkpoint holds."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from vae_explorer.core.model.checkpoint import Checkpoint, load_checkpoint
from vae_explorer.core.model.metrics import active_units


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "info",
        help="print a checkpoint's config and metadata",
        description="Print a checkpoint's model config, training settings and test metrics.",
    )
    p.add_argument("checkpoint", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print config and metadata as JSON (NaN and infinity as null)")
    p.add_argument(
        "--allow-nonfinite",
        action="store_true",
        help="describe a checkpoint whose weights hold NaN or infinity (every other command refuses it)",
    )
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


def _number(value: Any, fmt: str) -> str:
    return format(value, fmt) if isinstance(value, int | float) else "?"


def describe(ckpt: Checkpoint) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing a checkpoint, for the CLI and the GUI."""
    cfg, meta = ckpt.config, ckpt.metadata
    n_params = sum(v.numel() for v in ckpt.state_dict.values() if v.is_floating_point())
    kind = "VAE" if cfg.kind == "vae" else "AE"
    beta = float(meta.get("beta", 1.0))
    if cfg.kind == "vae" and beta != 1.0:
        kind = f"beta-VAE (beta {beta:g})"
    shape = "x".join(map(str, cfg.image_shape))
    widths = "-".join(map(str, cfg.widths))
    rows = [
        (
            "model",
            f"{kind}, latent {cfg.latent_dim}, images {shape}, conv widths {widths}"
            f"{f', hidden {cfg.hidden}' if cfg.hidden else ''}{', batch norm' if cfg.norm else ''}",
        ),
        ("weights", f"{n_params:,} parameters, stored as {meta.get('weights', 'float32')}"),
    ]
    if "data" in meta:
        rows.append(
            ("data", f"{meta['data']} ({meta.get('n_train', '?')} train / {meta.get('n_test', '?')} test images)")
        )
    if "epochs" in meta:
        warm = f", warm-up {meta['beta_warmup']} epochs" if meta.get("beta_warmup") else ""
        rows.append(
            (
                "training",
                f"{meta['epochs']} of {meta.get('epochs_planned', meta['epochs'])} epochs, "
                f"beta {beta:g}{warm}, batch {meta.get('batch_size')}, lr {meta.get('lr')}"
                f"{' (cosine)' if meta.get('lr_schedule') == 'cosine' else ''}, "
                f"seed {meta.get('seed')}, {_number(meta.get('train_seconds', 0), '.0f')} s on {meta.get('device')}",
            )
        )
    test = meta.get("test") or {}
    if test:
        text = f"reconstruction {_number(test.get('recon'), '.2f')}"
        if cfg.kind == "vae":
            text += f", KL {_number(test.get('kl'), '.2f')}, negative ELBO {_number(test.get('neg_elbo'), '.2f')}"
        rows.append(("test", text + " (nats per image)"))
        if test.get("kl_per_dim"):
            rows.append(("active", f"{active_units(test['kl_per_dim'])} of {cfg.latent_dim} latent dimensions"))
    if "created" in meta:
        rows.append(("created", f"{meta['created']} by vae-explorer {meta.get('version', '?')}"))
    rows.append(("resumable", "yes" if ckpt.train_state else "no (no optimizer state stored)"))
    return rows


def run(args: argparse.Namespace) -> int:
    ckpt = load_checkpoint(args.checkpoint, allow_nonfinite=args.allow_nonfinite)
    if args.json:
        blob: dict[str, Any] = {"config": ckpt.config.to_dict(), "metadata": ckpt.metadata}
        print(json.dumps(json_safe(blob), indent=2, allow_nan=False))
        return 0
    print(ckpt.path)
    for label, text in describe(ckpt):
        print(f"  {label:<10} {text}")
    return 0
