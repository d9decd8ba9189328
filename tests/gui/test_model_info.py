"""Model info shows each open model as `vae-explorer info` describes it."""

from __future__ import annotations

import html

from vae_explorer.cli import main
from vae_explorer.core.session import SLOTS


def test_model_info_shows_the_rows_info_prints_for_each_model(make_window, digits_pair, capsys):
    window = make_window(digits_pair)
    shown = window.show_model_info().models.text()
    for slot, path in zip(SLOTS, digits_pair, strict=True):
        assert main(["info", str(path)]) == 0
        printed = capsys.readouterr().out.splitlines()[1:]  # the path, then "  label     text" rows
        rows = [line.split(None, 1) for line in printed]
        assert {label for label, _ in rows} >= {"model", "weights", "training", "resumable"}
        for label, text in rows:
            assert f"<td>{label}&nbsp;&nbsp;</td><td>{html.escape(text)}</td>" in shown, (slot, label)
        assert f"<b>{slot}</b>: {html.escape(window.session.slots[slot].title)}" in shown
