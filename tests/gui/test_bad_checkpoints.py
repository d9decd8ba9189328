"""Every kind of bad checkpoint through every way of opening one: a message naming the file, and the
window keeps what it had (or, launched with it, shows the message and settles)."""

import argparse
import math

import pytest
import torch
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog
from trained import write_model

from vae_explorer.gui.shell.app import make_window as launch
from vae_explorer.gui.shell.dialogs import OpenPairDialog


def _variant(folder, good, name, change):
    blob = torch.load(good, weights_only=True)
    change(blob)
    torch.save(blob, folder / name)
    return folder / name


def _nan(blob):
    for tensor in blob["state_dict"].values():
        if tensor.is_floating_point():
            tensor.fill_(math.nan)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, digits_pair):
    """One file per kind of bad checkpoint, each to be opened beside the digits VAE (1x8x8, latent 4)."""
    folder = tmp_path_factory.mktemp("bad")
    good = digits_pair[1]
    truncated = folder / "truncated.pt"
    truncated.write_bytes(good.read_bytes()[:3000])
    text = folder / "notes.pt"
    text.write_text("these are my notes, not a model\n")
    return {
        "missing": folder / "missing.pt",
        "truncated": truncated,
        "not a checkpoint": text,
        "bad config values": _variant(folder, good, "config.pt", lambda b: b["config"].update(widths=[-1])),
        "bad metadata types": _variant(folder, good, "metadata.pt", lambda b: b["metadata"].update(beta="high")),
        "metadata not a table": _variant(folder, good, "metadata2.pt", lambda b: b.update(metadata="oops")),
        "wrong image shape": write_model(folder / "shape.pt", "vae", 4, shape=(1, 28, 28), data="digits"),
        "NaN weights": _variant(folder, good, "nan.pt", _nan),
    }


def _action(window, text):
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def _open_pair(window, path, monkeypatch):
    def exec_(dialog):
        dialog.left.setText(str(path))
        dialog.data.combo.setEditText("digits")
        return 1

    monkeypatch.setattr(OpenPairDialog, "exec", exec_)
    _action(window, "Open &pair…").trigger()


def _ctrl_l(window, path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    action = _action(window, "Open model on the &left…")
    assert action.shortcut().toString() == "Ctrl+L"
    action.trigger()


def _open_recent(window, path, monkeypatch):
    window.open_commands.remember(
        str(path), str(window.open_commands.pair[1]), "digits"
    )  # a pair that opened once; its left file went bad
    window.open_commands.recent_menu.actions()[0].trigger()


def _open_in_explorer(window, path, monkeypatch):
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    placeholder = not path.exists()
    if placeholder:  # the button is offered for files that exist: this one is deleted after it was offered
        path.write_bytes(b"")
    entry = {"id": "run-1", "status": "finished", "epochs_done": 1, "epochs": 1, "checkpoint": str(path)}
    tab.log_view.set_entries([entry], select="run-1")
    if placeholder:
        path.unlink()
    tab.log_view.open_buttons["left"].click()


ENTRY_POINTS = {
    "Open pair": _open_pair,
    "Ctrl+L": _ctrl_l,
    "Open recent": _open_recent,
    "Open in explorer": _open_in_explorer,
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_bad_checkpoints_opened_in_the_window(make_window, digits_pair, bad_files, entry, qtbot, monkeypatch):
    w = make_window(digits_pair)
    maps = {slot: w.explorer.maps[slot].shown_points for slot in ("left", "right")}
    for kind, path in bad_files.items():
        w.messages.hide()
        ENTRY_POINTS[entry](w, path, monkeypatch)
        qtbot.waitUntil(lambda: bool(w.messages.text()) and not w.runner.busy(), timeout=10_000)
        assert path.name in w.messages.text(), (kind, w.messages.text())
        assert "Traceback" not in w.messages.text()
        assert w.open_commands.pair == tuple(map(str, digits_pair)), kind  # the old pair stays, and so do its maps
        assert all(w.explorer.maps[slot].shown_points is maps[slot] for slot in maps), kind
        assert w.is_settled(), kind
    if entry == "Ctrl+L":  # the message for each kind says what is wrong, in words
        for kind, words in (
            ("missing", "no such checkpoint file"),
            ("truncated", "truncated or corrupt"),
            ("wrong image shape", "one shape"),
        ):
            w.messages.hide()
            _ctrl_l(w, bad_files[kind], monkeypatch)
            qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
            assert words in w.messages.text(), kind


def test_bad_checkpoints_given_on_the_command_line(qtbot, digits_pair, bad_files):
    """``vae-explorer --ae BAD --vae GOOD``: the window opens, says what is wrong and settles."""
    options = dict(vae=str(digits_pair[1]), data="digits", data_dir=None, screenshot=None, view=None, select=None)
    for kind, path in bad_files.items():
        w = launch(argparse.Namespace(ae=str(path), device="cpu", **options))
        w.show()
        qtbot.addWidget(w)
        qtbot.waitUntil(lambda w=w: bool(w.messages.text()) and not w.runner.busy(), timeout=10_000)
        assert path.name in w.messages.text(), kind
        assert not any(s.loaded for s in w.session.slots.values()), kind
        w.close()
