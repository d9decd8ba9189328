"""The Train tab at common window sizes, its results opened with the data they were trained on, and its words
after a stop, which say only what its buttons allow."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from train_form import click, start_run
from trained import write_model
from windows import settled_with_maps

from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.session import Session
from vae_explorer.core.training.job import RunState
from vae_explorer.core.training.run_log import RunLog
from vae_explorer.core.training.settings import TrainConfig
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.main_window import MainWindow
from vae_explorer.gui.shell.own_data import OwnDataDialog

FIELDS = (QLineEdit, QComboBox, QAbstractButton, QAbstractSpinBox, QLabel)


def clipped(widget: QWidget) -> list[str]:
    """Every field, button and one-line label on show in ``widget`` that shows less of itself than it asks for."""
    found = []
    for w in widget.findChildren(QWidget):
        if not isinstance(w, FIELDS) or not w.isVisible() or isinstance(w.parentWidget(), QAbstractSpinBox):
            continue  # a spin box's own line edit is the spin box's business
        if isinstance(w, QLabel) and (w.wordWrap() or not w.text()):
            continue  # a wrapped label takes the width it is given
        seen, hint = w.visibleRegion().boundingRect().size(), w.sizeHint()
        if seen.width() < hint.width() or seen.height() < hint.height():
            text = w.currentText() if isinstance(w, QComboBox) else getattr(w, "text", lambda: "")()
            found.append(f"{type(w).__name__} {text!r}: {seen.toTuple()} of {hint.toTuple()}")
    return found


def lay_out(w) -> None:
    """Paint and lay out as on screen, twice: a scroll bar that comes or goes lays the form out again."""
    for _ in range(2):
        w.grab()
        QApplication.processEvents()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_no_field_of_the_train_tab_is_clipped_at_common_window_sizes(qtbot, tmp_path, size):
    make_app()
    w = MainWindow(Session("cpu"), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), persist=False)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    w.tabs.setCurrentWidget(w.train_tab)
    form = w.train_tab.form
    for data in ("digits", "folder"):  # a folder adds rows: its path and its test share
        form.data.setCurrentIndex(form.data.findData(data))
        form.epochs.setText("0")  # and a reason under a field
        lay_out(w)
        assert form.reasons["epochs"].isVisible()
        assert clipped(w.train_tab) == [], size
        assert w.train_tab.width() <= size[0]


@pytest.fixture
def past_run(tmp_path):
    """A finished run of the Train tab on the digits, in the run log the window reads."""
    out = write_model(tmp_path / "digits-run.pt", "vae", 2, seed=0, data="digits")
    state = RunState(TrainConfig(data="digits", kind="vae", latent_dim=2, epochs=2, out=str(out)))
    state.status, state.epochs_done, state.checkpoint = "finished", 2, str(out)
    RunLog().write(state.entry())
    return out


def open_dialog(qtbot, w) -> OwnDataDialog:
    qtbot.waitUntil(lambda: w.findChild(OwnDataDialog) is not None, timeout=10_000)
    return w.findChild(OwnDataDialog)


def test_open_result_offers_the_data_the_model_was_trained_on(make_window, qtbot, past_run, fashion_dir):
    ckpt = checkpoints_dir()
    w = make_window((ckpt / "fashion-ae-2d.pt", ckpt / "fashion-vae-2d.pt"), data="fashion-mnist")
    s, tab = w.session, w.train_tab
    w.tabs.setCurrentWidget(tab)
    tab.log_view.select(tab.log_view.entries[0]["id"])
    click(qtbot, tab.log_view.open_buttons["right"])
    dialog = open_dialog(qtbot, w)
    # the run's checkpoint names the digits; its 8x8 images cannot read Fashion-MNIST, so that is not offered
    assert "digits-run.pt</b> was trained on <b>digits" in dialog.findChild(QLabel).text()
    assert dialog.own_button.text() == "Open with digits" and dialog.shown_button is None
    dialog.reject()  # Cancel: nothing changes
    assert s.dataset.name == "fashion-mnist" and s.slots["right"].model.name == "fashion-vae-2d.pt"
    qtbot.waitUntil(lambda: w.findChild(OwnDataDialog) is None, timeout=5000)

    click(qtbot, tab.log_view.open_buttons["right"])
    with qtbot.waitSignal(w.opener.sigModelOpened, timeout=20_000):
        open_dialog(qtbot, w).own_button.click()
    # opened the normal way, on the digits' test split; the Fashion-MNIST AE, which cannot read them, left
    assert s.dataset.name == "digits" and s.dataset.split == "test"
    assert s.slots["right"].model.path == past_run and s.slots["left"].model is None
    assert w.tabs.currentWidget() is w.explorer
    assert "digits-run.pt opened on the right with digits" in w.status_text.base
    assert "fashion-ae-2d.pt left the other side" in w.status_text.base
    qtbot.waitUntil(lambda: w.explorer.maps["right"].shown_points is not None, timeout=30_000)
    assert "(no model)" in w.explorer.maps["left"].title.text()


def test_a_result_on_the_data_on_show_opens_at_once(make_window, digits_pair, qtbot, past_run):
    w = make_window(digits_pair)
    tab = w.train_tab
    tab.log_view.select(tab.log_view.entries[0]["id"])
    with qtbot.waitSignal(w.opener.sigModelOpened, timeout=20_000):
        click(qtbot, tab.log_view.open_buttons["left"])
    assert w.findChild(OwnDataDialog) is None
    assert w.session.slots["left"].model.path == past_run and w.session.slots["right"].model.path == digits_pair[1]
    qtbot.waitUntil(lambda: settled_with_maps(w), timeout=30_000)


@pytest.mark.slow
def test_after_kill_now_the_words_match_the_buttons(request, qtbot, tmp_path):
    tab = request.getfixturevalue("make_tab")()
    out = tmp_path / "killed.pt"
    start_run(qtbot, tab, out=out, epochs=500, latent=2, batch=8)
    status, log = tab.run_status, tab.log_view
    with qtbot.waitSignal(tab.sigRunEnded, timeout=60_000) as ended:
        click(qtbot, status.stop_button)  # Stop, then Kill now before the first epoch can end
        assert status.stop_button.text() == "Kill now"
        click(qtbot, status.stop_button)
    entry = ended.args[0]
    assert entry["status"] == "stopped" and entry["exit"].startswith("killed at your request")
    assert not status.failure.isVisible()  # the user ended it: no failure report
    text = status.status.text()
    assert text.startswith("Killed at your request.")
    if entry["epochs_done"]:  # a slow kill may come after an epoch: then its file opens and resumes
        assert "Resume continues it" in text and log.resume_button.isEnabled() and log.open_buttons["left"].isEnabled()
    else:
        assert "nothing to open or resume" in text and "Start runs it again" in text
        assert not log.resume_button.isEnabled() and not any(b.isEnabled() for b in log.open_buttons.values())
        assert tab.start_button.isEnabled()
