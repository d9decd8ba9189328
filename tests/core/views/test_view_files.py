"""Saved view files: written and read back the same, checked field by field, confined to their folder."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_explorer.core.errors import DataError
from vae_explorer.core.io.resources import resource
from vae_explorer.core.lessons.catalogue import LESSONS, load_lessons
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.views import Cursor, SavedVector, ViewState, load_view, save_view
from vae_explorer.core.views.bookmarks import Bookmarks

finite = st.floats(-1e6, 1e6, allow_nan=False)
views = st.builds(
    ViewState,
    models=st.just({"left": "a.pt", "right": "b.pt"}),
    data=st.sampled_from(["digits", "fashion-mnist"]),
    view=st.sampled_from(["pca", "tsne", "latent"]),
    zoom=st.dictionaries(st.sampled_from(["left", "right"]), st.tuples(finite, finite, st.just(2.0), st.just(3.0))),
    selected=st.none() | st.integers(0, 1000),
    groups=st.dictionaries(st.sampled_from(["A", "B"]), st.lists(st.integers(0, 1000), max_size=20).map(tuple)),
    cursors=st.dictionaries(
        st.sampled_from(["left", "right"]), st.builds(Cursor, z=st.lists(finite, min_size=1, max_size=8).map(tuple))
    ),
    linked=st.booleans(),
    vectors=st.lists(st.builds(SavedVector, st.text(max_size=10), st.just("class:1-rest")), max_size=2).map(tuple),
    alpha=finite,
    morph_keys=st.lists(st.integers(0, 100), max_size=4).map(tuple),
    hidden=st.lists(st.integers(0, 9), max_size=3).map(tuple),
    isolated=st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(state=views)
def test_a_view_reads_back_as_it_was_written(state, tmp_path_factory):
    folder = tmp_path_factory.mktemp("view")
    for name in ("a.pt", "b.pt"):
        (folder / name).write_bytes(b"")
    state = replace(state, models={slot: str(folder.resolve() / p) for slot, p in state.models.items()})
    save_view(folder / "v.json", state)
    assert json.loads((folder / "v.json").read_text())["models"] == {"left": "a.pt", "right": "b.pt"}
    back = load_view(folder / "v.json")
    assert back.models == state.models
    assert back.to_json() | {"models": {}} == state.to_json() | {"models": {}}


def test_paths_outside_the_view_folder_are_refused_unless_allowed(tmp_path):
    inside = tmp_path / "share"
    inside.mkdir()
    (tmp_path / "m.pt").write_bytes(b"")
    (inside / "v.json").write_text(
        json.dumps({"format": "vae-explorer-view", "format_version": 1, "models": {"left": "../m.pt", "right": "x.pt"}})
    )
    with pytest.raises(DataError, match=r"v\.json: checkpoint '\.\./m\.pt' lies outside the view's folder; open it"):
        load_view(inside / "v.json")
    opened = load_view(inside / "v.json", allow_outside=True).models["left"]
    assert Path(opened).resolve() == (tmp_path / "m.pt").resolve()


def test_shipped_checkpoints_are_named_not_reached(tmp_path):
    blob = {"format": "vae-explorer-view", "format_version": 1, "models": {"left": "shipped:digits-ae.pt"}}
    (tmp_path / "v.json").write_text(json.dumps(blob))
    assert load_view(tmp_path / "v.json").models["left"] == str(checkpoints_dir() / "digits-ae.pt")
    blob["models"]["left"] = "shipped:../../etc/passwd"
    (tmp_path / "v.json").write_text(json.dumps(blob))
    with pytest.raises(DataError, match="names no shipped checkpoint"):
        load_view(tmp_path / "v.json")


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("format_version", 99, "view format 99 is newer"),
        ("hidden", [1, -2], "hidden[1] is -2"),
        ("groups", {"C": [1]}, "groups.C is 'C'"),
        ("cursors", {"left": {"z": [1], "point": [0, 0]}}, "cursors.left is"),
        ("alpha", float("inf"), "alpha is inf"),
        ("linked", "yes", "linked is 'yes', not true or false"),
        ("vectors", [{"name": "v", "groups": "pixel:mean"}], "vectors[0].groups: --attribute 'pixel:mean'"),
    ],
)
def test_a_hostile_view_is_one_line_naming_the_file_and_field(tmp_path, field, value, said):
    blob = {"format": "vae-explorer-view", "format_version": 1, field: value}
    (tmp_path / "v.json").write_text(json.dumps(blob))
    with pytest.raises(DataError) as caught:
        load_view(tmp_path / "v.json")
    assert str(caught.value).startswith(str(tmp_path / "v.json")) and said in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_lessons_are_the_shipped_view_files_and_a_teacher_can_add_an_eighth(tmp_path):
    for path in resource("lessons").glob("lesson-*.json"):
        shutil.copy(path, tmp_path / path.name)
    eighth = json.loads((tmp_path / "lesson-5.json").read_text())
    eighth["selected"] = 3
    eighth["lesson"] = {"title": "Prior samples again", "text": ["Look at the samples."], "overlays": ["prior"]}
    (tmp_path / "lesson-8.json").write_text(json.dumps(eighth))
    (tmp_path / "lesson-9.json").write_text(json.dumps({**eighth, "lesson": {"title": "x", "text": "oops"}}))
    lessons, problems = load_lessons(tmp_path)
    assert lessons[:7] == LESSONS
    assert (
        lessons[7].heading == "8. Prior samples again"
        and lessons[7].select == 3
        and lessons[7].files
        == (
            "fashion-ae.pt",
            "fashion-vae.pt",
        )
    )
    assert problems == [f"{tmp_path / 'lesson-9.json'}: invalid lesson: lesson.text is 'oops', not a list of texts"]


def test_bookmarks_are_added_renamed_and_removed(tmp_path):
    marks = Bookmarks(tmp_path / "config" / "bookmarks.json")  # a folder that is not there yet
    (tmp_path / "a.pt").write_bytes(b"")
    state = ViewState(models={"left": str(tmp_path / "a.pt"), "right": str(tmp_path / "a.pt")}, selected=4)
    marks.add("first", state)
    marks.add("second", ViewState(models=state.models, selected=5))
    assert marks.rename("first", "one") == "one"
    assert marks.names() == ["one", "second"]
    assert marks.view("one").selected == 4
    with pytest.raises(DataError, match="exists already"):
        marks.rename("one", "second")
    marks.remove("one")
    assert marks.names() == ["second"]
