"""The seven claims by number, the whole table, and the table as text or Markdown."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.loaded import Network

from .decodes import morph, prior_samples
from .factors import arithmetic, beta
from .inputs import ClaimInputs, Progress, step
from .row import ClaimRow
from .space import clouds, gaps, kl_pull

Claim = Callable[[Network, Network, ClaimInputs, Progress | None], ClaimRow]
CLAIMS: dict[int, Claim] = {1: gaps, 2: clouds, 3: kl_pull, 4: beta, 5: prior_samples, 6: arithmetic, 7: morph}


def claim_row(
    number: int, left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None
) -> ClaimRow:
    """Measure claim ``number`` (1 to 7, the lessons' numbers) on ``left`` (the AE) and ``right`` (the VAE).

    The one call per lesson: ``inputs`` from :func:`~.inputs.prepare_inputs` (or made
    with the codes the explorer already has); the result's :meth:`ClaimRow.lesson_text`
    is the Lesson bar's text. Pure and Qt-free, a second to a minute on a CPU: run it
    on a worker, with ``progress(fraction, text)`` if wanted.
    """
    if number not in CLAIMS:
        raise VaeExplorerError(f"no claim {number}: claims are numbered 1 to {len(CLAIMS)}")
    return CLAIMS[number](left, right, inputs, progress)


def claims_table(
    left: Network, right: Network, inputs: ClaimInputs, progress: Progress | None = None
) -> list[ClaimRow]:
    """All seven rows, in order (what ``vae-explorer evaluate --ae A --vae B`` prints)."""
    rows = []
    for k, number in enumerate(CLAIMS):
        rows.append(claim_row(number, left, right, inputs, step(progress, k / len(CLAIMS), (k + 1) / len(CLAIMS))))
    return rows


def _wrap(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent)


def format_text(rows: list[ClaimRow], width: int = 118) -> str:
    """The table as plain text: per claim one line of numbers, then what they mean and what they show, indented."""
    heads = rows[0].heads
    w = max(len(c) for r in rows for c in (*r.cells, *heads)) + 2
    lines = [f"{'claim':<16}{heads[0]:<{w}}{heads[1]:<{w}}shows the lecture's claim?"]
    for r in rows:
        lines.append(f"{r.number} {r.name:<14}{r.cells[0]:<{w}}{r.cells[1]:<{w}}{r.answer}")
        for text in (r.verdict, *r.notes, f"({r.meaning})"):
            lines += _wrap(text, "    ", width)
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def format_markdown(rows: list[ClaimRow]) -> str:
    """The table in Markdown: claim, each model's numbers, what they mean, and whether they show the claim."""
    heads = rows[0].heads
    lines = [
        f"| claim | {heads[0]} | {heads[1]} | what the numbers mean | shows the lecture's claim? |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        said = " ".join([r.answer + ".", r.verdict, *r.notes])
        lines.append(
            f"| {r.number} {r.name} | {_cell(r.cells[0])} | {_cell(r.cells[1])} | {_cell(r.meaning)} | {_cell(said)} |"
        )
    return "\n".join(lines)
