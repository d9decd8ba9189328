"""The Train tab driven like a user would, over real `vae-explorer train` child processes on the digits."""

import json
import os
import signal

import numpy as np
import pytest
from helpers import write_idx_set
from PySide6.QtWidgets import QMessageBox
from train_form import RUN_TIMEOUT_MS, click, fill, start_run, type_into

from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.training.run_log import run_log_path
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.training.plots import KlBars, LossCurves
from vae_explorer.gui.widgets import palette


@pytest.mark.slow
def test_a_short_run_updates_progress_curves_and_pictures(make_tab, qtbot, tmp_path):
    tab = make_tab()
    out = tmp_path / "one.pt"
    progress = []
    tab.run_status.progress.valueChanged.connect(progress.append)
    fill(qtbot, tab, out=out, epochs=1, latent=2)
    with qtbot.waitSignal(tab.sigRunEnded, timeout=RUN_TIMEOUT_MS) as ended:
        click(qtbot, tab.start_button)
        assert tab.start_button.text() == "Add to queue" and tab.run_status.stop_button.isEnabled()
    entry = ended.args[0]
    assert entry["status"] == "finished" and entry["epochs_done"] == 1 and entry["checkpoint"] == str(out)
    # the progress bar moved with the child's step lines, then filled
    assert any(0 < v < 1000 for v in progress) and tab.run_status.progress.value() == 1000
    assert tab.run_status.progress.text().startswith("epoch 1/1 · step 180/180")
    # train curves from step lines (x: fraction of the epoch), the test point from the epoch line
    x, y = tab.curves.points("recon", "train")
    assert len(x) >= 2 and np.all(np.diff(x) > 0) and x[-1] == 1.0 and np.all(np.isfinite(y))
    tx, ty = tab.curves.points("total", "test")
    assert list(tx) == [1.0] and ty[0] == pytest.approx(entry["test"]["neg_elbo"])
    kx, ky = tab.curves.points("kl", "test")
    assert ky[0] == pytest.approx(entry["test"]["kl"])
    # KL per dimension, and the epoch's pictures drawn from the checkpoint on a worker
    assert (
        tab.pictures.kl_bars.active == entry["active_units"]
        and "of 2</b> dimensions active" in tab.pictures.kl_bars.summary.text()
    )
    qtbot.waitUntil(lambda: tab.pictures.images.epoch == 1, timeout=30_000)
    assert tab.pictures.images.recon.image() is not None and tab.pictures.images.samples.image() is not None
    assert tab.pictures.latent_map.points.shape == (359, 2) and tab.pictures.latent_map.plot.isVisible()
    assert load_checkpoint(out).metadata["epochs"] == 1
    assert tab.start_button.text() == "Start" and not tab.run_status.stop_button.isEnabled()

    # the log lives in the user's config folder and comes back in a new tab (a new launch)
    assert tab.flush_log()
    stored = json.loads(run_log_path().read_text())["runs"]
    assert [r["status"] for r in stored] == ["finished"]
    again = make_tab()
    row = again.log_view.entries[0]
    assert row["id"] == entry["id"] and row["status"] == "finished" and row["checkpoint"] == str(out)
    table = again.log_view.table
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[1:4] == ["VAE 2-D", "digits", "1/1"] and cells[8] == "finished" and cells[9] == str(out)
    assert cells[4] == f"{entry['test']['neg_elbo']:.2f}"
    assert again.log_view.open_buttons["left"].isEnabled()


@pytest.mark.slow
def test_stop_half_way_keeps_a_whole_checkpoint_and_resume_continues(make_tab, qtbot, tmp_path):
    tab = make_tab()
    out = tmp_path / "stopped.pt"
    start_run(qtbot, tab, out=out, epochs=40, latent=2, batch=32)
    qtbot.waitUntil(lambda: tab.state.epochs_done >= 1, timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: tab.state.epoch > tab.state.epochs_done, timeout=30_000)  # into the next epoch
    with qtbot.waitSignal(tab.sigRunEnded, timeout=60_000) as ended:
        click(qtbot, tab.run_status.stop_button)
        assert tab.run_status.stop_button.text() == "Kill now"
    entry = ended.args[0]
    done = entry["epochs_done"]
    assert entry["status"] == "stopped" and "exit status 130" in entry["exit"] and 1 <= done < 40
    ckpt = load_checkpoint(out)
    assert ckpt.train_state["epoch"] == ckpt.metadata["epochs"] == done
    assert "Resume continues it" in tab.run_status.status.text() and not tab.run_status.failure.isVisible()

    log = tab.log_view
    assert log.selected()["id"] == entry["id"] and log.resume_button.isEnabled()
    log.resume_epochs.setValue(done + 1)
    with qtbot.waitSignal(tab.sigRunEnded, timeout=RUN_TIMEOUT_MS) as resumed:
        click(qtbot, log.resume_button)
        assert not log.resume_button.isEnabled()  # its file is being written
    again = resumed.args[0]
    assert again["status"] == "finished" and again["start_epoch"] == done and again["epochs_done"] == done + 1
    assert again["checkpoint"] == str(out) and again["id"] != entry["id"]
    assert load_checkpoint(out).train_state["epoch"] == done + 1
    # the curves carry the earlier epochs (from the checkpoint's history) and the new one
    qtbot.waitUntil(lambda: len(tab.curves.points("recon", "test")[0]) == done + 1, timeout=30_000)
    assert list(tab.curves.points("recon", "test")[0]) == list(range(1, done + 2))
    assert tab.curves.points("recon", "train")[0][-1] == done + 1


@pytest.mark.slow
def test_a_failing_child_is_reported_with_its_error_text(make_tab, qtbot, tmp_path):
    tab = make_tab()
    data = tmp_path / "truncated"
    write_idx_set(data, n=50, split="train")
    write_idx_set(data, n=10, split="test")
    images = data / "train-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:100])
    fill(qtbot, tab, out=tmp_path / "never.pt", data="folder", folder=str(data))
    with qtbot.waitSignal(tab.sigRunEnded, timeout=RUN_TIMEOUT_MS) as ended:
        click(qtbot, tab.start_button)
    entry = ended.args[0]
    assert entry["status"] == "failed" and entry["exit"] == "failed with exit status 1"
    assert tab.run_status.failure.isVisible()
    assert "failed with exit status 1" in tab.run_status.failure_title.text()
    assert "no checkpoint was written" in tab.run_status.failure_title.text()
    assert f"vae-explorer: error: {images}: truncated gzip file" in tab.run_status.failure_text.toPlainText()
    assert entry["error"][-1] == f"vae-explorer: error: {images}: truncated gzip file"
    assert not (tmp_path / "never.pt").exists()
    assert tab.start_button.isEnabled() and tab.start_button.text() == "Start"  # the tab goes on


@pytest.mark.slow
def test_a_killed_child_leaves_its_last_checkpoint(make_tab, qtbot, tmp_path):
    tab = make_tab()
    out = tmp_path / "killed.pt"
    start_run(qtbot, tab, out=out, epochs=40, latent=3, batch=32)
    qtbot.waitUntil(lambda: tab.state.epochs_done >= 1, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(tab.sigRunEnded, timeout=30_000) as ended:
        os.kill(tab.process.pid(), signal.SIGKILL)
    entry = ended.args[0]
    assert entry["status"] == "crashed"
    assert "killed by signal 9 (SIGKILL)" in tab.run_status.failure_title.text()
    assert (
        f"The last good checkpoint, {out}, holds {entry['epochs_done']} epoch(s)" in tab.run_status.failure_title.text()
    )
    assert load_checkpoint(out).train_state["epoch"] == entry["epochs_done"] >= 1
    assert tab.log_view.resume_button.isEnabled()


def test_invalid_values_are_refused_with_a_reason(make_tab, qtbot, tmp_path):
    tab = make_tab()
    f = tab.form
    fill(qtbot, tab, out=tmp_path / "m.pt")
    assert tab.start_button.isEnabled()
    type_into(qtbot, f.lr, "fast")
    assert f.reasons["lr"].isVisible() and f.reasons["lr"].text() == "'fast' is not a number"
    assert not tab.start_button.isEnabled()
    type_into(qtbot, f.epochs, "0")
    assert f.reasons["epochs"].text() == "must be at least 1, not 0"
    type_into(qtbot, f.lr, "0.01")
    type_into(qtbot, f.epochs, "3")
    assert not f.reasons["lr"].isVisible() and not f.reasons["epochs"].isVisible()
    assert tab.start_button.isEnabled()
    f.data.setCurrentIndex(f.data.findData("folder"))
    assert f.folder.isVisible() and f.reasons["folder"].text() == "choose a folder of images or IDX files"
    type_into(qtbot, f.folder, str(tmp_path / "missing"))
    assert f.reasons["folder"].text() == f"{tmp_path / 'missing'}: no such folder"
    assert not tab.start_button.isEnabled()
    f.data.setCurrentIndex(f.data.findData("digits"))
    assert not f.folder.isVisible() and tab.start_button.isEnabled()
    f.kind.setCurrentIndex(f.kind.findData("ae"))
    assert not f.beta.isEnabled()
    f.kind.setCurrentIndex(f.kind.findData("vae"))
    type_into(qtbot, f.beta, "4")
    assert f.reasons["beta"].text() == "beta-VAE" and tab.start_button.isEnabled()


@pytest.mark.slow
def test_queued_runs_run_one_after_another(make_tab, qtbot, tmp_path):
    tab = make_tab()
    first, second = tmp_path / "first.pt", tmp_path / "second.pt"
    start_run(qtbot, tab, out=first, epochs=1, latent=2, batch=32)
    # the running run's file is refused for another run
    assert tab.form.result().errors == {"out": "another queued or running run writes this file; choose another name"}
    assert not tab.start_button.isEnabled()
    fill(qtbot, tab, out=second, epochs=1, latent=3, batch=32, kind="ae")
    ended = []
    tab.sigRunEnded.connect(ended.append)
    click(qtbot, tab.start_button)
    assert tab.queue.list.count() == 1 and "AE 3-D on digits" in tab.queue.list.item(0).text()
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=2 * RUN_TIMEOUT_MS)
    assert [e["status"] for e in ended] == ["finished", "finished"]
    assert [e["checkpoint"] for e in ended] == [str(first), str(second)]
    assert load_checkpoint(first).config.kind == "vae" and load_checkpoint(second).config.kind == "ae"
    assert tab.queue.list.count() == 0 and len(tab.log_view.entries) == 2
    assert tab.pictures.kl_bars.summary.text().startswith("An AE has no KL term")


@pytest.mark.slow
def test_open_in_explorer_puts_the_checkpoint_in_a_slot(make_window, digits_pair, qtbot, tmp_path):
    w = make_window(digits_pair)
    tab = w.train_tab
    w.tabs.setCurrentWidget(tab)
    out = tmp_path / "fresh.pt"
    with qtbot.waitSignal(tab.sigRunEnded, timeout=RUN_TIMEOUT_MS):
        start_run(qtbot, tab, out=out, epochs=1, latent=4, batch=32)
    with qtbot.waitSignal(w.opener.sigModelOpened, timeout=10_000):  # loaded in the background
        click(qtbot, tab.log_view.open_buttons["left"])
    assert w.session.slots["left"].model.path == out
    assert w.tabs.currentWidget() is w.explorer and "fresh.pt opened on the left" in w.status_text.text()
    qtbot.waitUntil(lambda: w.is_settled() and w.explorer.maps["left"].shown_points is not None, timeout=30_000)
    assert "fresh.pt" in w.explorer.maps["left"].title.text()
    # File > Open pair offers the files now on show
    assert w.open_commands.pair == (str(out), str(digits_pair[1]))
    # a file that went bad since: the message bar says so, and the slot keeps its model
    out.write_bytes(out.read_bytes()[:1000])
    w.tabs.setCurrentWidget(tab)
    click(qtbot, tab.log_view.open_buttons["right"])
    qtbot.waitUntil(lambda: bool(w.messages.text()), timeout=10_000)
    assert "fresh.pt: not a readable checkpoint (truncated or corrupt)" in w.messages.text()
    assert w.session.slots["right"].model.path == digits_pair[1]


@pytest.mark.slow
def test_closing_the_window_while_training_stops_the_run(make_window, qtbot, tmp_path, monkeypatch):
    w = make_window(None, wait=False)
    tab = w.train_tab
    out = tmp_path / "closing.pt"
    start_run(qtbot, tab, out=out, epochs=40, latent=2, batch=32)
    qtbot.waitUntil(lambda: tab.state.epochs_done >= 1, timeout=RUN_TIMEOUT_MS)
    asked = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    w.close()
    assert w.isVisible() and tab.busy() and "A model is training" in asked[0]
    ended = []
    tab.sigRunEnded.connect(ended.append)
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    w.close()
    assert not w.isVisible() and not tab.busy()
    assert len(ended) == 1 and ended[0]["status"] == "stopped"
    assert json.loads(run_log_path().read_text())["runs"][-1]["status"] == "stopped"  # written before closing
    assert load_checkpoint(out).train_state["epoch"] == ended[0]["epochs_done"] >= 1


def test_kl_bars_count_active_dimensions_and_warn_on_collapse(qtbot):
    make_app()
    bars = KlBars()
    qtbot.addWidget(bars)
    bars.show()
    bars.show_kl([0.8, 0.002, 0.5, 0.0], latent_dim=4)
    assert bars.active == 2 and "2 of 4</b> dimensions active" in bars.summary.text()
    assert not bars.collapse_warned()
    brushes = bars.bars.opts["brushes"]
    assert brushes[0].color().name() == palette.ACTIVE_COLOR and brushes[1].color().name() == palette.current().inactive
    bars.show_kl([0.3] + [0.001] * 15, latent_dim=16)  # one of sixteen dimensions carries information
    assert bars.active == 1 and bars.collapse_warned() and "Posterior collapse" in bars.warning.text()
    bars.show_kl(None, latent_dim=8)
    assert bars.active is None and not bars.collapse_warned() and bars.summary.text().startswith("An AE has no KL")


def test_a_diverged_step_leaves_a_gap_not_a_broken_curve(qtbot):
    make_app()
    curves = LossCurves()
    qtbot.addWidget(curves)
    for k, recon in enumerate([40.0, 35.0, float("nan"), 30.0]):
        curves.add_step(0.25 * (k + 1), recon, 1.0)
    curves.add_epoch(1, {"recon": float("inf"), "kl": 1.0, "neg_elbo": float("inf")})
    x, y = curves.points("total")
    assert list(x) == [0.25, 0.5, 1.0] and list(y) == [41.0, 36.0, 31.0]
    assert len(curves.points("recon", "test")[0]) == 0
