"""A saved view: the whole state of the explorer's window as a small, versioned JSON document.

What it holds: the models (left and right), the data and its split, the map view, each
map's zoom, the selected sample and the map selections (groups A and B), each cursor
(a code, or a point on the map), whether the cursors are linked, the attribute vectors
(by their groups, made again on open) with the active one and alpha, the morph's keys,
frames and method, what the points are coloured by, the hidden classes and whether the
map selection is shown alone. A lesson is a view with a ``lesson`` section
(see :mod:`vae_explorer.core.lessons`). Plain data, no Qt: :meth:`ViewState.from_json`
checks every field and names the first bad one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from vae_explorer.core.data.idx_sets import SPLITS
from vae_explorer.core.errors import DataError
from vae_explorer.core.latent.projection import VIEWS
from vae_explorer.core.session.slot import SLOTS

FORMAT = "vae-explorer-view"
FORMAT_VERSION = 1
SHIPPED = "shipped:"  # a model path ``shipped:NAME``: a checkpoint that ships with vae-explorer
MAX_ITEMS = 10_000_000  # the longest list of sample indices a view may hold
MAX_DIM = 4096  # the longest code a cursor may hold
MORPH_METHODS = ("lerp", "slerp")


@dataclass(frozen=True)
class Cursor:
    """One cursor: a code ``z`` (d floats), or a ``point`` on the current map (then placed by its inverse)."""

    z: tuple[float, ...] | None = None
    point: tuple[float, float] | None = None


@dataclass(frozen=True)
class SavedVector:
    """An attribute vector by its groups' text form (``column:Smiling``, ``class:1-rest``); made again on open."""

    name: str
    groups: str


@dataclass(frozen=True)
class ViewState:
    """The window's state. Paths are as written in the file (see :mod:`.files` for what they may reach)."""

    models: dict[str, str] = field(default_factory=dict)  # per slot: a checkpoint or model file
    data: str = ""
    split: str = "test"
    data_dir: str | None = None
    test_fraction: float | None = None
    image_size: int | None = None
    view: str = "pca"
    zoom: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # per slot; absent: all
    selected: int | None = None
    groups: dict[str, tuple[int, ...]] = field(default_factory=dict)  # groups "A" and "B", and "S": the maps' selection
    cursors: dict[str, Cursor] = field(default_factory=dict)
    linked: bool = False
    vectors: tuple[SavedVector, ...] = ()
    active: str | None = None
    alpha: float = 0.0
    morph_keys: tuple[int | str, ...] = ()  # A, via..., B: sample indices or image files
    morph_frames: int | None = None
    morph_method: str = "lerp"
    colour_by: str | None = None
    hidden: tuple[int, ...] = ()
    isolated: bool = False  # only the maps' selection ("S") shown on the maps
    lesson: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        blob: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        blob["cursors"] = {
            slot: {k: list(v) for k, v in asdict(c).items() if v is not None} for slot, c in self.cursors.items()
        }
        blob["zoom"] = {slot: list(r) for slot, r in self.zoom.items()}
        blob["groups"] = {key: list(v) for key, v in self.groups.items()}
        if blob["lesson"] is None:
            del blob["lesson"]
        return blob

    @classmethod
    def from_json(cls, blob: dict[str, Any], where: str) -> ViewState:
        """Check and read a view's fields; ``where`` names the file in a one-line :class:`DataError`."""
        check = _Check(where, blob)
        vectors = check.items("vectors", dict)
        return cls(
            models={slot: check.text(f"models.{slot}", p) for slot, p in check.slots("models").items()},
            data=check.text("data", blob.get("data", "")),
            split=check.choice("split", SPLITS),
            data_dir=check.optional_text("data_dir"),
            test_fraction=check.optional_number("test_fraction", 0.0, 1.0),
            image_size=check.optional_whole("image_size", 1, 4096),
            view=check.choice("view", VIEWS, "pca"),
            zoom={slot: check.rect(f"zoom.{slot}", r) for slot, r in check.slots("zoom").items()},
            selected=check.optional_whole("selected", 0, MAX_ITEMS),
            groups={
                key: check.indices(f"groups.{key}", v) for key, v in check.mapping("groups", ("A", "B", "S")).items()
            },
            cursors={slot: check.cursor(f"cursors.{slot}", c) for slot, c in check.slots("cursors").items()},
            linked=check.flag("linked"),
            vectors=tuple(
                SavedVector(
                    check.text(f"vectors[{i}].name", v.get("name")), check.text(f"vectors[{i}].groups", v.get("groups"))
                )
                for i, v in enumerate(vectors)
            ),
            active=check.optional_text("active"),
            alpha=check.number("alpha", -1e6, 1e6, 0.0),
            morph_keys=tuple(check.key(f"morph_keys[{i}]", k) for i, k in enumerate(check.items("morph_keys"))),
            morph_frames=check.optional_whole("morph_frames", 2, 100_000),
            morph_method=check.choice("morph_method", MORPH_METHODS, "lerp"),
            colour_by=check.optional_text("colour_by"),
            hidden=check.indices("hidden", blob.get("hidden", [])),
            isolated=check.flag("isolated"),
            lesson=check.optional_mapping("lesson"),
        )


class _Check:
    """Reads one field of a view's JSON at a time; the first that is wrong raises, naming the file and the field."""

    def __init__(self, where: str, blob: dict[str, Any]) -> None:
        self.where, self.blob = where, blob

    def fail(self, name: str, value: Any, wanted: str) -> DataError:
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return DataError(f"{self.where}: invalid view: {name} is {shown}, not {wanted}")

    def text(self, name: str, value: Any) -> str:
        if not isinstance(value, str) or len(value) > 4096:
            raise self.fail(name, value, "a text")
        return value

    def optional_text(self, name: str) -> str | None:
        value = self.blob.get(name)
        return None if value is None else self.text(name, value)

    def flag(self, name: str) -> bool:
        value = self.blob.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(name, value, "true or false")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str = "test") -> str:
        value = self.blob.get(name, default)
        if value not in choices:
            raise self.fail(name, value, "one of " + ", ".join(choices))
        return value

    def whole(self, name: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(name, value, f"a whole number from {low} to {high}")
        return value

    def optional_whole(self, name: str, low: int, high: int) -> int | None:
        value = self.blob.get(name)
        return None if value is None else self.whole(name, value, low, high)

    def real(self, name: str, value: Any, low: float = -math.inf, high: float = math.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.fail(name, value, "a finite number" + ("" if math.isinf(low) else f" from {low} to {high}"))
        if not math.isfinite(value):
            raise self.fail(name, value, "a finite number")
        return float(value)

    def number(self, name: str, low: float, high: float, default: float) -> float:
        return self.real(name, self.blob.get(name, default), low, high)

    def optional_number(self, name: str, low: float, high: float) -> float | None:
        value = self.blob.get(name)
        return None if value is None else self.real(name, value, low, high)

    def mapping(self, name: str, keys: tuple[str, ...]) -> dict[str, Any]:
        value = self.blob.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, value, "an object")
        for key in value:
            if key not in keys:
                raise self.fail(f"{name}.{key}", key, "one of " + ", ".join(keys))
        return {k: v for k, v in value.items() if v is not None}

    def optional_mapping(self, name: str) -> dict[str, Any] | None:
        value = self.blob.get(name)
        if value is not None and not isinstance(value, dict):
            raise self.fail(name, value, "an object")
        return value

    def slots(self, name: str) -> dict[str, Any]:
        return self.mapping(name, SLOTS)

    def items(self, name: str, kind: type | None = None) -> list[Any]:
        value = self.blob.get(name, [])
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise self.fail(name, value, "a list")
        for i, item in enumerate(value):
            if kind is not None and not isinstance(item, kind):
                raise self.fail(f"{name}[{i}]", item, "an object")
        return value

    def indices(self, name: str, value: Any) -> tuple[int, ...]:
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise self.fail(name, value, "a list of sample indices")
        return tuple(self.whole(f"{name}[{i}]", v, 0, MAX_ITEMS) for i, v in enumerate(value))

    def rect(self, name: str, value: Any) -> tuple[float, float, float, float]:
        if not isinstance(value, list) or len(value) != 4:
            raise self.fail(name, value, "[x, y, width, height]")
        x, y, w, h = (self.real(f"{name}[{i}]", v) for i, v in enumerate(value))
        if w <= 0 or h <= 0:
            raise self.fail(name, value, "a region of positive width and height")
        return x, y, w, h

    def cursor(self, name: str, value: Any) -> Cursor:
        if not isinstance(value, dict) or ("z" in value) == ("point" in value):
            raise self.fail(name, value, 'an object with "z" (a code) or "point" (x, y)')
        if "point" in value:
            p = value["point"]
            if not isinstance(p, list) or len(p) != 2:
                raise self.fail(f"{name}.point", p, "[x, y]")
            return Cursor(point=(self.real(f"{name}.point[0]", p[0]), self.real(f"{name}.point[1]", p[1])))
        z = value["z"]
        if not isinstance(z, list) or not 1 <= len(z) <= MAX_DIM:
            raise self.fail(f"{name}.z", z, f"a list of 1 to {MAX_DIM} numbers")
        return Cursor(z=tuple(self.real(f"{name}.z[{i}]", v) for i, v in enumerate(z)))

    def key(self, name: str, value: Any) -> int | str:
        if isinstance(value, str):
            return self.text(name, value)
        return self.whole(name, value, 0, MAX_ITEMS)
