"""Saved settings that heal themselves: an unreadable value is dropped with a note, never a crash at launch;
Open recent holds absolute paths of pairs that opened."""

import json

from PySide6.QtCore import QSettings

from vae_explorer.core.session import Session
from vae_explorer.gui.shell.main_window import MainWindow


def launch(qtbot, ini):
    window = MainWindow(Session("cpu"), QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_unreadable_settings_are_dropped_with_a_note(qtbot, tmp_path):
    ini = tmp_path / "settings.ini"
    ini.write_text("[General]\nrecent_pairs=null\ngeometry=garbage\nexplorer_state=12\n")
    w = launch(qtbot, ini)
    assert not w.open_commands.recent_menu.isEnabled() and w.open_commands.recent_pairs() == []
    note = w.status_text.text()
    assert "saved settings that could not be read were reset" in note
    assert all(key in note for key in ("recent_pairs", "geometry", "explorer_state"))
    docks = {"sliders", "samples", "neighbours", "attributes", "selection", "morph", "lessons"}
    assert set(w.explorer.docks) == docks and not w.explorer.docks["sliders"].isFloating()  # the first-launch layout
    w.close()
    saved = QSettings(str(ini), QSettings.Format.IniFormat)
    assert not saved.contains("recent_pairs")  # gone from the file: the next launch is clean
    again = launch(qtbot, ini)
    assert "could not be read" not in again.status_text.text()


def test_recent_pairs_keep_the_readable_entries(qtbot, tmp_path):
    good = {"left": "/models/a.pt", "right": "/models/b.pt", "data": "digits"}
    ini = tmp_path / "settings.ini"
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    settings.setValue("recent_pairs", json.dumps([good, {"left": 3}, "x", None]))
    settings.sync()
    w = launch(qtbot, ini)
    assert w.open_commands.recent_pairs() == [good]
    assert [a.text() for a in w.open_commands.recent_menu.actions()] == ["a.pt + b.pt on digits"]
    assert "recent_pairs" in w.status_text.text()


def test_open_recent_holds_absolute_paths_of_pairs_that_opened(
    make_window, digits_pair, digits_pair_2d, tmp_path, qtbot, monkeypatch
):
    monkeypatch.chdir(digits_pair[0].parent)
    w = make_window(None, wait=False)
    w.open_pair(digits_pair[0].name, digits_pair[1].name, "digits")  # relative paths
    qtbot.waitUntil(w.is_settled, timeout=30_000)
    w.open_pair(digits_pair[0].name, "no-such-file.pt", "digits")  # fails: not remembered
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    w.open_pair(str(digits_pair_2d[0]), str(digits_pair_2d[1]), "digits")
    qtbot.waitUntil(lambda: w.open_commands.pair == tuple(map(str, digits_pair_2d)) and w.is_settled(), timeout=30_000)
    assert w.open_commands.recent_pairs() == [
        {"left": str(digits_pair_2d[0]), "right": str(digits_pair_2d[1]), "data": "digits"},
        {"left": str(digits_pair[0]), "right": str(digits_pair[1]), "data": "digits"},
    ]
    monkeypatch.chdir(tmp_path)  # from anywhere, Open recent opens the same files
    w.open_commands.recent_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: w.open_commands.pair == tuple(map(str, digits_pair)) and w.is_settled(), timeout=30_000)
    assert not w.messages.text()
