"""One row of the claims table: a claim, its number for each model, what the number means, and the answer."""

from __future__ import annotations

from dataclasses import dataclass

from .measures import compare

# What the comparison of the two numbers says about the lecture's claim (the right-hand model should be ahead).
OUTCOMES = ("shows", "level", "reversed", "not measured")


@dataclass(frozen=True)
class ClaimRow:
    """The measured row of claim ``number`` (1 to 7), left model against right (AE against VAE).

    ``cells``: each model's numbers as shown; ``values``: the headline number of each
    (``None`` where not measured); ``meaning``: what the numbers are and which way is
    better; ``outcome``: one of :data:`OUTCOMES`; ``verdict``: a sentence saying what the
    numbers show; ``notes``: further lines (a second measurement, where the claim holds).
    """

    number: int
    name: str
    claim: str
    heads: tuple[str, str]
    cells: tuple[str, str]
    meaning: str
    outcome: str
    verdict: str
    values: tuple[float | None, float | None] = (None, None)
    notes: tuple[str, ...] = ()

    @property
    def shows(self) -> bool | None:
        """Whether the numbers show the lecture's claim (``None``: not measured)."""
        return None if self.outcome == "not measured" else self.outcome == "shows"

    @property
    def answer(self) -> str:
        """``yes``, ``no: level``, ``no: AE ahead`` or ``not measured``: the table's last column."""
        if self.outcome == "reversed":
            return f"no: {self.heads[0]} ahead"
        return {"shows": "yes", "level": "no: level"}.get(self.outcome, self.outcome)

    def lesson_text(self) -> str:
        """What the Lesson bar shows: the numbers side by side, what they mean, and whether they show the claim."""
        numbers = f"{self.heads[0]} {self.cells[0]} | {self.heads[1]} {self.cells[1]}"
        return " ".join(
            [
                f"Measured: {numbers}.",
                f"({self.meaning}.)",
                f"Shows the claim: {self.answer}.",
                self.verdict,
                *self.notes,
            ]
        )


def outcome_of(left: float, right: float, lower_is_better: bool = True) -> str:
    """The outcome of two headline numbers: ``shows`` when the right-hand one is better by more than the margin."""
    return {"right": "shows", "level": "level", "left": "reversed"}[compare(left, right, lower_is_better)]


def judge(
    heads: tuple[str, str], values: tuple[float, float], ahead: str, level: str, lower_is_better: bool = True
) -> tuple[str, str]:
    """The outcome of two headline numbers and its sentence -> ``(outcome, verdict)``.

    The sentence is ``level`` when they are level, else ``ahead`` with ``{better}``,
    ``{worse}`` and ``{ratio}`` filled, whichever model is ahead
    (``The {better}'s samples are {ratio} closer ...``).
    """
    outcome = outcome_of(values[0], values[1], lower_is_better)
    if outcome == "level":
        return outcome, level
    better, worse = (heads[1], heads[0]) if outcome == "shows" else heads
    return outcome, ahead.format(better=better, worse=worse, ratio=ratio_text(*values))


def ratio_text(left: float, right: float) -> str:
    """``2.3x`` (the larger over the smaller), or ``-`` where it has no meaning."""
    small, large = sorted((abs(left), abs(right)))
    if not (small > 0 and large < float("inf")):
        return "-"
    ratio = large / small
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def not_measured(number: int, name: str, claim: str, heads: tuple[str, str], why: str) -> ClaimRow:
    """A row that cannot be measured on these models or data, saying why."""
    return ClaimRow(number, name, claim, heads, ("-", "-"), why, "not measured", f"Not measured: {why}.")
