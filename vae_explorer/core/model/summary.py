"""What a model is, in words: the rows ``vae-explorer info`` prints and the window's Model info shows."""

from __future__ import annotations

from typing import Any

from vae_explorer.core.model.checkpoint import Checkpoint
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.metrics import active_units

LIKELIHOOD_NAMES = {"bernoulli": "Bernoulli", "gaussian": "Gaussian", "mse": "squared error"}


def _number(value: Any, fmt: str) -> str:
    return format(value, fmt) if isinstance(value, int | float) else "?"


def describe(ckpt: Checkpoint) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing a checkpoint: what ``vae-explorer info`` prints and Model info shows."""
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
    split = meta.get("split") if isinstance(meta.get("split"), dict) else {}
    if split.get("kind") == "files":
        rows.append(("split", "the data's own train and test files"))
    elif split.get("kind") == "seeded" and all(
        isinstance(split.get(k), int | float) for k in ("test_fraction", "seed")
    ):
        rows.append(
            ("split", f"seeded: a share of {split['test_fraction']:g} held out for testing, seed {split['seed']}")
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


def describe_model(model: LoadedModel) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing a model a model file gave."""
    shape = "x".join(map(str, model.image_shape))
    likelihood = LIKELIHOOD_NAMES[model.likelihood] + (
        f" (sigma {model.sigma:g})" if model.likelihood == "gaussian" else ""
    )
    rows = [
        ("model", f"{model.label} from a model file, latent {model.latent_dim}, images {shape}"),
        ("name", model.name),
        ("decodes", f"{model.output}; reconstructions scored as {likelihood}"),
        ("code", f"SHA-256 {model.metadata.get('sha256', '?')}"),
    ]
    if "parameters" in model.metadata:
        rows.append(("weights", f"{model.metadata['parameters']:,} parameters, on {model.device}"))
    if model.metadata.get("data"):
        rows.append(("data", str(model.metadata["data"])))
    return rows


def summary_rows(model: LoadedModel) -> list[tuple[str, str]]:
    """``(label, text)`` rows for an open model: its checkpoint's (:func:`describe`), or a model file's."""
    if model.checkpoint is not None:
        return describe(model.checkpoint)
    if model.origin == "checkpoint":  # shown from its card while its network loads
        shape = "x".join(map(str, model.image_shape))
        return [("model", f"{model.label}, latent {model.latent_dim}, images {shape} (loading…)"), ("name", model.name)]
    return describe_model(model)
