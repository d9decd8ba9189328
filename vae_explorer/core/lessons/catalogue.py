"""The lessons: seven claims of the lecture, each a window state that shows it and a few sentences on what to see.

Plain data, no Qt: what to open (two shipped checkpoints and a data set), the
map view, the sample to select, the overlays to turn on, the docks to open, and
the text. The explorer applies one (Help > Lessons, ``vae-explorer --lesson N``);
a test can read what each should look like without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vae_explorer.core.errors import VaeExplorerError

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
            "Both maps are the 2-D latent planes themselves, tiled with what each decoder draws at each place "
            "(the data's codes are hidden under the tiles: Hide points shows them).",
            "The AE's cursor sits in the empty space between two arms of its codes: below, it decodes a smudge that "
            "is no garment, far from any data code, while the VAE's cursor, at the same place among the data, "
            "decodes a sandal.",
            "Drag a cursor across the gaps and watch its decoded image.",
        ),
        point=(0.0, -10.0),  # between the AE's trousers and sandals
    ),
    Lesson(
        2,
        "A VAE maps an image to a cloud",
        *FASHION_2D,
        "fashion-mnist",
        "latent",
        1082,  # trousers whose draws differ visibly (legs apart or together): among the largest spreads of draws
        ("posterior",),
        (
            "The VAE encodes the selected trousers not to a point but to a Gaussian q(z|x): on its map, zoomed in "
            "(Home shows all), the ring is the cloud's 1-sigma ellipse and the dots are 12 draws from it.",
            "Samples decodes those draws: trousers, some with the legs apart and some with them together, almost a "
            "dress: variations of the one image. The AE has no cloud, only its point.",
        ),
        docks=("samples",),
        share=0.36,
        draws=12,
        zoom=3.0,
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
            "The dashed circles are the prior N(0, I) at 1 and 2 sigma; the KL term charges the VAE for every code "
            "far from them and every cloud narrower than them.",
            "Move the epoch slider to replay the VAE's training: its codes stay inside the circles from the first "
            "epoch while its classes part. The AE has no KL term and nothing holds its codes near the origin: mind "
            "its axes, tens, not ones, and the spread beside the slider.",
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
            "Left a VAE with beta 1, right one with beta 4, on the same faces: the decoded cursors are their "
            "reconstructions of the selected face, and beta 4 pays for its heavier KL term in detail.",
            "The Latent sliders list the KL of each dimension (choose the model above them): count the dimensions "
            "each keeps active, and read the MIG in the map titles, how cleanly one dimension carries one factor.",
        ),
        docks=("sliders",),
        share=0.22,
        holds="The step from beta 1 to beta 4 does not show the trade on these faces; from no KL term (the AE, "
        "beta 0) to beta 1 it does:",
        also=FACES,
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
            "Samples decodes the same codes z ~ N(0, I) with both models.",
            "The VAE was trained to make the prior's codes mean something, and draws clothes; the AE's codes never "
            "lived there, and it draws ghosts and smudges.",
        ),
        docks=("samples",),
        share=0.42,
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
            "the selected unsmiling face plus alpha 1.5 times it.",
            "The traversal grid in Attributes shows alpha 0, the face itself, beside alpha 1.5, the AE's pair left "
            "and the VAE's right: the mouth should turn to a smile and little else change.",
        ),
        docks=("attributes",),
        share=0.46,
        decoded=False,
        holds="Here the AE's smile vector is as clean as the VAE's or cleaner: adding a vector to the codes is not "
        "what sets the two apart. Compare alpha 0 with alpha 1.5 in the grid, for each model.",
        vector="column:Smiling",
        alpha=1.5,
    ),
    Lesson(
        7,
        "Morphing: from trousers to an ankle boot",
        *FASHION_2D,
        "fashion-mnist",
        "latent",
        2612,
        ("morph",),
        (
            "The Morph dock walks a straight line from the code of a pair of trousers (A) to an ankle boot's (B) and "
            "decodes nine steps, one row per model; the line is drawn on both maps.",
            "The AE's line crosses the empty space between its classes, and its middle frames break into smudges; "
            "the VAE's stays on its data, through sandals and shoes to the boot.",
        ),
        docks=("morph",),
        share=0.42,
        decoded=False,
        holds="Random pairs mostly join nearby images; the lecture's picture is a line across a gap between classes, "
        "like this pair: the second measurement, Trouser to Ankle boot, over many such pairs.",
        # among 300 seeded trouser -> ankle boot pairs, one whose AE line strays farthest from its data (20 times
        # the codes' spacing) while the VAE's stays near it (2 times), its AE frames broken in the middle
        morph=(2612, 2664),
        frames=9,
    ),
)


def lesson(number: int) -> Lesson:
    """Lesson ``number`` (1 to 7); a :class:`VaeExplorerError` for any other number."""
    if not 1 <= number <= len(LESSONS):
        raise VaeExplorerError(f"no lesson {number}: lessons are numbered 1 to {len(LESSONS)}")
    return LESSONS[number - 1]
