"""Saved settings as hostile input: Open recent reads and shows at most its limit, whatever the file holds."""

import json

from hostile_files import SETTINGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from vae_explorer.core.session import Session
from vae_explorer.gui.main_window import MainWindow
from vae_explorer.gui.settings import MAX_RECENT, WindowSettings

HYPOTHESIS = settings(**SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _pairs(n):
    return [{"left": f"/m/a{k}.pt", "right": f"/m/b{k}.pt", "data": "digits"} for k in range(n)]


@HYPOTHESIS
@given(n=st.integers(0, 60), junk=st.lists(st.sampled_from([None, 3, "x", {"left": 1}]), max_size=5))
def test_open_recent_reads_at_most_its_limit_whatever_the_file_holds(tmp_path, n, junk):
    ini = tmp_path / "settings.ini"
    ini.unlink(missing_ok=True)
    raw = QSettings(str(ini), QSettings.Format.IniFormat)
    raw.setValue("recent_pairs", json.dumps(junk + _pairs(n)))
    raw.sync()
    pairs = WindowSettings(QSettings(str(ini), QSettings.Format.IniFormat)).recent_pairs()
    assert pairs == _pairs(n)[:MAX_RECENT]


def test_the_recent_menu_shows_eight_pairs_of_a_file_holding_a_hundred_thousand(qtbot, tmp_path):
    ini = tmp_path / "settings.ini"
    raw = QSettings(str(ini), QSettings.Format.IniFormat)
    raw.setValue("recent_pairs", json.dumps(_pairs(100_000)))
    raw.sync()
    window = MainWindow(Session("cpu"), QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert [a.text() for a in window.recent_menu.actions()] == [f"a{k}.pt + b{k}.pt on digits" for k in range(8)]
    window.close()
    kept = QSettings(str(ini), QSettings.Format.IniFormat).value("recent_pairs")
    assert json.loads(kept) == _pairs(MAX_RECENT)  # the file is healed: the next launch reads eight
