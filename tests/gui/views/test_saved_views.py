"""Saved views through the real window: saved, opened again in a new window, refused when hostile."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtGui import QImage
from windows import settle_layout, settled_with_maps

from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.session import SLOTS


def map_images(window) -> dict[str, QImage]:
    settle_layout(window)
    return {slot: window.explorer.maps[slot].grab().toImage() for slot in SLOTS}


def test_a_saved_view_reopened_in_a_new_window_gives_the_same_maps(make_window, digits_pair, qtbot, tmp_path):
    first = make_window(digits_pair)
    s = first.session
    s.select(7)
    s.attributes.set_selection("A", np.arange(20, 60))
    s.marks.set_hidden([3])
    s.move_cursor(SLOTS[1], s.projection(SLOTS[1]).points[12] * 0.5)
    x, y, w, h = first.explorer.maps[SLOTS[0]].range.region()
    first.explorer.maps[SLOTS[0]].show_region((x + w / 4, y + h / 4, w / 2, h / 2))
    s.morph.set_start(MorphKey(1))
    s.morph.set_end(MorphKey(2))
    qtbot.waitUntil(lambda: settled_with_maps(first), timeout=30_000)
    path = tmp_path / "view.json"
    assert first.view_commands.save(path)
    saved = json.loads(path.read_text())
    assert saved["selected"] == 7 and saved["hidden"] == [3] and saved["morph_keys"] == [1, 2]

    second = make_window(None, wait=False)
    assert second.views.open_file(path, allow_outside=True)  # the test's checkpoints lie in another folder
    qtbot.waitUntil(lambda: settled_with_maps(second) and second.views.pending is None, timeout=30_000)
    qtbot.waitUntil(lambda: settled_with_maps(second), timeout=30_000)
    assert second.session.selection == 7 and second.session.marks.hidden == frozenset({3})
    assert [k.index for k in second.session.morph.chain()] == [1, 2]
    before, after = map_images(first), map_images(second)
    for slot in SLOTS:
        assert before[slot].size() == after[slot].size()
        assert before[slot] == after[slot], f"the {slot} map differs"


def test_a_view_naming_a_model_outside_its_folder_is_refused_and_nothing_changes(make_window, digits_pair, tmp_path):
    window = make_window(digits_pair)
    path = tmp_path / "view.json"
    assert window.view_commands.save(path)
    shown = [window.session.slots[slot].model for slot in SLOTS]
    assert not window.views.open_file(path)  # the checkpoints lie outside tmp_path
    assert f"{path}: checkpoint" in window.messages.text() and "--allow-outside" in window.messages.text()
    assert [window.session.slots[slot].model for slot in SLOTS] == shown


def test_a_broken_view_gets_one_line_naming_the_file_and_the_field(make_window, digits_pair, tmp_path, qtbot):
    window = make_window(digits_pair)
    good = tmp_path / "good.json"
    assert window.view_commands.save(good)
    blob = json.loads(good.read_text())
    selected = window.session.selection
    for field, value, said in (
        ("selected", "seven", "selected is 'seven'"),
        ("zoom", {"left": [0, 0, -1, 1]}, "zoom.left"),
        ("cursors", {"left": {"z": [1.0, "x"]}}, "cursors.left.z[1]"),
        ("view", "umap-of-doom", "view is 'umap-of-doom'"),
    ):
        bad = tmp_path / f"bad-{field}.json"
        bad.write_text(json.dumps({**blob, field: value}))
        assert not window.views.open_file(bad, allow_outside=True)
        text = window.messages.text()
        assert text.startswith(f"{bad}: invalid view: ") and said in text and "\n" not in text
    bad = tmp_path / "too-far.json"
    bad.write_text(json.dumps({**blob, "selected": 10**6}))
    assert not window.views.open_file(bad, allow_outside=True)  # checked against the data on show
    assert f"{bad}: selected is sample 1000000" in window.messages.text()
    assert window.session.selection == selected
    (tmp_path / "junk.json").write_text("{not json")
    assert not window.views.open_file(tmp_path / "junk.json")
    assert str(tmp_path / "junk.json") in window.messages.text()


def test_bookmarks_menu_goes_to_renames_and_removes(make_window, digits_pair, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    w = make_window(digits_pair)
    s = w.session
    s.select(5)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    assert w.view_commands.add_bookmark("fives")
    assert (tmp_path / "config" / "vae-explorer" / "bookmarks.json").is_file()
    s.select(9)

    def entries(menu):
        menu.aboutToShow.emit()
        return {a.text(): a for a in menu.actions() if a.menu() is not None}

    (sub,) = entries(w.bookmarks_menu).values()
    actions = {a.text(): a for a in sub.menu().actions()}
    actions["&Go to"].trigger()
    qtbot.waitUntil(lambda: s.selection == 5 and w.views.pending is None, timeout=10_000)
    assert w.view_commands.rename("fives", "five")
    assert list(entries(w.bookmarks_menu)) == ["five"]
    {a.text(): a for a in entries(w.bookmarks_menu)["five"].menu().actions()}["Re&move"].trigger()
    assert entries(w.bookmarks_menu) == {}
