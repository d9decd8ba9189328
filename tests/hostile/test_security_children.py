"""Python children the app starts, or the README tells to start, never import a module lying in the working folder."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from vae_explorer.gui.training.process import TrainProcess

ROOT = Path(__file__).resolve().parents[2]
SHADOW = """\
import pathlib, sys
pathlib.Path(__file__).with_name("shadowed").write_text(" ".join(sys.argv))
raise SystemExit("a numpy.py in the working folder ran")
"""


def shadowing_folder(tmp_path: Path) -> Path:
    """A working folder holding a ``numpy.py`` that leaves a mark when it is imported."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "numpy.py").write_text(SHADOW)
    return folder


def test_the_train_tabs_child_does_not_import_the_working_folders_numpy(qtbot, tmp_path, monkeypatch):
    QCoreApplication.instance() or QCoreApplication([])
    folder = shadowing_folder(tmp_path)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PYTHONPATH", os.pathsep + ".")  # empty and relative entries: the working folder again
    child = TrainProcess()
    with qtbot.waitSignal(child.sigFinished, timeout=120_000) as finished:
        child.start(["--version"])  # imports what a training run imports first: numpy, torch, the command line
    assert not (folder / "shadowed").exists()
    assert finished.args == [0, False], list(child.error_lines)


def readme_torchrun_lines() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return [line for line in text.splitlines() if re.match(r"^\S*\s*torchrun ", line)]


def test_the_readmes_torchrun_lines_keep_the_working_folder_off_the_path(tmp_path):
    lines = readme_torchrun_lines()
    assert lines and all(line.startswith("PYTHONSAFEPATH=1 torchrun ") for line in lines), lines
    folder = shadowing_folder(tmp_path)
    words = shlex.split(lines[0])
    env_word, rest = words[0], words[2:]  # PYTHONSAFEPATH=1, torchrun, its options and the command
    rest[rest.index("--nproc_per_node") + 1] = "1"  # one process shows what each imports
    rest[rest.index("vae_explorer") + 1 :] = ["--version"]  # which is what a training run imports first
    name, value = env_word.split("=")
    env = {**os.environ, name: value, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", *rest],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not (folder / "shadowed").exists()
    assert done.returncode == 0, done.stderr[-2000:]
