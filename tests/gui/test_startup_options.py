"""Options the window opens with: ``--attributes FILE`` reads an attribute table for the data it opens."""

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
