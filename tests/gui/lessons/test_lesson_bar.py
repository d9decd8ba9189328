"""The Lesson bar's measured row, on the shipped digits pair: measured on a worker with progress, then read again.

Each claim's row is the one ``vae-explorer evaluate --ae A --vae B`` prints; the bar
shows it with what its numbers mean, says so when it does not show the claim, and
points to where the claim holds.
"""

import dataclasses
import threading

import lesson_window
import pytest
from lesson_window import settled

from vae_explorer.core.data import load_dataset
from vae_explorer.core.evaluation.claims import claim_row, prepare_inputs
from vae_explorer.core.lessons import Lesson
from vae_explorer.core.session import SLOTS
from vae_explorer.gui.lessons.row_text import row_html

DIGITS = ("digits-ae.pt", "digits-vae.pt")

window = lesson_window.window  # the lessons' window, a fixture


def digits_lesson(number: int, **changes) -> Lesson:
    """A lesson of claim ``number`` on the shipped digits pair (the real lessons open larger data)."""
    item = Lesson(number, f"claim {number}", *DIGITS, "digits", "pca", 0, ("prior",), ("Look.", "Look again."))
    return dataclasses.replace(item, **changes)


@pytest.fixture
def digits_window(window, qtbot, checkpoints_dir):
    window.open_pair(str(checkpoints_dir / DIGITS[0]), str(checkpoints_dir / DIGITS[1]), "digits")
    qtbot.waitUntil(lambda: settled(window), timeout=60_000)
    return window


def measure(w, qtbot, item: Lesson):
    """Show ``item`` in the bar and measure its claim on the pair on show; the bar says it is measuring at once."""
    w.explorer.lesson.show_lesson(item)
    w.lessons.measure.start(item)
    assert "Measuring the lesson's claim on these models" in w.explorer.lesson.measured.text()
    qtbot.waitUntil(lambda: w.lessons.measure.rows is not None and not w.runner.busy(), timeout=120_000)
    return w.lessons.measure.rows


@pytest.mark.parametrize("number", range(1, 8))
def test_the_bar_shows_the_claims_row_as_evaluate_measures_it(digits_window, qtbot, number):
    w = digits_window
    threads = []
    w.runner.sigStarted.connect(lambda task: threads.append(task.thread))
    rows = measure(w, qtbot, digits_lesson(number))
    s = w.session
    ae, vae = (s.slots[slot].model for slot in SLOTS)
    inputs = prepare_inputs(
        ae, vae, s.dataset, load_dataset("digits", "train"), codes=(s.slots["left"].codes, s.slots["right"].codes)
    )
    assert rows.row == claim_row(number, ae, vae, inputs)
    text = w.explorer.lesson.measured.text()
    assert text == row_html(rows) and rows.row.cells[0] in text and rows.row.answer in text
    assert threads and threading.main_thread() not in threads  # measured on a worker


def test_a_second_visit_reads_the_row_from_the_cache(digits_window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # not the module's, where the row is already
    first = measure(digits_window, qtbot, digits_lesson(5))
    again = measure(digits_window, qtbot, digits_lesson(5))
    assert not first.cached and again.cached and again.row == first.row


def test_a_row_that_does_not_show_the_claim_says_so_and_where_it_holds(digits_window, qtbot):
    """On the digits the AE's random morphs are the more realistic: the bar says so, then where the claim holds."""
    item = digits_lesson(7, holds="Look at the morphs that cross a gap between classes.")
    rows = measure(digits_window, qtbot, item)
    text = digits_window.explorer.lesson.measured.text()
    assert rows.row.outcome == "reversed"  # the shipped digits pair: random morphs favour the AE
    assert "On these models this measure does not show the claim: the AE is ahead." in text and item.holds in text
    shows = measure(digits_window, qtbot, digits_lesson(5, holds=item.holds))  # prior samples: the VAE far ahead
    text = digits_window.explorer.lesson.measured.text()
    assert shows.row.shows and "does not show the claim" not in text and item.holds not in text
