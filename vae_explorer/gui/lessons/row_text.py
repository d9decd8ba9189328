"""The Lesson bar's measured row, as rich text: both models' numbers, the answer, what they mean, where it holds."""

from __future__ import annotations

from vae_explorer.core.evaluation.claims import ClaimRow
from vae_explorer.core.lessons.measured import LessonRows
from vae_explorer.gui.widgets.palette import MUTED, NOTE

from ..widgets.text import markup


def numbers(row: ClaimRow) -> str:
    """``AE 115 (recon 35.8) · VAE 72.8 (recon 40.4) · shows the claim: yes.``, the numbers in bold."""
    cells = " · ".join(f"{markup(h)} <b>{markup(c)}</b>" for h, c in zip(row.heads, row.cells, strict=True))
    return f"{cells} · shows the claim: <b>{markup(row.answer)}</b>."


def plainly(row: ClaimRow) -> str:
    """A row that does not show the claim, said in so many words ('' for one that does, or is not measured)."""
    if row.outcome == "level":
        return "On these models this measure does not show the claim: the two are level."
    if row.outcome == "reversed":
        return f"On these models this measure does not show the claim: the {row.heads[0]} is ahead."
    return ""


def row_html(rows: LessonRows, holds: str = "") -> str:
    """The measured row(s) of a lesson: numbers, verdict, notes, then what the numbers are, muted.

    Where the row does not show the claim, the bar says so and ``holds`` says where it
    does hold, followed by the lesson's second pair's row when there is one.
    """
    row = rows.row
    said = " ".join(markup(t) for t in (row.verdict, *row.notes))
    parts = [f"<b>Measured:</b> {numbers(row)} {said}"]
    caveat = plainly(row)
    if caveat:
        parts[0] += f" <span style='color:{NOTE}'><b>{markup(caveat)}</b></span> {markup(holds)}"
    if rows.also is not None:
        also = rows.also
        where = " ".join(markup(t) for t in (also.verdict, *also.notes))
        parts.append(f"<b>Measured there:</b> {numbers(also)} {where}")
    parts.append(f"<span style='color:{MUTED}; font-size:small'>({markup(row.meaning)}.)</span>")
    return "<br>".join(parts)
