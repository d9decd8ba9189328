"""The lessons: seven claims of the lecture, each a saved view that shows it and a few sentences on what to see.

Each lesson is a view file shipped in ``resources/lessons/lesson-N.json`` (see
:mod:`vae_explorer.core.views`): what to open (two shipped checkpoints and a data
set), the map view, the sample to select, a cursor, a vector, morph keys; and a
``lesson`` section with its title, its text, the overlays to turn on and the docks to
open. Plain data, no Qt: the explorer applies one (Help > Lessons, ``vae-explorer
--lesson N``); a test can read what each should look like without a screen. A file
added there as ``lesson-8.json`` is the eighth lesson.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import DataError, VaeExplorerError
from vae_explorer.core.io.resources import resource
from vae_explorer.core.views import load_view

# What a lesson can turn on, beyond the map's own marks (the prior's circles and the
# selected sample's posterior ellipse are always drawn for a VAE on a linear map).
OVERLAYS = {
    "tiles": "the visible map tiled with decoded images, the data's points hidden under them",
    "posterior": "draws from q(z|x) of the selected sample: points on the map, zoomed to them, and decoded",
    "history": "the models' training replayed epoch by epoch (where stored), their codes' spread beside it",
    "kl": "the KL of each latent dimension",
    "prior": "the same z ~ N(0, I) decoded by both models",
    "vector": "an attribute vector applied to both cursors, and alpha 0 beside alpha a in a grid",
    "morph": "a morph from one sample to another, one row per model",
}
# The docks a lesson may open (the explorer's names); the Lesson bar is always open.
DOCKS = ("sliders", "samples", "attributes", "morph")


@dataclass(frozen=True)
class Lesson:
    """One lesson. ``left``/``right``: shipped checkpoint file names; ``data``: a data set name.

    ``docks``: the docks it opens (of :data:`DOCKS`), the others closed while it is on, and
    ``share``: how much of the window they take (its width on the right, its height
    below); ``decoded``: False folds the decoded cursors away, leaving the maps the room;
    ``holds``: where the claim does hold, said when the measured row does not show it;
    ``also``: a second pair of shipped files whose row shows where it holds;
    ``vector``: the groups of the attribute vector to apply (``column:Smiling``) and
    ``alpha`` how far; ``morph``: the samples A and B to morph between, in ``frames``;
    ``draws``: how many samples to decode; ``zoom``: how many times the selected
    sample's posterior ellipse the map shows around it (0: all of the map); ``point``:
    where on the left map its cursor goes, cursors linked (None: at the selected sample).
    """

    number: int
    title: str
    left: str
    right: str
    data: str
    view: str
    select: int
    overlays: tuple[str, ...]
    text: tuple[str, ...]
    docks: tuple[str, ...] = ()
    share: float = 0.0
    decoded: bool = True
    holds: str = ""
    also: tuple[str, str] | None = None
    vector: str = ""
    alpha: float = 0.0
    morph: tuple[int, int] | None = None
    frames: int = 0
    draws: int = 8
    zoom: float = 0.0
    point: tuple[float, float] | None = None

    @property
    def files(self) -> tuple[str, str]:
        return self.left, self.right

    def missing(self, folder: Path) -> list[str]:
        """The lesson's checkpoint files that ``folder`` lacks (the faces models, before they ship)."""
        return [name for name in self.files if not (folder / name).is_file()]

    def needs(self, folder: Path) -> str:
        """What the lesson lacks in ``folder``, as a sentence's end (``needs the shipped ...``), or ``""``."""
        missing = self.missing(folder)
        return f"needs the shipped {' and '.join(missing)}, not found in {folder}" if missing else ""

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


LESSONS_FOLDER = "lessons"  # in the shipped resources: lesson-1.json, lesson-2.json, ...
_NAME = re.compile(r"^lesson-(\d+)\.json$")


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files in ``folder`` (``lesson-N.json``), in the order of their numbers."""
    found = [(int(m.group(1)), p) for p in folder.glob("lesson-*.json") if (m := _NAME.match(p.name))]
    return [p for _, p in sorted(found)]


def _lesson_part(blob: dict[str, Any], where: str) -> dict[str, Any]:
    """The ``lesson`` section of a view, each field checked (a one-line :class:`DataError` names the first bad one)."""

    def bad(name: str, value: Any, wanted: str) -> DataError:
        return DataError(f"{where}: invalid lesson: lesson.{name} is {str(value)[:40]!r}, not {wanted}")

    def texts(name: str, value: Any, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise bad(name, value, "a list of texts")
        for t in value:
            if allowed is not None and t not in allowed:
                raise bad(name, t, "one of " + ", ".join(allowed))
        return tuple(value)

    if not isinstance(blob.get("title"), str) or not blob["title"].strip():
        raise bad("title", blob.get("title"), "a text")
    out: dict[str, Any] = {"title": blob["title"], "text": texts("text", blob.get("text"))}
    out["overlays"] = texts("overlays", blob.get("overlays", []), tuple(OVERLAYS))
    out["docks"] = texts("docks", blob.get("docks", []), DOCKS)
    share, draws, zoom = blob.get("share", 0.0), blob.get("draws", 8), blob.get("zoom", 0.0)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 0.9:
        raise bad("share", share, "a number from 0 to 0.9")
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= 64:
        raise bad("draws", draws, "a whole number from 1 to 64")
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not 0 <= zoom <= 1000:
        raise bad("zoom", zoom, "a number from 0 to 1000")
    if not isinstance(blob.get("decoded", True), bool):
        raise bad("decoded", blob["decoded"], "true or false")
    if not isinstance(blob.get("holds", ""), str):
        raise bad("holds", blob["holds"], "a text")
    also = blob.get("also")
    if also is not None and (len(texts("also", also)) != 2 or not all(Path(a).name == a for a in also)):
        raise bad("also", also, "two shipped checkpoints' file names")
    out |= {"share": float(share), "draws": draws, "zoom": float(zoom), "decoded": blob.get("decoded", True)}
    out |= {"holds": blob.get("holds", ""), "also": tuple(also) if also is not None else None}
    return out


def lesson_from_view(number: int, path: Path) -> Lesson:
    """Lesson ``number`` from the saved view at ``path``: its stage is the view, its words the ``lesson`` section.

    The view names two shipped checkpoints (``shipped:NAME``); its selected sample, a
    cursor's point (linked), a vector and its alpha, and the morph's keys set the stage.
    """
    state = load_view(path)
    where = str(path)
    if state.lesson is None:
        raise DataError(f"{where}: invalid lesson: the view has no lesson section")
    part = _lesson_part(state.lesson, where)
    if set(state.models) != {"left", "right"} or state.selected is None:
        raise DataError(f"{where}: invalid lesson: a lesson names both models and a selected sample")
    point = state.cursors["left"].point if "left" in state.cursors else None
    keys = state.morph_keys
    if any(isinstance(k, str) for k in keys):
        raise DataError(f"{where}: invalid lesson: its morph keys must be sample indices")
    return Lesson(
        number,
        left=Path(state.models["left"]).name,
        right=Path(state.models["right"]).name,
        data=state.data,
        view=state.view,
        select=state.selected,
        point=point,  # type: ignore[arg-type]
        vector=state.vectors[0].groups if state.vectors else "",
        alpha=state.alpha,
        morph=(int(keys[0]), int(keys[-1])) if keys else None,
        frames=(state.morph_frames or 0) if keys else 0,
        **part,
    )


def load_lessons(folder: Path) -> tuple[tuple[Lesson, ...], list[str]]:
    """The lessons of ``folder``, numbered in order, and a line for each file that could not be read."""
    lessons, problems = [], []
    for path in lesson_files(folder):
        try:
            lessons.append(lesson_from_view(len(lessons) + 1, path))
        except VaeExplorerError as exc:
            problems.append(str(exc))
            logging.getLogger(__name__).warning("lesson left out: %s", exc)
    return tuple(lessons), problems


LESSONS, LESSON_PROBLEMS = load_lessons(resource(LESSONS_FOLDER))


def lesson(number: int) -> Lesson:
    """Lesson ``number`` (1 to 7); a :class:`VaeExplorerError` for any other number."""
    if not 1 <= number <= len(LESSONS):
        raise VaeExplorerError(f"no lesson {number}: lessons are numbered 1 to {len(LESSONS)}")
    return LESSONS[number - 1]
