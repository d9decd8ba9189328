"""Saved settings, file names and data folders as hostile input: Open recent stays short, names that are not
UTF-8 are written safely, and a data folder without IDX files is never replaced by other data."""

import json

from helpers import assert_one_line_error, run_cli, write_idx_set
from hostile_files import SETTINGS, assert_one_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from PySide6.QtCore import QSettings

from vae_explorer.core.io.projector import write_projector_tsv
from vae_explorer.core.session import Session
from vae_explorer.gui.shell.main_window import MainWindow
from vae_explorer.gui.shell.settings import MAX_RECENT, WindowSettings

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
    assert [a.text() for a in window.open_commands.recent_menu.actions()] == [
        f"a{k}.pt + b{k}.pt on digits" for k in range(8)
    ]
    window.close()
    kept = QSettings(str(ini), QSettings.Format.IniFormat).value("recent_pairs")
    assert json.loads(kept) == _pairs(MAX_RECENT)  # the file is healed: the next launch reads eight


@HYPOTHESIS
@given(names=st.lists(st.binary(min_size=1, max_size=12), min_size=1, max_size=6))
def test_file_names_that_are_not_utf8_are_written_to_metadata_safely(tmp_path, names):
    # a file name's bytes as Python holds them (surrogate escapes for bytes that are not UTF-8)
    texts = [name.replace(b"/", b"_").decode("utf-8", "surrogateescape") for name in names]
    folder = tmp_path / "proj"
    write_projector_tsv(folder, [[0.0, 1.0, 2.0]] * len(texts), columns={"file": texts})
    rows = (folder / "metadata.tsv").read_bytes().decode("utf-8").splitlines()  # valid UTF-8, whatever the names
    assert len(rows) == len(texts) + 1


def test_embed_tsv_of_a_folder_with_names_that_are_not_utf8(capsys, tmp_path, checkpoints_dir):
    folder = tmp_path / "shots"
    for label in ("a", "b"):
        (folder / label).mkdir(parents=True)
        for k in range(3):
            name = (b"caf\xe9-%d.png" % k).decode("utf-8", "surrogateescape")  # Latin-1, as an old camera wrote it
            Image.new("L", (8, 8), 40 * k).save(folder / label / name)
    out = tmp_path / "proj"
    rc, _, err = run_cli(capsys, "embed", checkpoints_dir / "digits-vae.pt", "--data", folder, "--tsv", out)
    assert rc == 0 and "Traceback" not in err, err
    metadata = (out / "metadata.tsv").read_text(encoding="utf-8")
    assert "caf\\xe9-0.png" in metadata  # the byte that is not UTF-8, shown as itself


def test_a_data_dir_without_idx_files_is_refused_never_replaced(capsys, tmp_path, monkeypatch, checkpoints_dir):
    other = tmp_path / "other"
    write_idx_set(other / "fashion-mnist", n=20, split="test")  # data the search would find
    monkeypatch.setenv("VAE_EXPLORER_DATA", str(other))
    empty = tmp_path / "my-data"
    empty.mkdir()
    (empty / "README.txt").write_text("the IDX files were never copied here")
    ckpt = checkpoints_dir / "fashion-vae.pt"
    out = tmp_path / "codes.npz"
    rc, _, err = run_cli(capsys, "embed", ckpt, "--data", "fashion-mnist", "--data-dir", empty, "--out", out)
    assert_one_line_error(rc, err, rf"data folder {empty}: holds no fashion-mnist IDX files")
    assert not out.exists()
    recipe = tmp_path / "r.json"
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": [str(ckpt)], "keys": [0, 1]}
    recipe.write_text(
        json.dumps({**blob, "frames": 4, "method": "lerp", "data": "fashion-mnist", "data_dir": "my-data"})
    )
    rc, _, err = run_cli(capsys, "morph", "--recipe", recipe, "--out", tmp_path / "m.gif", "--allow-outside-keys")
    assert_one_line_error(rc, err, r"data folder .*my-data: holds no fashion-mnist IDX files")
    assert not (tmp_path / "m.gif").exists()
    rc, _, err = run_cli(capsys, "embed", ckpt, "--data", "fashion-mnist", "--out", out)  # no folder named: searched
    assert rc == 0, err
    assert_one_line(err.strip() or "-", "")
