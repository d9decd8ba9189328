"""The Train tab's form filled in and started like a user would."""

from PySide6.QtCore import Qt

RUN_TIMEOUT_MS = 180_000  # a child imports torch, loads the digits and trains a tiny model


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit, text):
    edit.selectAll()
    edit.del_()
    qtbot.keyClicks(edit, str(text))


def fill(qtbot, tab, out, epochs=1, latent=2, batch=8, data="digits", folder="", kind="vae"):
    f = tab.form
    f.data.setCurrentIndex(f.data.findData(data))
    f.kind.setCurrentIndex(f.kind.findData(kind))
    if folder:
        type_into(qtbot, f.folder, folder)
    for edit, value in ((f.latent_dim, latent), (f.epochs, epochs), (f.batch_size, batch), (f.lr, "0.003")):
        type_into(qtbot, edit, value)
    type_into(qtbot, f.out, out)
    assert f.result().errors == {}, f.result().errors


def start_run(qtbot, tab, **kw):
    fill(qtbot, tab, **kw)
    with qtbot.waitSignal(tab.sigRunStarted, timeout=5000):
        click(qtbot, tab.start_button)
