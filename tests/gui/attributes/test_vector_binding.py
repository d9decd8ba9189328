"""Binding vectors to models: a saved file read alike by the dock and `traverse --vector`; remade off the GUI thread."""

import json
import threading

import numpy as np
import pytest
from helpers import run_cli
from PIL import Image
from trained import write_model

from vae_explorer.core.attributes.binding import Rebind
from vae_explorer.core.attributes.files import load_vector
from vae_explorer.core.session import SLOTS


@pytest.fixture
def vector_file(capsys, tmp_path):
    """'9 -> 7' made by the command line with two other (untrained) models of the same sizes."""
    ae, vae = write_model(tmp_path / "ae-o.pt", "ae", 4, 11), write_model(tmp_path / "vae-o.pt", "vae", 4, 12)
    path = tmp_path / "sevens.json"
    rc, out, err = run_cli(
        capsys, "traverse", "--ae", ae, "--vae", vae, "--data", "digits", "--attribute", "class:7-9",
        "--name", "sevens", "--out", tmp_path / "other.png", "--save-vector", path,
    )  # fmt: skip
    assert rc == 0, err
    return path


@pytest.mark.parametrize("groups", [True, False], ids=["remade-from-groups", "values-only"])
def test_the_dock_and_traverse_give_the_same_vector_and_grid(
    make_window, digits_pair, qtbot, capsys, tmp_path, vector_file, groups
):
    saved = load_vector(vector_file)
    if not groups:  # a file that holds values only: both must use them as they are
        blob = json.loads(vector_file.read_text())
        blob["groups"] = None
        vector_file.write_text(json.dumps(blob))
    w = make_window(digits_pair)
    s, panel = w.session, w.explorer.attributes
    s.select(10)
    panel.load(str(vector_file))
    qtbot.waitUntil(lambda: "sevens" in s.attributes.vectors and not w.runner.busy(), timeout=10_000)
    how = "recomputed from its groups on digits (test" if groups else "the saved values, made with"
    assert how in w.status_text.text()
    box = panel.traversal
    box.rows.setValue(3)
    box.steps.setValue(5)
    box.reach.setValue(2.0)
    box.scale.setValue(2)
    rows = box.samples()
    assert rows[0] == 10
    dock_png = tmp_path / "dock.png"
    box.export(str(dock_png))
    qtbot.waitUntil(lambda: dock_png.exists() and not w.runner.busy(), timeout=10_000)

    cli_png, cli_vector = tmp_path / "cli.png", tmp_path / "bound.json"
    rc, out, err = run_cli(
        capsys, "traverse", "--ae", digits_pair[0], "--vae", digits_pair[1], "--data", "digits",
        "--vector", vector_file, "--samples", ",".join(map(str, rows)), "--alphas", "-2:2:5", "--scale", "2",
        "--out", cli_png, "--save-vector", cli_vector,
    )  # fmt: skip
    assert rc == 0, err
    assert out.count(how) == 2  # one line per model
    bound = load_vector(cli_vector)
    for slot in SLOTS:
        dock_values = s.attributes.entry("sevens", slot).values
        assert np.array_equal(bound.entries[slot].values, dock_values)
        assert np.allclose(dock_values, saved.entries[slot].values) is not groups  # remade, or as saved
    assert np.array_equal(np.asarray(Image.open(cli_png)), np.asarray(Image.open(dock_png)))


def test_another_model_gets_the_vectors_remade_off_the_gui_thread(
    make_window, digits_pair, qtbot, tmp_path, monkeypatch
):
    w = make_window(digits_pair)
    s, panel = w.session, w.explorer.attributes
    form = panel.define_form
    form.kind.setCurrentIndex(4)  # pixel statistic: ink, over every image
    form.define_button.click()
    qtbot.waitUntil(lambda: "more ink" in s.attributes.vectors, timeout=10_000)
    threads = []
    real_run = Rebind.run

    def run_and_note_the_thread(job, cancel=None):
        threads.append(threading.current_thread())
        return real_run(job, cancel)

    monkeypatch.setattr(Rebind, "run", run_and_note_the_thread)
    s.load_model("left", write_model(tmp_path / "ae2.pt", "ae", 4, 5))
    qtbot.waitUntil(lambda: s.attributes.entry("more ink", "left") is not None and not w.runner.busy(), timeout=10_000)
    assert s.attributes.entry("more ink", "left").model == "ae2.pt"
    assert [panel.tree.topLevelItem(0).child(i).text(0) for i in range(2)] == [s.slots[x].title for x in SLOTS]
    assert threads and threading.main_thread() not in threads
