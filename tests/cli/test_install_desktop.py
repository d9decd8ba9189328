"""``vae-explorer install-desktop``: the menu entry and icons in the user's XDG folders, and out again."""

from __future__ import annotations

import configparser
import shlex
import sys
import sysconfig
from pathlib import Path

import pytest
from helpers import assert_one_line_error, run_cli

from vae_explorer.cli.desktop import exec_quote, launcher
from vae_explorer.core.io.resources import ICON_SIZES, icon_png, icon_svg


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_the_entry_and_every_icon_and_uninstall_takes_them_out(data_home, capsys):
    mine = data_home / "applications" / "other-app.desktop"  # the user's own files stay
    mine.parent.mkdir(parents=True)
    mine.write_text("[Desktop Entry]\nName=other\n")

    rc, out, err = run_cli(capsys, "install-desktop")
    assert rc == 0 and not err and "vae-explorer.desktop" in out
    desktop = data_home / "applications" / "vae-explorer.desktop"
    e = entry(desktop)
    assert shlex.split(e["Exec"]) == launcher() and e["TryExec"] == launcher()[0]
    assert e["Icon"] == "vae-explorer" and e["Categories"].startswith("Science;Education;")
    icons = data_home / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert (icons / f"{size}x{size}" / "apps" / "vae-explorer.png").read_bytes() == icon_png(size).read_bytes()
    assert (icons / "scalable" / "apps" / "vae-explorer.svg").read_bytes() == icon_svg().read_bytes()

    assert run_cli(capsys, "install-desktop")[0] == 0  # again: the same files, nothing else
    assert sorted(p.name for p in (data_home / "applications").iterdir()) == ["other-app.desktop", desktop.name]

    rc, out, err = run_cli(capsys, "install-desktop", "--uninstall")
    assert rc == 0 and "removed 10 files" in out
    assert not desktop.exists() and not list(icons.rglob("vae-explorer.*"))
    assert mine.read_text() == "[Desktop Entry]\nName=other\n"
    rc, out, err = run_cli(capsys, "install-desktop", "--uninstall")
    assert rc == 0 and out.startswith("nothing to remove")


def test_the_entry_starts_this_installation(data_home, tmp_path, monkeypatch, capsys):
    """The interpreter's own ``vae-explorer`` script where it has one, else ``python -P -m vae_explorer``."""
    scripts = tmp_path / "my env" / "bin"
    scripts.mkdir(parents=True)
    monkeypatch.setattr(sysconfig, "get_path", lambda name, *a, **k: str(scripts) if name == "scripts" else "")
    assert launcher() == [sys.executable, "-P", "-m", "vae_explorer"]  # a checkout run without installing
    (scripts / "vae-explorer").write_text("#!/bin/sh\n")
    assert launcher() == [str(scripts / "vae-explorer")]
    assert run_cli(capsys, "install-desktop")[0] == 0
    exec_line = entry(data_home / "applications" / "vae-explorer.desktop")["Exec"]
    assert exec_line == f'"{scripts / "vae-explorer"}"'  # the space in the path is quoted


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/vae-explorer", "/usr/bin/vae-explorer"),
        ("/home/a b/bin/vae-explorer", '"/home/a b/bin/vae-explorer"'),
        ('/x/"$`\\/y', '"/x/\\"\\$\\`\\\\/y"'),
        ("/x/100%/y", '"/x/100%%/y"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_asks(arg, quoted):
    assert exec_quote(arg) == quoted


def test_a_data_folder_that_cannot_hold_the_entry_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    rc, out, err = run_cli(capsys, "install-desktop")
    assert_one_line_error(rc, err, r"^vae-explorer: error: cannot create .*not-a-folder")
    assert blocker.read_text() == "a file where the data folder should be"
