"""A user's own folder in the explorer: names in view, a search, colours by attribute, classes hidden, splits chosen."""

import argparse

import numpy as np
import pytest
from helpers import write_letters
from PySide6.QtCore import QPointF, QSettings, Qt
from trained import write_model

from vae_explorer.core.errors import DataError
from vae_explorer.core.model.checkpoint import load_checkpoint, save_checkpoint
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.session import Session
from vae_explorer.gui.shell import app
from vae_explorer.gui.shell.dialogs import SplitChooser
from vae_explorer.gui.shell.main_window import MainWindow


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    """The folder, its table kept elsewhere, and two models of it; the VAE says it trained on half the images."""
    root = tmp_path_factory.mktemp("letters")
    folder, table = write_letters(root)
    ae = write_model(root / "ae.pt", "ae", 2, seed=0, shape=(1, 12, 12), data=str(folder))
    plain = write_model(root / "plain.pt", "vae", 3, seed=1, shape=(1, 12, 12), data=str(folder))
    split = {"kind": "seeded", "test_fraction": 0.5, "seed": 0, "train": 9, "test": 9}
    save_checkpoint(root / "vae.pt", load_checkpoint(plain).build_model("cpu"), {"data": str(folder), "split": split})
    return folder, table, ae, root / "vae.pt"


def open_letters(qtbot, tmp_path, letters, split="test", **options):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Session("cpu"), settings)
    qtbot.addWidget(w)
    w.show()
    w.open_pair(str(letters[2]), str(letters[3]), "", split, **options)
    qtbot.waitUntil(
        lambda: w.is_settled() and all(p.shown_points is not None for p in w.explorer.maps.values()), timeout=30_000
    )
    return w


def test_names_show_on_hover_selection_decoding_and_morph_keys(qtbot, tmp_path, letters):
    w = open_letters(qtbot, tmp_path, letters)
    s = w.session
    assert len(s.dataset) == 9 and s.dataset.test_fraction == 0.5  # the split stored in the VAE
    name = s.dataset.filenames[4]
    s.select(name)
    assert s.selection == 4
    qtbot.waitUntil(w.is_settled, timeout=5000)
    info = w.explorer.sample_bar.info.text()
    assert f"selected: <b>#4 · {name[0]} · {name}</b>" in info
    s.set_hover(2)
    assert (
        f"hovered:</span> #2 · {s.dataset.filenames[2][0]} · {s.dataset.filenames[2]}"
        in w.explorer.sample_bar.info.text()
    )
    stats = w.explorer.decoders["left"].stats.text()  # the cursor sits on sample 4: the nearest data code is its own
    assert f"#4 · {name[0]} · {name}" in stats
    s.morph.set_start(MorphKey(4))
    assert w.explorer.morph.key_a.text.text() == f"#4 · {name[0]} · {name}"


def test_a_table_kept_elsewhere_colours_the_maps(qtbot, tmp_path, letters):
    w = open_letters(qtbot, tmp_path, letters)
    s, bar = w.session, w.explorer.sample_bar
    w.explorer.attributes.define_form.load_table(str(letters[1]))
    qtbot.waitUntil(lambda: bar.colour.count() == 3, timeout=5000)
    assert "18 rows, 9 of them for the 9 images of the test split" in w.status_text.text()
    assert [bar.colour.itemText(i) for i in range(3)] == ["class", "bold", "weight"]
    panel = w.explorer.maps["left"]
    n = len(s.dataset)
    by_class = [panel.points.colour_of(i) for i in range(n)]
    bar.colour.setCurrentIndex(2)  # weight: a number per font
    assert s.marks.colour_by == "weight" and w.explorer.legend.bar.isVisibleTo(w.explorer.legend)
    assert w.explorer.legend.low.text() == f"weight: {s.marks.colouring().low:g}"
    by_weight = [panel.points.colour_of(i) for i in range(n)]
    weights = s.marks.colouring().values
    assert by_weight != by_class
    assert by_weight[int(np.argmin(weights))] != by_weight[int(np.argmax(weights))]  # the scale's two ends
    bar.colour.setCurrentIndex(1)  # bold: two colours
    assert len({panel.points.colour_of(i) for i in range(n)}) == 2
    assert "not bold" in w.explorer.legend.text()


def test_search_rings_every_match_and_selects_them_in_turn(qtbot, tmp_path, letters):
    w = open_letters(qtbot, tmp_path, letters, split="all")
    s, bar = w.session, w.explorer.sample_bar
    qtbot.keyClicks(bar.find, "times")
    qtbot.keyClick(bar.find, Qt.Key.Key_Return)
    found = [i for i, n in enumerate(s.dataset.filenames) if "times" in n]
    assert list(s.marks.highlight) == found and s.selection == found[0]
    assert len(w.explorer.maps["right"].rings.data) == 3
    assert "3 samples match 'times'" in w.status_text.text()
    qtbot.keyClick(bar.find, Qt.Key.Key_Return)
    assert s.selection == found[1]
    bar.regex.setChecked(True)
    bar.find.setText("^B/(arial|mono)")
    qtbot.keyClick(bar.find, Qt.Key.Key_Return)
    assert [s.dataset.filenames[i] for i in s.marks.highlight] == ["B/arial.png", "B/mono.png"]
    bar.find.setText("(unclosed")
    qtbot.keyClick(bar.find, Qt.Key.Key_Return)
    assert "not a regular expression: '(unclosed'" in w.messages.text()
    bar.find.clear()
    assert len(s.marks.highlight) == 0 and len(w.explorer.maps["left"].rings.data) == 0


def test_a_legend_click_hides_or_isolates_a_class_in_both_maps(qtbot, tmp_path, letters):
    w = open_letters(qtbot, tmp_path, letters, split="all")
    s, legend = w.session, w.explorer.legend
    labels = s.dataset.labels
    legend.entries.linkActivated.emit("class:1")
    assert s.marks.hidden == {1}
    hidden = int(np.flatnonzero(labels == 1)[0])
    for panel in w.explorer.maps.values():
        assert [panel.points.colour_of(i) is not None for i in range(len(labels))] == list(labels != 1)
        under = panel.nearest_point(panel.vb.mapViewToScene(QPointF(*panel.shown_points[hidden])))
        assert under is None or labels[under] != 1  # a hidden point is never hovered or clicked
    assert "<s>B</s>" in legend.text() and "show all" in legend.text()
    qtbot.mouseClick(legend.entries, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier)
    legend.entries.linkActivated.emit("class:2")  # Ctrl+click on a class: this class alone
    assert s.marks.hidden == {0, 1}
    for panel in w.explorer.maps.values():
        assert [panel.points.colour_of(i) is not None for i in range(len(labels))] == list(labels == 2)
    legend.entries.linkActivated.emit("all")
    assert s.marks.hidden == frozenset()
    assert all(w.explorer.maps["left"].points.colour_of(i) is not None for i in range(len(labels)))


def test_the_split_and_the_sample_are_chosen_at_start(qtbot, tmp_path, letters):
    folder, _, ae, vae = letters
    args = argparse.Namespace(
        ae=str(ae), vae=str(vae), data=None, data_dir=None, split="all", test_fraction=None, image_size=None,
        screenshot=None, view=None, select="C/serif.png", device="cpu",
    )  # fmt: skip
    w = app.make_window(args, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.session.selection is not None, timeout=30_000)
    assert len(w.session.dataset) == 18 and w.session.dataset.filenames[w.session.selection] == "C/serif.png"
    w.close()


def test_open_data_takes_a_split_a_test_share_and_an_image_size(qtbot, tmp_path, letters):
    w = open_letters(qtbot, tmp_path, letters)
    chooser = SplitChooser()
    chooser.split.setCurrentText("train")
    chooser.fraction.setText("0.25")
    assert chooser.values() == ("train", 0.25, None)
    chooser.fraction.setText("0.9")
    with pytest.raises(DataError, match=r"test share: must be above 0 and at most 0.5"):
        chooser.values()
    w.open_data(str(letters[0]), "train", 0.25)
    qtbot.waitUntil(lambda: len(w.session.dataset) == 14, timeout=10_000)
    w.open_data(str(letters[0]), "test", None, 16)  # images resized to 16: the models take 12
    qtbot.waitUntil(lambda: "takes images of shape 1x12x12" in w.messages.text(), timeout=10_000)
    assert len(w.session.dataset) == 14  # what was open stays


def test_a_numeric_column_makes_a_balanced_vector_that_says_what_else_it_moves(qtbot, tmp_path, letters):
    w = open_letters(qtbot, tmp_path, letters, split="all")
    panel = w.explorer.attributes
    w.explorer.docks["attributes"].raise_()
    form = panel.define_form
    form.load_table(str(letters[1]))
    qtbot.waitUntil(lambda: form.column.count() == 2, timeout=5000)
    form.kind.setCurrentIndex(2)
    form.column.setCurrentText("weight")
    assert form.column_split.currentData() == "median" and form.balance.currentText() == "auto"
    qtbot.mouseClick(form.define_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(w.session.attributes.vectors) == 1, timeout=10_000)
    vector = w.session.attributes.active_vector()
    assert vector.name == "weight > median" and vector.balanced  # every letter is in both halves
    assert "balanced within classes" in vector.description
    assert panel.effects.text().startswith("'weight > median' also moves: bold ")
    assert "on samples it was not made from" in panel.tree.topLevelItem(0).child(0).toolTip(3)
