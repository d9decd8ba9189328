"""``vae-explorer traverse``: samples pushed along an attribute vector, decoded into a PNG grid."""

from __future__ import annotations

import argparse
import contextlib
import re

import numpy as np

from vae_explorer.core.attributes.binding import bind_vector
from vae_explorer.core.attributes.files import load_vector, save_vector
from vae_explorer.core.attributes.picture import layout
from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.traversal import TraversalBlock, decode_traversal
from vae_explorer.core.attributes.vectors import (
    AttributeVector,
    ModelCodes,
    VectorEntry,
    build_vector,
    parse_alphas,
)
from vae_explorer.core.io.images import MAX_PICTURE_PIXELS, MAX_SCALE, save_picture
from vae_explorer.core.io.safe_write import check_outputs
from vae_explorer.core.io.text import printable
from vae_explorer.core.latent.codes import encode_cached
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.probe import check_on_data

from ..core.data import AttributeTable, Dataset, index_of, load_attribute_table
from ..core.errors import VaeExplorerError
from .data import load_data, say_table
from .models import add_trust_argument, open_cli_model
from .parser import TABLE_HELP, add_data_arguments, add_device_argument, int_between, non_empty

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
  column:NAME>T      a numeric column: rows above T vs the others
  column:NAME>median a numeric column: its upper vs its lower half
  indices:I,J-K,L    samples I, J vs samples K, L (indices:I,J-rest: vs the rest)
  pixel:STAT         the upper vs the lower half of a pixel statistic, split
                     at its median: ink (mean brightness), width or height of
                     the bounding box of the drawn pixels

When both groups span several classes (italic vs upright glyphs of every
letter), v is made within classes (--balance auto; on or off to choose), so it
does not carry what tells the classes apart. The AUC printed is measured on
samples held out of the vector, and "also moves" says how far v goes along the
table's other attributes.

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
MAX_PIXELS = MAX_PICTURE_PIXELS


def _samples(text: str) -> list[int | str]:
    """Sample indices or names (``A/x.png``), comma-separated; names are looked up once the data is read."""
    values: list[int | str] = [
        int(t) if t.strip().lstrip("+-").isdigit() else t.strip() for t in text.split(",") if t.strip()
    ]
    if not values:
        raise argparse.ArgumentTypeError("give at least one sample index or name")
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


def _check_grid_size(n_models: int, data: Dataset, rows: list[str], args: argparse.Namespace) -> None:
    """Refuse a picture too large to write before anything is decoded."""
    lay = layout(n_models, len(rows), args.alphas, data.image_shape, args.scale, rows if args.labels else [])
    width, height = lay.size
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
    _add_group_arguments(p)
    _add_grid_arguments(p)
    p.add_argument("--name", help="the vector's name (default: from its groups)")
    p.add_argument("--save-vector", metavar="FILE", help="also save the vector as JSON, to reuse with --vector")
    add_device_argument(p)
    add_trust_argument(p)
    p.set_defaults(func=run)


def _add_group_arguments(p: argparse.ArgumentParser) -> None:
    """Where the vector comes from: two groups (and the table they may name), or a saved vector."""
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--attribute", type=non_empty, metavar="SPEC", help="the two groups (see above)")
    what.add_argument("--vector", type=non_empty, metavar="FILE", help="a saved attribute vector (.json)")
    p.add_argument("--attributes", metavar="FILE", help=TABLE_HELP)
    p.add_argument(
        "--balance",
        choices=("auto", "on", "off"),
        default="auto",
        help="make the vector within classes: auto (when both groups span several classes), on or off",
    )


def _add_grid_arguments(p: argparse.ArgumentParser) -> None:
    """The grid: its rows (samples), its columns (alphas), and the PNG it is written to."""
    p.add_argument(
        "--samples",
        type=_samples,
        default=[0, 1, 2, 3],
        metavar="I,J,...",
        help=f"rows: sample indices or names in the data (A/x.png), at most {MAX_SAMPLES} (default: 0,1,2,3)",
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
    p.add_argument(
        "--no-labels",
        dest="labels",
        action="store_false",
        help="leave out the labels: alphas over the columns, models over the blocks, samples beside the rows",
    )


def _table(args: argparse.Namespace, data: Dataset) -> AttributeTable | None:
    if args.attributes:
        table = load_attribute_table(args.attributes, data)
        say_table(table)
        return table
    return data.attributes


def _describe(slot: str, model: LoadedModel, vector: AttributeVector) -> list[str]:
    e = vector.entries[slot]
    sizes = f"groups of {e.n_pos} and {e.n_neg}, " if e.n_pos else ""
    auc = "" if np.isnan(e.auc) else f", AUC {e.auc:.3f} on held-out samples"
    return [f"  {model.kind.upper()} {model.name}: {sizes}|v| {e.norm:.3f}{auc}", *_effects(e)]


def _effects(e: VectorEntry, shown: int = 5) -> list[str]:
    """How far the vector goes along the table's other attributes, the most aligned first."""
    if not e.effects:
        return []
    parts = [f"{x.name} {x.share:+.2f} (cos {x.cosine:+.2f})" for x in e.effects[:shown]]
    more = f", and {len(e.effects) - shown} more" if len(e.effects) > shown else ""
    return [f"    also moves: {', '.join(parts)}{more}"]


def _vector(args: argparse.Namespace, data: Dataset, codes: dict[str, ModelCodes]) -> tuple[AttributeVector, list[str]]:
    """The vector in every model's space: made from --attribute's groups, or --vector bound as the explorer binds it."""
    table = _table(args, data)
    if args.attribute:
        balance = {"auto": None, "on": True, "off": False}[args.balance]
        return build_vector(args.name or "", parse_groups(args.attribute), data, codes, table, balance), []
    loaded = load_vector(args.vector)
    if args.name:
        loaded.name = args.name
    vector, notes = bind_vector(loaded, data, codes, table)
    for slot, m in codes.items():
        if slot not in vector.entries:
            raise VaeExplorerError(f"{args.vector}: holds no {m.latent_dim}-D vector for {m.model}")
    return vector, notes


def _row_name(data: Dataset, index: int) -> str:
    return data.sample_name(index) or data.describe_sample(index)


def run(args: argparse.Namespace) -> int:
    paths = {slot: path for slot, path in (("left", args.ae), ("right", args.vae)) if path}
    if not paths:
        raise VaeExplorerError("traverse needs a model: --vae FILE (and --ae FILE for a second grid)")
    inputs = [*paths.values(), args.vector, args.attributes]
    check_outputs((args.out, args.save_vector), inputs)
    device = resolve_device(args.device)
    models = {slot: open_cli_model(p, args, device) for slot, p in paths.items()}
    data = load_data(args, list(models.values()))
    for model in models.values():
        check_on_data(model, data, args.data)
    samples = np.asarray([index_of(data, key) for key in args.samples], dtype=np.int64)
    rows = [_row_name(data, int(i)) for i in samples]
    _check_grid_size(len(models), data, rows, args)
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
    blocks = [
        TraversalBlock(model, codes[slot].codes[samples], vector.entries[slot].values, model.title)  # type: ignore[index]
        for slot, model in models.items()
    ]
    picture = decode_traversal(blocks, args.alphas, rows).picture(args.scale, args.labels)
    save_picture(args.out, picture, inputs=inputs)
    alphas = args.alphas
    print(
        printable(
            f"wrote {args.out}: {len(samples)} samples x {len(alphas)} alphas from {alphas[0]:g} to {alphas[-1]:g} "
            f"along {vector.name!r}" + (f" ({vector.description})" if vector.description else "")
        )
    )
    for note in notes:
        print(f"  {printable(note)}")
    for slot, model in models.items():
        print("\n".join(printable(line) for line in _describe(slot, model, vector)))
    if args.save_vector:
        print(f"saved the vector to {save_vector(args.save_vector, vector)}")
    return 0
