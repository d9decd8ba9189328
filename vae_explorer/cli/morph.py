"""``vae-explorer morph``: one image turning into another, in the AE and the VAE, as a GIF."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from vae_explorer.core.data.registry import DATA_DIR_HELP, DATA_HELP
from vae_explorer.core.io.safe_write import check_outputs
from vae_explorer.core.io.text import printable
from vae_explorer.core.lazy import torch
from vae_explorer.core.limits import FPS, FRAMES, SCALE
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.morph.interpolate import METHODS
from vae_explorer.core.morph.keys import DEFAULT_FRAMES
from vae_explorer.core.morph.pipeline import GifOptions, write_gif, write_strip
from vae_explorer.core.morph.recipe import MorphRecipe, render_recipe

from ..core.errors import VaeExplorerError
from .data import say_notes
from .models import add_trust_argument, add_trust_changed_argument, trust_policy
from .parser import add_device_argument, add_split_arguments, sample_or_image, within

SHOW = {"both": "both", "ae": "left", "vae": "right"}
# A morph decodes at most 240 small images. On one CPU thread that takes tens of
# milliseconds; on several, the threads wait for each other whenever other
# processes keep the cores busy (measured on 2 busy cores: 0.04 s on one thread,
# 0.3 to 0.8 s on two, for 60 frames of two 28x28 models).
CPU_THREADS = 1
MODEL_FLAGS = ("vae", "ae", "start", "end", "via", "frames", "method", "data", "data_dir", "split")
MODEL_FLAGS += ("test_fraction", "image_size")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "morph",
        help="morph one image into another (AE and VAE side by side) and write a GIF",
        description=(
            "Encode key images A (--from) and B (--to), optionally through more (--via), with mu; lay "
            "--frames codes between them by lerp or slerp; decode them with each model and write a GIF, "
            "a PNG strip and/or a JSON recipe that --recipe replays to identical frames."
        ),
    )
    models = p.add_argument_group("what to morph")
    _add_model_arguments(models)
    _add_key_arguments(models)
    _add_gif_arguments(p.add_argument_group("the GIF"))
    out = p.add_argument_group("output")
    out.add_argument("--out", metavar="MORPH.gif", help="write the animated GIF here")
    out.add_argument("--strip", metavar="STRIP.png", help="write every frame in a row per model here")
    out.add_argument("--save-recipe", metavar="RECIPE.json", help="write the recipe that replays this morph here")
    add_device_argument(p)
    add_trust_argument(p, "a recipe naming a model file needs it too")
    add_trust_changed_argument(p)
    p.set_defaults(func=run)


def _add_model_arguments(models: argparse._ArgumentGroup) -> None:
    """The two models and the data their key images come from."""
    models.add_argument("--vae", metavar="FILE", help="the VAE, shown on the right: a checkpoint or a model file")
    models.add_argument("--ae", metavar="FILE", help="the AE, shown on the left: a checkpoint or a model file")
    models.add_argument("--data", help=f"{DATA_HELP} (default: the VAE's own data)")
    models.add_argument("--data-dir", help=DATA_DIR_HELP)
    add_split_arguments(models, default=None)


def _add_key_arguments(models: argparse._ArgumentGroup) -> None:
    """The key images, the frames between them, or a recipe replayed instead."""
    for flag, dest, text in (("--from", "start", "A"), ("--to", "end", "B")):
        models.add_argument(
            flag,
            dest=dest,
            type=sample_or_image,
            metavar="SAMPLE|IMAGE",
            help=f"key image {text}: a sample (its index, or its path in the data's folder) or an image file",
        )
    models.add_argument(
        "--via",
        action="append",
        type=sample_or_image,
        metavar="SAMPLE|IMAGE",
        help="a key image between A and B (repeat for more)",
    )
    models.add_argument(
        "--frames",
        type=within(FRAMES),
        metavar="N",
        help=f"frames from A to B, both included ({FRAMES.low:g} to {FRAMES.high:g}; default {DEFAULT_FRAMES})",
    )
    models.add_argument("--method", choices=METHODS, help="linear or spherical interpolation (default lerp)")
    models.add_argument("--recipe", metavar="FILE", help="replay a saved recipe instead of the options above")
    models.add_argument(
        "--allow-outside",
        action="store_true",
        help="let --recipe read key images, models and data outside its own folder (only for a recipe you trust)",
    )
    models.add_argument(
        "--allow-outside-keys",
        action="store_true",
        help="let --recipe read key images outside its own folder, nothing else (only for a recipe you trust)",
    )


def _add_gif_arguments(gif: argparse._ArgumentGroup) -> None:
    """How the GIF plays and looks."""
    gif.add_argument(
        "--fps",
        type=within(FPS),
        metavar="F",
        help=f"frames a second ({FPS.low:g} to {FPS.high:g}; default 20)",
    )
    gif.add_argument(
        "--scale",
        type=within(SCALE),
        metavar="S",
        help=f"enlarge S times, {SCALE.low:g} to {SCALE.high:g} (default 4)",
    )
    gif.add_argument("--smooth", action="store_true", help="enlarge with smooth (bicubic) resampling, not nearest")
    gif.add_argument("--pingpong", action="store_true", help="play forward, then back")
    gif.add_argument("--once", action="store_true", help="play once instead of looping forever")
    gif.add_argument("--show", choices=tuple(SHOW), help="both models side by side (default), or one")
    gif.add_argument("--labels", action="store_true", help="write the models' names and frame numbers under the frames")


def _gif_flags(args: argparse.Namespace) -> dict[str, object]:
    """The GIF options the flags set (those left out keep the recipe's, or the defaults)."""
    flags = {
        "show": SHOW.get(args.show or ""),
        "fps": args.fps,
        "scale": args.scale,
        "resample": "smooth" if args.smooth else None,
        "pingpong": True if args.pingpong else None,
        "loop": False if args.once else None,
        "labels": True if args.labels else None,
    }
    return {k: v for k, v in flags.items() if v is not None}


def recipe_from_args(args: argparse.Namespace) -> MorphRecipe:
    """The recipe the command line describes (or the one ``--recipe`` names, with GIF options applied).

    The GIF's options are made, and so checked, once: from the flags, or from the recipe's file and
    then once more only when a flag changes them.
    """
    flags = _gif_flags(args)
    if args.recipe:
        given = [f"--{name.replace('_', '-')}" for name in MODEL_FLAGS if getattr(args, name) is not None]
        if given:
            flags_given = ", ".join(g.replace("--start", "--from").replace("--end", "--to") for g in given)
            raise VaeExplorerError(f"--recipe replays a saved morph: leave out {flags_given}")
        recipe = MorphRecipe.load(args.recipe, args.allow_outside_keys, args.allow_outside)
        if flags:
            recipe.gif = dataclasses.replace(recipe.gif, **flags)
    else:
        if not args.vae:
            raise VaeExplorerError("morph needs --vae FILE (and optionally --ae FILE), or --recipe FILE")
        if args.start is None or args.end is None:
            raise VaeExplorerError("morph needs key images: --from INDEX|IMAGE and --to INDEX|IMAGE")
        paths = [p for p in (args.ae, args.vae) if p]
        keys = [args.start, *(args.via or []), args.end]
        recipe = MorphRecipe(
            checkpoints=[str(Path(p).resolve()) for p in paths],
            keys=keys,  # names are resolved to samples or files once the data is known
            frames=args.frames or DEFAULT_FRAMES,
            method=args.method or "lerp",
            data=args.data,
            split=args.split or "test",
            data_dir=args.data_dir,
            test_fraction=args.test_fraction,
            image_size=args.image_size,
            gif=GifOptions(**flags),  # type: ignore[arg-type]
        )
    if args.show == "ae" and len(recipe.checkpoints) < 2:
        raise VaeExplorerError("--show ae needs an AE: give --ae FILE")
    return recipe


def run(args: argparse.Namespace) -> int:
    if not (args.out or args.strip or args.save_recipe):
        raise VaeExplorerError("morph needs somewhere to write: --out MORPH.gif, --strip STRIP.png or --save-recipe")
    recipe = recipe_from_args(args)
    keys = [k for k in recipe.keys if isinstance(k, str)]
    check_outputs((args.out, args.strip, args.save_recipe), [*recipe.checkpoints, *keys, args.recipe])
    device = resolve_device(args.device)
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(CPU_THREADS)
    notes: list[str] = []
    try:
        exports = [name for name, path in (("gif", args.out), ("strip", args.strip)) if path]
        rendered = render_recipe(recipe, device, trust=trust_policy(args), notes=notes, exports=exports)
    finally:
        torch.set_num_threads(threads)
    say_notes(notes)
    for path in rendered.changed:
        sys.stderr.write(f"vae-explorer: warning: {printable(path)} has changed since the recipe was saved\n")
    n = recipe.frames
    if args.out:
        write_gif(args.out, rendered, recipe.gif)
        shown = len(rendered.rows(recipe.gif.show))
        print(f"wrote {args.out}: {n} frames of {shown} model{'s' if shown > 1 else ''}, {recipe.method}")
    if args.strip:
        write_strip(args.strip, rendered, recipe.gif)
        print(f"wrote {args.strip}")
    if args.save_recipe:
        recipe.save(args.save_recipe)
        print(f"wrote {args.save_recipe}: replay it with vae-explorer morph --recipe {args.save_recipe} --out FILE")
    return 0
