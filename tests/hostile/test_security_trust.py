"""Trust covers what runs: a model file and the modules beside it that it imports, as they were when trusted."""

import importlib.util
import json
import os
import py_compile
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from user_models import TINY

from vae_explorer.core.errors import ModelFileError
from vae_explorer.core.io.trust import TrustPolicy, TrustStore, file_key
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.model.user_model import read_model_file
from vae_explorer.gui.shell.trust import TrustDialog

HYPOTHESIS = settings(**{**SETTINGS, "max_examples": 4}, suppress_health_check=[HealthCheck.function_scoped_fixture])

MODEL = "import helper\nfrom parts import names\n" + TINY.format(
    decode="torch.sigmoid(self.dec(z))",
    output="probabilities",
    extra=", name=helper.NAME + names.SUFFIX, data='digits'",
)
MARK = "import pathlib\npathlib.Path(__file__).parent.joinpath('{name} ran').write_text('ran')\n"


def model_folder(root: Path) -> Path:
    """``model.py`` importing ``helper.py`` and ``parts/names.py``, each leaving a mark in the folder when it runs."""
    folder = Path(tempfile.mkdtemp(dir=root))
    (folder / "model.py").write_text(MODEL)
    (folder / "helper.py").write_text(MARK.format(name="helper") + "NAME = 'tiny'\n")
    (folder / "parts").mkdir()
    (folder / "parts" / "names.py").write_text(MARK.format(name="names") + "SUFFIX = ''\n")
    return folder


def ran(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("* ran"))


def forget_marks(folder: Path) -> None:
    for mark in folder.rglob("* ran"):
        mark.unlink()


CHANGES = {
    "the helper": lambda f: f.joinpath("helper.py").write_text(f.joinpath("helper.py").read_text() + "NAME = 'x'\n"),
    "a module in a package": lambda f: f.joinpath("parts", "names.py").write_text(
        MARK.format(name="names") + "SUFFIX = '!'\n"
    ),
    "a new module": lambda f: f.joinpath("torch.py").write_text(MARK.format(name="torch")),
    "the model file": lambda f: f.joinpath("model.py").write_text(MODEL + "# edited\n"),
}


def test_a_changed_helper_module_is_asked_about_again(tmp_path):
    folder = model_folder(tmp_path)
    source = read_model_file(folder / "model.py")
    assert [name for name, _ in source.modules] == ["helper.py", "parts/names.py"]
    store = TrustStore(tmp_path / "trusted.json")
    store.remember(source.path, source.digest)
    CHANGES["the helper"](folder)
    again = read_model_file(folder / "model.py")
    assert again.sha256 == source.sha256 and again.digest != source.digest
    assert not store.trusted(again.path, again.digest)  # the window asks again
    policy = TrustPolicy(approved={file_key(source.path): source.digest})  # what was said yes to
    with pytest.raises(ModelFileError, match=r"model.py: changed since you trusted it"):
        open_model(folder / "model.py", "cpu", policy)
    assert ran(folder) == []


def test_the_question_names_the_modules_that_run_with_it_as_plain_text(qtbot, tmp_path):
    QApplication.instance() or QApplication([])
    folder = tmp_path / "<img src='x'> & <b>models"  # no slash: a name, not a path
    folder.mkdir()
    shutil.copytree(model_folder(tmp_path), folder, dirs_exist_ok=True)
    dialog = TrustDialog([read_model_file(folder / "model.py")])
    qtbot.addWidget(dialog)
    labels = dialog.findChildren(QLabel)
    shown = [label.text() for label in labels if label.textFormat() == Qt.TextFormat.PlainText]
    assert any("helper.py, parts/names.py" in text and str(folder) in text for text in shown), shown
    for label in labels:  # the folder's name never turns into markup
        rich = label.textFormat() != Qt.TextFormat.PlainText
        assert not (rich and "<img src='x'>" in label.text()), label.text()


def test_bytecode_planted_in_pycache_never_runs_in_place_of_the_trusted_source(tmp_path):
    folder = model_folder(tmp_path)
    helper = folder / "helper.py"
    good = helper.read_text()
    helper.write_text(good.replace("'tiny'", "'evil'"))  # the same size, compiled with the same time stamp
    stamp = helper.stat().st_mtime_ns
    py_compile.compile(str(helper), cfile=importlib.util.cache_from_source(str(helper)))
    helper.write_text(good)
    os.utime(helper, ns=(stamp, stamp))
    source = read_model_file(folder / "model.py")
    model = open_model(folder / "model.py", "cpu", TrustPolicy(approved={file_key(source.path): source.digest}))
    assert model.name == "tiny"


@pytest.fixture
def recipe(capsys, tmp_path):
    """A model folder with a recipe saved from a trusted morph of its model file."""
    folder = model_folder(tmp_path)
    argv = ["morph", "--vae", folder / "model.py", "--trust", "--from", 0, "--to", 1, "--frames", 3]
    rc, _, err = run_cli(capsys, *argv, "--save-recipe", folder / "r.json")
    assert rc == 0, err
    assert json.loads((folder / "r.json").read_text())["code_digests"] == [read_model_file(folder / "model.py").digest]
    return folder


@HYPOTHESIS
@given(change=st.sampled_from(sorted(CHANGES)))
def test_a_recipe_whose_code_changed_is_refused_before_it_runs_even_with_trust(capsys, tmp_path, recipe, change):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # the folder shared, the recipe naming its model as it lies there
    shutil.copytree(recipe, folder, dirs_exist_ok=True)
    blob = json.loads((folder / "r.json").read_text())
    (folder / "r.json").write_text(json.dumps({**blob, "checkpoints": ["model.py"]}))
    CHANGES[change](folder)
    forget_marks(folder)
    out = tmp_path / f"{change}.gif"
    rc, _, err = run_cli(capsys, "morph", "--recipe", folder / "r.json", "--trust", "--out", out)
    assert_one_line_error(rc, err, r"model.py: its code .* is not what the recipe recorded; add --trust-changed")
    assert ran(folder) == [] and not out.exists()
    rc, _, err = run_cli(capsys, "morph", "--recipe", folder / "r.json", "--trust", "--trust-changed", "--out", out)
    assert rc == 0, err
    assert out.stat().st_size > 0


def test_an_unchanged_recipe_replays_with_trust_alone(capsys, tmp_path, recipe):
    forget_marks(recipe)
    rc, _, err = run_cli(capsys, "morph", "--recipe", recipe / "r.json", "--trust", "--out", tmp_path / "m.gif")
    assert rc == 0, err
    assert ran(recipe) == ["helper ran", "names ran"]
