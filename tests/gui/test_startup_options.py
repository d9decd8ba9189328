"""Options the window opens with: ``--attributes FILE`` reads an attribute table for the data it opens;
``--state FILE`` opens a saved view."""

import json

import numpy as np
from PySide6.QtCore import QSettings

from vae_explorer.cli import build_parser
from vae_explorer.core.data import load_digits
from vae_explorer.gui.shell.app import make_app, make_window


def test_attributes_reads_a_table_for_the_data_the_window_opens(qtbot, tmp_path, checkpoints_dir):
    labels = load_digits("all").labels
    table = tmp_path / "odd.csv"
    table.write_text("row,odd\n" + "".join(f"{i},{label % 2}\n" for i, label in enumerate(labels)))
    make_app()
    ae, vae = checkpoints_dir / "digits-ae.pt", checkpoints_dir / "digits-vae.pt"
    argv = ["--ae", ae, "--vae", vae, "--data", "digits", "--attributes", table, "--theme", "light"]
    args = build_parser().parse_args([str(a) for a in argv])
    window = make_window(args, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    define = window.explorer.attributes.define_form
    qtbot.waitUntil(lambda: window.is_settled() and define.column.count() > 0, timeout=60_000)
    assert [define.column.itemText(i) for i in range(define.column.count())] == ["odd"]
    assert define.table_label.text() == f"table: {table}"
    assert window.messages.text() == ""


def test_state_opens_a_saved_view_with_its_models_sample_and_vector(qtbot, tmp_path):
    view = {
        "format": "vae-explorer-view",
        "format_version": 1,
        "models": {"left": "shipped:digits-ae.pt", "right": "shipped:digits-vae.pt"},
        "data": "digits",
        "view": "pca",
        "selected": 11,
        "hidden": [4],
        "vectors": [{"name": "ink", "groups": "pixel:ink"}],
        "active": "ink",
        "alpha": 1.0,
    }
    path = tmp_path / "view.json"
    path.write_text(json.dumps(view))
    make_app()
    args = build_parser().parse_args(["--state", str(path), "--theme", "light"])
    window = make_window(args, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    s = window.session
    qtbot.waitUntil(lambda: window.is_settled() and s.attributes.active == "ink", timeout=60_000)
    assert window.messages.text() == ""
    assert [s.slots[slot].model.name for slot in ("left", "right")] == ["digits-ae.pt", "digits-vae.pt"]
    assert s.selection == 11 and s.marks.hidden == frozenset({4}) and s.attributes.alpha == 1.0
    entry = s.attributes.entry("ink", "left")
    assert np.allclose(s.slots["left"].cursor_z, s.slots["left"].codes.mu[11] + entry.values, atol=1e-5)
