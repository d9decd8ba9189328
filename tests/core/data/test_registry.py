"""The built-in data sets, listed once: every command, dialog and check offers and treats them the same."""

import re

import pytest
from helpers import assert_one_line_error, run_cli, write_idx_set
from torchvision import datasets

from vae_explorer.core.data import BUILTIN, BUILTIN_DATA, load_dataset
from vae_explorer.core.errors import DataError
from vae_explorer.core.training.run_data import effective_test_fraction, ships_split


def test_the_registry_names_each_set_once_with_what_it_is():
    assert BUILTIN == ("fashion-mnist", "mnist", "digits", "faces")
    for entry in BUILTIN_DATA.values():
        assert entry.title and entry.description
        assert entry.ships_split == (entry.test_fraction is None)


@pytest.mark.parametrize("name", BUILTIN)
def test_a_set_that_ships_its_test_split_refuses_a_test_fraction_and_the_others_hold_one_out(name):
    if BUILTIN_DATA[name].ships_split:
        assert ships_split(name) and effective_test_fraction(name, None) is None
        with pytest.raises(DataError, match=rf"^{name}: ships its own test split"):
            effective_test_fraction(name, 0.2)
    else:
        assert effective_test_fraction(name, None) == BUILTIN_DATA[name].test_fraction == 0.2
        assert effective_test_fraction(name, 0.3) == 0.3


def test_idx_sets_are_found_where_the_registry_says(tmp_path, monkeypatch):
    monkeypatch.setenv("VAE_EXPLORER_DATA", str(tmp_path))
    write_idx_set(tmp_path / "mnist", n=6, split="test")
    assert BUILTIN_DATA["mnist"].available()
    assert BUILTIN_DATA["mnist"].search_path()[1] == tmp_path / "mnist"
    data = load_dataset("MNIST", "test")  # names in any case
    assert (data.name, len(data), data.source) == ("mnist", 6, str(tmp_path / "mnist"))


def test_every_command_names_every_built_in_set(capsys):
    for argv in (["--help"], ["train", "--help"], ["embed", "--help"], ["morph", "--help"], ["info", "--help"]):
        rc, out, _ = run_cli(capsys, *argv)
        help_text = " ".join(out.split())
        assert rc == 0
        if argv[0] != "info":
            assert "fashion-mnist, mnist, digits, faces, or a folder" in help_text, argv
        assert "a folder holding the Fashion-MNIST / MNIST IDX files" in help_text, argv
    with pytest.raises(DataError, match=r"unknown data 'cifar': use fashion-mnist, mnist, digits or faces or a folder"):
        load_dataset("cifar")


def test_download_offers_only_the_sets_it_can_fetch(capsys):
    rc, _, err = run_cli(capsys, "download", "digits")
    assert rc == 2 and re.search(r"invalid choice: 'digits' \(choose from '?fashion-mnist'?, '?mnist'?\)$", err)


def test_a_failed_download_is_one_line_and_leaves_no_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", ["http://127.0.0.1:9/"])  # nothing listens there
    dest = tmp_path / "new" / "data"
    rc, out, err = run_cli(capsys, "download", "fashion-mnist", "--dest", dest)
    assert_one_line_error(
        rc, err, rf"^vae-explorer: error: download of fashion-mnist into {re.escape(str(dest))} failed: "
    )
    assert out == "" and list(tmp_path.iterdir()) == []
