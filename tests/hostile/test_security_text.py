"""Text from files shown as text: no markup in the window, no escapes on the terminal, no formulas in exports."""

import io
import unicodedata

import numpy as np
import torch
from helpers import run_cli
from hostile_files import SETTINGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QWidget

from vae_explorer.core.io.projector import projector_files
from vae_explorer.core.session import Session
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.main_window import MainWindow

HYPOTHESIS = settings(**{**SETTINGS, "max_examples": 25}, suppress_health_check=[HealthCheck.function_scoped_fixture])
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m\r\u202egnp.exe\u200b"  # clear screen, set title, bell, CSI, CR, RLO
HOSTILE = "<u>hostile & <img src=x>"  # a file name: no slash


def hidden(text: str) -> list[str]:
    """Characters a terminal would act on, or that reorder or hide text: every one but the line break."""
    return [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


def with_metadata(path, checkpoints_dir, **meta):
    blob = torch.load(io.BytesIO((checkpoints_dir / "digits-vae.pt").read_bytes()), weights_only=True)
    blob["metadata"].update(meta)
    torch.save(blob, path)
    return path


@HYPOTHESIS
@given(text=st.text(st.characters(codec="utf-8"), max_size=12).map(lambda t: t + ESCAPES))
def test_info_shows_metadata_without_letting_the_terminal_act_on_it(capsys, tmp_path, checkpoints_dir, text):
    ckpt = with_metadata(tmp_path / "m.pt", checkpoints_dir, created=text, device=text, version=text)
    rc, out, err = run_cli(capsys, "info", ckpt)
    assert rc == 0, err
    assert hidden(out + err) == [], (out, err)
    assert "\\x1b[2J" in out and "\\u202e" in out  # shown, as escapes


def test_errors_and_notes_naming_metadata_are_shown_as_escapes(capsys, tmp_path, checkpoints_dir):
    folder = tmp_path / f"images{ESCAPES}"
    (folder / "a").mkdir(parents=True)
    Image.new("L", (8, 8), 100).save(folder / "a" / "x.png")
    ckpt = with_metadata(tmp_path / "m.pt", checkpoints_dir, data=str(folder))
    rc, out, err = run_cli(capsys, "embed", ckpt, "--tsv", tmp_path / "tsv")
    assert rc == 0, err
    assert hidden(out + err) == [] and f"reading {str(folder).encode('unicode_escape').decode()}"[:30] in err
    (folder / "a" / "x.png").unlink()
    rc, out, err = run_cli(capsys, "embed", ckpt, "--out", tmp_path / "codes.npz")
    assert rc == 1 and hidden(out + err) == [], err


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", " =1+1", "=cmd|' /C calc'!A0"]


def test_embed_writes_file_names_that_begin_a_formula_as_inert_text(capsys, tmp_path, checkpoints_dir):
    folder = tmp_path / "faces"
    for k, name in enumerate(FORMULAS):
        (folder / name.replace("/", "_")).mkdir(parents=True)
        Image.new("L", (8, 8), 20 * k).save(folder / name.replace("/", "_") / f"{name.replace('/', '_')}.png")
    ckpt = checkpoints_dir / "digits-vae.pt"
    rc, _, err = run_cli(capsys, "embed", ckpt, "--data", folder, "--split", "all", "--tsv", tmp_path / "tsv")
    assert rc == 0, err
    rows = [line.split("\t") for line in (tmp_path / "tsv" / "metadata.tsv").read_text().splitlines()[1:]]
    cells = [cell for row in rows for cell in row[1:]]
    assert len(cells) == 2 * len(FORMULAS)
    assert all(cell.startswith("'") for cell in cells), cells


@HYPOTHESIS
@given(values=st.lists(st.text(max_size=10), min_size=3, max_size=3))
def test_no_metadata_cell_begins_a_formula_unless_it_is_a_number(values):
    files = projector_files(np.zeros((3, 3), np.float32), columns={"label": values, "=header": ["-1", "+2", "3e5"]})
    for line in files["metadata.tsv"].decode().splitlines():
        for cell in line.split("\t"):
            text = cell.lstrip()
            if text[:1] in ("=", "+", "-", "@"):
                float(text)  # a number; anything else would have been given a leading '


def rich(widget: QWidget, text: str) -> bool:
    """Whether Qt would read ``text`` as markup in ``widget`` (a plain label never does)."""
    if isinstance(widget, QLabel) and widget.textFormat() == Qt.TextFormat.PlainText:
        return False
    return GuiQt.mightBeRichText(text)


def test_the_window_shows_hostile_names_as_text(qtbot, tmp_path, checkpoints_dir):
    make_app()
    names = [f"{HOSTILE} {side}.pt" for side in ("left", "right")]
    for name, shipped in zip(names, ("digits-ae.pt", "digits-vae.pt"), strict=True):
        (tmp_path / name).write_bytes((checkpoints_dir / shipped).read_bytes())
    settings_ = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session("cpu"), settings_)
    qtbot.addWidget(window)
    window.show()
    window.open_pair(str(tmp_path / names[0]), str(tmp_path / names[1]), "digits")
    qtbot.waitUntil(lambda: window.is_settled() and window.session.slots["right"].model is not None, timeout=60_000)
    window.open_model("left", str(tmp_path / f"{HOSTILE} missing.pt"))
    qtbot.waitUntil(lambda: "missing.pt" in window.messages.text(), timeout=30_000)
    shown = 0
    for widget in window.findChildren(QWidget):
        texts = [widget.toolTip()] + ([widget.text()] if isinstance(widget, QLabel) else [])
        for text in texts:
            if "<u>hostile" in text and rich(widget, text):
                raise AssertionError(f"{type(widget).__name__} reads a file's name as markup: {text!r}")
            shown += HOSTILE in text or "&lt;u&gt;hostile" in text
    assert shown >= 3  # the maps' titles, the message bar, the status line...
    assert window.messages.label.textFormat() == Qt.TextFormat.PlainText
