"""The lessons as data: seven, numbered, each naming shipped files, a view, a sample and known overlays."""

import pytest

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.latent.projection import VIEWS
from vae_explorer.core.lessons import LESSONS, OVERLAYS, lesson


def test_seven_lessons_each_complete():
    assert [item.number for item in LESSONS] == list(range(1, 8))
    for item in LESSONS:
        assert item.view in VIEWS and item.overlays and set(item.overlays) <= set(OVERLAYS)
        assert all(name.endswith(".pt") for name in item.files) and item.data in ("fashion-mnist", "faces")
        assert 2 <= len(item.text) <= 3 and all(sentence.endswith(".") for sentence in item.text)
        assert ("vector" in item.overlays) == bool(item.vector) and ("morph" in item.overlays) == bool(item.morph)
        assert lesson(item.number) is item


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
