"""The lessons as data: seven, numbered, each naming shipped files, a view, a sample, known overlays and docks."""

import pytest

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.latent.projection import VIEWS
from vae_explorer.core.lessons import DOCKS, LESSONS, OVERLAYS, lesson


def test_seven_lessons_each_complete():
    assert [item.number for item in LESSONS] == list(range(1, 8))
    for item in LESSONS:
        assert item.view in VIEWS and item.overlays and set(item.overlays) <= set(OVERLAYS)
        assert all(name.endswith(".pt") for name in item.files) and item.data in ("fashion-mnist", "faces")
        assert 2 <= len(item.text) <= 3 and all(sentence.endswith(".") for sentence in item.text)
        assert ("vector" in item.overlays) == bool(item.vector) and ("morph" in item.overlays) == bool(item.morph)
        assert set(item.docks) <= set(DOCKS) and 0 <= item.share < 0.6 and (item.share > 0) == bool(item.docks)
        assert item.also is None or all(name.endswith(".pt") for name in item.also)
        assert lesson(item.number) is item


def test_the_lessons_that_show_samples_open_samples_and_the_morph_its_dock():
    for item in LESSONS:
        shows_samples = bool({"posterior", "prior"} & set(item.overlays))
        assert ("samples" in item.docks) == shows_samples
        assert ("morph" in item.docks) == ("morph" in item.overlays) and ("attributes" in item.docks) == bool(
            item.vector
        )


@pytest.mark.parametrize("number", [0, 8, -1])
def test_a_lesson_out_of_range_is_refused_in_one_line(number):
    with pytest.raises(VaeExplorerError, match=f"no lesson {number}: lessons are numbered 1 to 7"):
        lesson(number)


def test_a_lesson_says_which_shipped_files_it_needs(tmp_path, checkpoints_dir):
    item = lesson(6)
    assert item.needs(tmp_path) == f"needs the shipped faces-ae.pt and faces-vae.pt, not found in {tmp_path}"
    (tmp_path / "faces-ae.pt").write_bytes(b"")
    assert item.missing(tmp_path) == ["faces-vae.pt"]
    assert lesson(1).needs(checkpoints_dir) == ""  # the 2-D Fashion-MNIST pair ships
