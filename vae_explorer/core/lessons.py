"""The lessons: seven claims of the lecture, each a window state that shows it and a few sentences on what to see.

Plain data, no Qt: what to open (two shipped checkpoints and a data set), the
map view, the sample to select, the overlays to turn on, and the text. The
explorer applies one (Help > Lessons, ``vae-explorer --lesson N``); a test can
read what each should look like without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vae_explorer.core.errors import VaeExplorerError

# What a lesson can turn on, beyond the map's own marks (the prior's circles and the
# selected sample's posterior ellipse are always drawn for a VAE on a linear map).
OVERLAYS = {
    "tiles": "the visible map tiled with decoded images",
    "posterior": "draws from q(z|x) of the selected sample, decoded",
    "history": "the VAE's training replayed epoch by epoch",
    "kl": "the KL of each latent dimension",
    "prior": "the same z ~ N(0, I) decoded by both models",
    "vector": "an attribute vector applied to both cursors",
    "morph": "a morph from one sample to another, one row per model",
}


@dataclass(frozen=True)
class Lesson:
    """One lesson. ``left``/``right``: shipped checkpoint file names; ``data``: a data set name.

    ``vector``: the groups of the attribute vector to apply (``column:Smiling``) and
    ``alpha`` how far; ``morph``: the samples A and B to morph between.
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
    vector: str = ""
    alpha: float = 0.0
    morph: tuple[int, int] | None = None

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


FASHION_2D = ("fashion-ae-2d.pt", "fashion-vae-2d.pt")
FACES = ("faces-ae.pt", "faces-vae.pt")

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        1,
        "An AE leaves gaps",
        *FASHION_2D,
        "fashion-mnist",
        "latent",
        0,
        ("tiles",),
        (
            "Both maps are the 2-D latent planes themselves, tiled with what each decoder draws there.",
            "The AE's codes spread into arms with empty space between them, and its tiles in the gaps are smudges "
            "that are no garment; the VAE packs its codes round the origin and every tile is a plausible item.",
            "Drag a cursor across a gap: the AE's image breaks up, the VAE's changes smoothly.",
        ),
    ),
    Lesson(
        2,
        "A VAE maps an image to a cloud",
        *FASHION_2D,
        "fashion-mnist",
        "latent",
        1089,
        ("posterior",),
        (
            "The VAE encodes the selected sneaker to a Gaussian q(z|x), drawn as its small 1-sigma ellipse, "
            "not to a point.",
            "The Samples tab decodes draws from that cloud: they are all the same kind of garment, with small "
            "changes; the AE has no cloud, only the point.",
        ),
    ),
    Lesson(
        3,
        "KL pulls the clouds toward N(0, I)",
        *FASHION_2D,
        "fashion-mnist",
        "latent",
        0,
        ("history",),
        (
            "The dashed circles are the prior N(0, I) at 1 and 2 sigma. The KL term pays for every code far from "
            "them and every cloud narrower than them, so the VAE's codes stay inside.",
            "Move the epoch slider to replay training: from the first epoch the KL term holds the codes inside "
            "the circles, and the classes spread apart without leaving them; the AE, with no KL term, has nothing "
            "holding its codes (mind its axes: tens, not ones).",
        ),
    ),
    Lesson(
        4,
        "Beta trades reconstruction for structure",
        "faces-vae.pt",
        "faces-vae-beta4.pt",
        "faces",
        "pca",
        0,
        ("kl",),
        (
            "Left a VAE with beta 1, right one with beta 4, on the same faces. The decoded cursors are their "
            "reconstructions of the selected face: beta 4 pays for its heavier KL term in detail.",
            "The Latent sliders list the KL of each dimension (choose the model above them): compare how many "
            "dimensions each keeps active, and the MIG in the map titles, how cleanly one dimension carries one "
            "factor.",
        ),
    ),
    Lesson(
        5,
        "Sampling the prior works for the VAE, not the AE",
        "fashion-ae.pt",
        "fashion-vae.pt",
        "fashion-mnist",
        "pca",
        0,
        ("prior",),
        (
            "The Samples tab decodes the same codes z ~ N(0, I) with both models.",
            "The VAE was trained to make the prior's codes mean something, and draws clothes; the AE's codes never "
            "lived there, and it draws noise and ghosts.",
        ),
    ),
    Lesson(
        6,
        "Latent arithmetic: the smile vector",
        *FACES,
        "faces",
        "pca",
        7,
        ("vector",),
        (
            "The smile vector is the mean code of the smiling faces minus that of the others; both cursors sit at "
            "the selected frowning face plus alpha times it.",
            "Move alpha in the Attributes tab and watch the mouth turn; below the slider, the face's factors as a "
            "predictor reads them say how much the smile changed and how much leaked into everything else.",
        ),
        vector="column:Smiling",
        alpha=1.5,
    ),
    Lesson(
        7,
        "Morphing: face A to face B",
        *FACES,
        "faces",
        "pca",
        0,
        ("morph",),
        (
            "The Morph tab walks a straight line from face A's code to face B's and decodes each step, "
            "one row per model.",
            "Look at the frames in the middle: the VAE's stay faces, while the AE's line crosses the gaps between "
            "its codes, and the curve below shows how far each frame strays from the data.",
        ),
        morph=(0, 11),
    ),
)


def lesson(number: int) -> Lesson:
    """Lesson ``number`` (1 to 7); a :class:`VaeExplorerError` for any other number."""
    if not 1 <= number <= len(LESSONS):
        raise VaeExplorerError(f"no lesson {number}: lessons are numbered 1 to {len(LESSONS)}")
    return LESSONS[number - 1]
