"""Every built-in data set is offered wherever data is chosen in the window: Open data and the Train form."""

from vae_explorer.core.data import BUILTIN_DATA
from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.dialogs import OpenDataDialog, OpenPairDialog
from vae_explorer.gui.training.form import TrainForm


def _items(combo):
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def test_open_data_and_open_pair_offer_every_built_in_set_with_what_it_is(qtbot):
    make_app()
    for dialog in (OpenDataDialog(), OpenPairDialog()):
        qtbot.addWidget(dialog)
        combo = dialog.data.combo
        assert [text for text, _ in _items(combo)] == ["fashion-mnist", "mnist", "digits", "faces"]
        assert combo.itemData(3, 3) == BUILTIN_DATA["faces"].description  # 3: the tooltip role
        combo.setCurrentIndex(3)
        assert dialog.data.value() == "faces"


def test_the_train_form_offers_the_faces_and_starts_a_run_on_them(qtbot):
    make_app()
    form = TrainForm(devices=["cpu"])
    qtbot.addWidget(form)
    assert [value for _, value in _items(form.data)] == ["fashion-mnist", "mnist", "digits", "faces", "folder"]
    form.data.setCurrentIndex(form.data.findData("faces"))
    result = form.result()
    assert result.errors == {} and result.config.data == "faces"
    assert not form.fraction_row.isVisible()  # the faces bring their own test images
    assert form.out.placeholderText().endswith("faces-vae-16d.pt")
