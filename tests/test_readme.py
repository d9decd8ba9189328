"""The READMEs' commands run as written.

Every command of a fenced ``sh`` block of README.md and checkpoints/README.md,
and every ``vae-explorer ... --help`` the prose names, is covered by one rule
below: run here, in a temporary folder beside a link to ``checkpoints/`` (so
nothing is written into ``docs/`` or ``checkpoints/``), or skipped with the
reason. A command that stops working fails; a new command without a rule fails
too, so the list stays complete. The only changes made to a command before it
runs are those its rule names (fewer epochs, fewer images, a screenshot in place
of a window left open).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import user_models
from fashion import FASHION, NO_FASHION

ROOT = Path(__file__).resolve().parents[1]
READMES = ("README.md", "checkpoints/README.md")
TIMEOUT_S = 1800  # a guard against a command that hangs: a busy machine trains an epoch of Fashion-MNIST slowly


@dataclass(frozen=True)
class Rule:
    """How the test treats the commands matching ``pattern``: ``skip`` says why one is not run; ``values``
    (option, new value) and ``add`` (words appended) change it before it runs; ``fashion``: it needs
    Fashion-MNIST; ``slow``: it trains or encodes for more than a few seconds; ``needs``: a file an earlier
    command makes."""

    pattern: str
    skip: str = ""
    values: tuple[tuple[str, str], ...] = ()
    add: tuple[str, ...] = ()
    fashion: bool = False
    slow: bool = False
    needs: str = ""  # a file an earlier command of the README makes


ONE_EPOCH = (("--epochs", "1"),)
ONE_MORE = (("--epochs", "2"),)
OWN_PAIR = r"^vae-explorer --ae checkpoints/fashion-ae\.pt --vae vae_model\.py$"


RULES = (
    Rule(r"^vae-explorer [a-z-]+ --help$"),
    Rule(r"^make run", skip="opens the window until it is closed; the `vae-explorer` runs below save a screenshot"),
    Rule(r"^make test", skip="runs this suite"),
    Rule(r"^vae-explorer$", add=("--screenshot", "window.png")),
    Rule(r"^vae-explorer train --data fashion-mnist .*--out my-vae\.pt$", values=ONE_EPOCH, fashion=True, slow=True),
    Rule(r"^vae-explorer train --resume my-vae\.pt", values=ONE_MORE, fashion=True, slow=True, needs="my-vae.pt"),
    Rule(r"^vae-explorer info checkpoints/"),
    Rule(r"^vae-explorer info vae_model\.py --trust$", fashion=True),
    Rule(r"^vae-explorer embed checkpoints/fashion-vae\.pt .*--tsv projector/$", add=("--limit", "300"), fashion=True),
    Rule(r"^pip install tensorboard$", skip="installs a package from the network"),
    Rule(r"^tensorboard --logdir", skip="a server that runs until it is stopped; the embed run makes what it serves"),
    Rule(r"^vae-explorer morph ", fashion=True),
    Rule(r"^vae-explorer traverse ", fashion=True),
    Rule(r"^vae-explorer evaluate checkpoints/faces-vae\.pt "),
    Rule(r"^vae-explorer evaluate checkpoints/faces-ae\.pt ", slow=True),
    Rule(r"^vae-explorer download", skip="uses the network (tests/core/data/test_registry.py makes one fail)"),
    Rule(r"^vae-explorer evaluate --ae checkpoints/(fashion|faces)", add=("--images", "300"), fashion=True, slow=True),
    Rule(r"^vae-explorer evaluate --ae checkpoints/digits", add=("--images", "300")),
    Rule(
        r"^(PYTHONSAFEPATH=1 )?torchrun ",
        skip="ten epochs in several processes; tests/core/training/test_distributed.py runs torchrun",
    ),
    Rule(OWN_PAIR, add=("--trust", "--screenshot", "own.png"), fashion=True),
    # checkpoints/README.md, from its folder
    Rule(r"^vae-explorer train --data \S+ --resume", skip="continues a run stopped at epoch 20, a file not shipped"),
    Rule(r"^vae-explorer train --data digits .*--half --out digits-\w+\.pt$", values=ONE_EPOCH),
    Rule(r"^vae-explorer train --data .*--half --out \S+\.pt$", skip="remakes a shipped model: up to hours"),
    Rule(r"^\.\./\.venv/bin/python \.\./benchmarks/face_predictor\.py --train", skip="retrains the factor predictor"),
    Rule(r"^\.\./\.venv/bin/python \.\./benchmarks/realism_classifier\.py ", skip="retrains a shipped classifier"),
)


def _commands(name: str) -> list[str]:
    """The commands of a README: each line of its ``sh`` blocks (continuations joined, comments dropped), and
    each ``vae-explorer ... --help`` named in its text."""
    text = (ROOT / name).read_text()
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                found.append(shlex.join(words))
    found += [" ".join(c.split()) for c in re.findall(r"`(vae-explorer [a-z-]+\s+--help)`", text)]
    return found


def _rule(command: str) -> Rule:
    rule = next((r for r in RULES if re.search(r.pattern, command)), None)
    assert rule is not None, f"no rule in tests/test_readme.py says how to test this README command: {command}"
    return rule


CASES = [(name, command) for name in READMES for command in _commands(name)]


def _param(name: str, command: str):
    marks = [pytest.mark.slow] if _rule(command).slow else []
    return pytest.param(name, command, marks=marks, id=f"{name}: {command}"[:90])


def test_every_readme_command_is_covered_by_a_rule():
    assert len(CASES) >= 30
    for _, command in CASES:
        _rule(command)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A fresh folder holding only a link to the shipped checkpoints, and the README's model file with weights
    beside it (when Fashion-MNIST is here to train them on)."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "checkpoints").symlink_to(ROOT / "checkpoints")
    if FASHION is not None:
        model_file = user_models.examples_vae(tmp_path_factory)
        for name in ("vae_model.py", "vae.pth"):
            shutil.copy(model_file.with_name(name), folder / name)
    return folder


def _argv(command: str, rule: Rule) -> list[str]:
    words = shlex.split(command)
    for option, value in rule.values:
        words[words.index(option) + 1] = value
    words += rule.add
    if words[0] == "vae-explorer":  # this environment's own, whatever PATH holds
        words[:1] = [sys.executable, "-m", "vae_explorer"]
    return words


@pytest.mark.parametrize(("readme", "command"), [_param(*case) for case in CASES])
def test_the_readme_command_runs_as_written(readme, command, workdir, tmp_path, monkeypatch):
    rule = _rule(command)
    if rule.skip:
        pytest.skip(rule.skip)
    if rule.fashion and FASHION is None:
        pytest.skip(NO_FASHION)
    if rule.needs and not (workdir / rule.needs).exists():
        pytest.skip(f"{rule.needs} was not made: the command above that makes it did not run or failed")
    argv = _argv(command, rule)
    outputs = [argv[k + 1] for k, word in enumerate(argv[:-1]) if word in ("--out", "--screenshot", "--tsv")]
    assert not any(o.startswith(("docs/", "checkpoints/")) for o in outputs), f"{command}: writes into the clone"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COLUMNS="100")
    result = subprocess.run(argv, cwd=workdir, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr
    for output in outputs:
        assert (workdir / output).exists(), f"{command}: wrote no {output}"
    if "--help" in argv:
        assert result.stdout.startswith("usage: vae-explorer")
