"""``vae-explorer traverse``: samples pushed along an attribute vector, decoded into a PNG grid."""

from __future__ import annotations

import argparse
import contextlib
import re

import numpy as np

from vae_explorer.core.attributes.binding import bind_vector
from vae_explorer.core.attributes.files import load_vector, save_vector
from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import (
    AttributeVector,
    ModelCodes,
    build_vector,
    parse_alphas,
    side_by_side,
    traversal_grid,
)
from vae_explorer.core.io.images import MAX_SCALE, save_png
from vae_explorer.core.io.safe_write import check_outputs
from vae_explorer.core.latent.codes import encode_cached
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.probe import check_on_data

from ..core.data import AttributeTable, Dataset, load_attribute_table, load_dataset
from ..core.errors import DataError, VaeExplorerError
from .models import add_trust_argument, open_cli_model
from .parser import add_data_arguments, add_device_argument, int_between, non_empty

DESCRIPTION = """\
Push a few samples along an attribute vector and decode them: one row per
sample, one column per alpha, the code of each cell z + alpha * v, where
v = mean code of the positive group - mean code of the negative group, in the
model's own latent space. With --ae and --vae both grids are written side by
side (AE left).

--attribute SPEC defines the two groups:
  class:A-B          class A vs class B, by name or index (class:7-9,
                     class:Sneaker-Sandal); adding v moves toward A
  class:B->A         the same as class:A-B, read "from B toward A"
                     (class:Sneaker->Ankle boot); use it when a name holds '-'
  class:A-rest       class A vs every other sample (class:Shirt-rest)
  column:NAME        an attribute column: rows with 1 vs rows with 0 (or -1);
                     the table comes from --attributes FILE, or with a folder
                     of images from its attributes.csv / list_attr_celeba.txt
  indices:I,J-K,L    samples I, J vs samples K, L (indices:I,J-rest: vs the rest)
  pixel:STAT         the upper vs the lower half of a pixel statistic, split
                     at its median: ink (mean brightness), width or height of
                     the bounding box of the drawn pixels

or --vector FILE uses a vector saved by the explorer or by --save-vector,
bound to the models as the explorer binds it: remade from its groups when they
apply to the data, else its saved values (a line per model says which).
The data is encoded as the explorer encodes it, and the codes are cached.

example:
  vae-explorer traverse --vae checkpoints/fashion-vae.pt --data fashion-mnist \\
      --attribute "class:Sneaker->Ankle boot" --samples 0,1,2 --alphas -2:2:9 --out grid.png
"""


MAX_SAMPLES = 64  # rows of the grid
MAX_ALPHAS = 64  # columns of the grid
MAX_PIXELS = 64_000_000  # the PNG a traversal writes; more is no picture anyone can look at


def _samples(text: str) -> list[int]:
    try:
        values = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a list of sample indices like 0,1,2") from None
    if not values:
        raise argparse.ArgumentTypeError("give at least one sample index")
    if len(values) > MAX_SAMPLES:
        raise argparse.ArgumentTypeError(f"at most {MAX_SAMPLES} samples (one row each), not {len(values):,}")
    return values


def _alphas(text: str) -> np.ndarray:
    count = text.count(",") + 1
    if text.count(":") == 2:
        with contextlib.suppress(ValueError):
            count = int(text.split(":")[-1])
    if count > MAX_ALPHAS:  # refused before N values are made
        raise argparse.ArgumentTypeError(f"at most {MAX_ALPHAS} alphas (one column each), not {count:,}")
    try:
        return parse_alphas(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)[:200]) from None


def _check_grid_size(n_models: int, image_shape: tuple[int, int, int], args: argparse.Namespace) -> None:
    """Refuse a grid too large to write before anything is decoded."""
    _, h, w = image_shape
    rows, cols = len(args.samples), len(args.alphas)
    height = (rows * (h + 1) + 1) * args.scale
    width = (n_models * (cols * (w + 1) + 1) + 6 * (n_models - 1)) * args.scale
    if height * width > MAX_PIXELS:
        raise VaeExplorerError(
            f"the grid would be {width:,}x{height:,} pixels, more than {MAX_PIXELS // 10**6} million; "
            "use fewer --samples or --alphas, or a smaller --scale"
        )


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "traverse",
        help="decode samples moved along an attribute vector into a PNG grid",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # argparse takes a value such as -2:2:9 for an option; here a minus and a digit start a value.
    p._negative_number_matcher = re.compile(r"^-\.?\d[\d.,:eE+-]*$")
    p.add_argument("--vae", metavar="FILE", help="a model (AE or VAE) to traverse: a checkpoint or a model file")
    p.add_argument("--ae", metavar="FILE", help="a second model, drawn to the left of --vae's grid")
    add_data_arguments(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--attribute", type=non_empty, metavar="SPEC", help="the two groups (see above)")
    what.add_argument("--vector", type=non_empty, metavar="FILE", help="a saved attribute vector (.json)")
    p.add_argument("--attributes", metavar="FILE", help="attribute table: a CSV with an index column, or CelebA's")
    p.add_argument(
        "--samples",
        type=_samples,
        default=[0, 1, 2, 3],
        metavar="I,J,...",
        help=f"rows, at most {MAX_SAMPLES} (default: 0,1,2,3)",
    )
    p.add_argument(
        "--alphas",
        type=_alphas,
        default=parse_alphas("-2:2:9"),
        metavar="A:B:N",
        help=f"columns: N values from A to B, or a list like -1,0,1; at most {MAX_ALPHAS} (default: -2:2:9)",
    )
    p.add_argument("--out", metavar="PNG", required=True, help="the grid image to write")
    p.add_argument(
        "--scale",
        type=int_between(1, MAX_SCALE, "each pixel drawn K x K"),
        default=1,
        metavar="K",
        help=f"enlarge the grid K times, 1 to {MAX_SCALE} (default 1)",
    )
    p.add_argument("--name", help="the vector's name (default: from its groups)")
    p.add_argument("--save-vector", metavar="FILE", help="also save the vector as JSON, to reuse with --vector")
    add_device_argument(p)
    add_trust_argument(p)
    p.set_defaults(func=run)


def _table(args: argparse.Namespace, data: Dataset) -> AttributeTable | None:
    if args.attributes:
        return load_attribute_table(args.attributes, len(data), data.filenames)
    return data.attributes


def _describe(slot: str, model: LoadedModel, vector: AttributeVector) -> str:
    e = vector.entries[slot]
    sizes = f"groups of {e.n_pos} and {e.n_neg}, " if e.n_pos else ""
    auc = "" if np.isnan(e.auc) else f", AUC {e.auc:.3f}"
    return f"  {model.kind.upper()} {model.name}: {sizes}|v| {e.norm:.3f}{auc}"


def _vector(args: argparse.Namespace, data: Dataset, codes: dict[str, ModelCodes]) -> tuple[AttributeVector, list[str]]:
    """The vector in every model's space: made from --attribute's groups, or --vector bound as the explorer binds it."""
    table = _table(args, data)
    if args.attribute:
        return build_vector(args.name or "", parse_groups(args.attribute), data, codes, table), []
    loaded = load_vector(args.vector)
    if args.name:
        loaded.name = args.name
    vector, notes = bind_vector(loaded, data, codes, table)
    for slot, m in codes.items():
        if slot not in vector.entries:
            raise DataError(f"{args.vector}: holds no {m.latent_dim}-D vector for {m.model}")
    return vector, notes


def run(args: argparse.Namespace) -> int:
    paths = {slot: path for slot, path in (("left", args.ae), ("right", args.vae)) if path}
    if not paths:
        raise VaeExplorerError("traverse needs a model: --vae FILE (and --ae FILE for a second grid)")
    inputs = [*paths.values(), args.vector, args.attributes]
    check_outputs((args.out, args.save_vector), inputs)
    device = resolve_device(args.device)
    models = {slot: open_cli_model(p, args, device) for slot, p in paths.items()}
    data = load_dataset(args.data, args.split, args.data_dir)
    for model in models.values():
        check_on_data(model, data, args.data)
    _check_grid_size(len(models), data.image_shape, args)
    bad = [i for i in args.samples if not 0 <= i < len(data)]
    if bad:
        raise DataError(f"sample {bad[0]} is out of range (0 to {len(data) - 1})")
    samples = np.asarray(args.samples, dtype=np.int64)
    # The codes of the data as the explorer has them (the same cache), so both draw the same grid.
    codes = {
        slot: ModelCodes(
            encode_cached(model, model.digest, data.fingerprint(), data.images)[0].mu,
            model.name,
            model.digest,
            model.kind,
        )
        for slot, model in models.items()
    }
    vector, notes = _vector(args, data, codes)
    grids = [
        traversal_grid(model, codes[slot].codes[samples], vector.entries[slot].values, args.alphas)  # type: ignore[index]
        for slot, model in models.items()
    ]
    grid = side_by_side(grids) if len(grids) > 1 else grids[0]
    save_png(args.out, grid, args.scale, inputs=inputs)
    alphas = args.alphas
    print(
        f"wrote {args.out}: {len(samples)} samples x {len(alphas)} alphas from {alphas[0]:g} to {alphas[-1]:g} "
        f"along {vector.name!r}" + (f" ({vector.description})" if vector.description else "")
    )
    for note in notes:
        print(f"  {note}")
    for slot, model in models.items():
        print(_describe(slot, model, vector))
    if args.save_vector:
        print(f"saved the vector to {save_vector(args.save_vector, vector)}")
    return 0
