"""A launch with codes cached shows its maps before torch is imported, then loads the models in the background.

The first launch of a pair keeps a card of each model; the next one shows both maps from
the cache while the networks load (the status bar says so), decodes the cursors once
they have, lets nothing fail meanwhile, and says in one line when a network cannot load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from vae_explorer.cli import build_parser
from vae_explorer.core.model.pending import is_pending
from vae_explorer.core.session import SLOTS
from vae_explorer.gui.shell.app import make_app, make_window
from vae_explorer.gui.shell.quick_start import LOADING_NOTE, LOADING_TITLE

HEAVY = ("torch", "torchvision", "sklearn", "scipy", "openTSNE")
# Launches the window as `vae-explorer ARGS` does and, at the moment both maps are painted, prints which heavy
# modules are imported, then ends the process.
PROBE = """
import json, logging, os, sys
class AtMapsShown(logging.Handler):
    def emit(self, record):
        if record.getMessage() == "maps shown":
            print(json.dumps({name: name in sys.modules for name in HEAVY}), flush=True)
            os._exit(0)
logging.getLogger().addHandler(AtMapsShown())
logging.getLogger().setLevel(logging.INFO)
from vae_explorer.cli import main
main(sys.argv[1:])
""".replace("HEAVY", repr(HEAVY))


def _launch(argv: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True, timeout=timeout)


def imported_when_maps_shown(pair_args: list[str], cache: str) -> dict[str, bool]:
    """Which heavy modules a launch on a warm cache has imported when both maps are painted."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=cache)
    warm = _launch(["-m", "vae_explorer", *pair_args, "--screenshot", f"{cache}/first.png"], env)
    assert warm.returncode == 0, warm.stderr  # the first launch: models loaded, codes encoded, both kept
    probe = _launch(["-c", PROBE, *pair_args], env)
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_cached_start_paints_the_maps_before_torch_is_imported(tmp_path, checkpoints_dir):
    pair = ["--ae", str(checkpoints_dir / "digits-ae.pt"), "--vae", str(checkpoints_dir / "digits-vae.pt")]
    imported = imported_when_maps_shown([*pair, "--data", "digits"], str(tmp_path / "cache"))
    assert not imported["torch"] and not imported["torchvision"]


def test_cached_fashion_start_needs_neither_torch_nor_scikit_learn(tmp_path, checkpoints_dir, fashion_dir):
    pair = ["--ae", str(checkpoints_dir / "fashion-ae.pt"), "--vae", str(checkpoints_dir / "fashion-vae.pt")]
    imported = imported_when_maps_shown([*pair, "--data", "fashion-mnist"], str(tmp_path / "cache"))
    assert imported == dict.fromkeys(HEAVY, False)


def _window(qtbot, tmp_path, pair, name: str):
    make_app()
    argv = ["--ae", str(pair[0]), "--vae", str(pair[1]), "--data", "digits", "--theme", "light"]
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    window = make_window(build_parser().parse_args(argv), settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def warm_pair(qtbot, tmp_path, digits_pair):
    """The digits pair opened once (as a first launch does), so that its cards and codes are cached."""
    first = _window(qtbot, tmp_path, digits_pair, "first")
    qtbot.waitUntil(first.is_settled, timeout=60_000)
    assert not any(is_pending(s.model) for s in first.session.slots.values())  # a first launch loads, then shows
    first.close()
    return digits_pair


def when_maps_drawn(window, then) -> list:
    """Call ``then()`` at the moment both maps are drawn (before the event loop turns again); collect its results."""
    results, drawn = [], set()

    def on_drawn(slot: str) -> None:
        drawn.add(slot)
        if drawn == set(SLOTS) and not results:
            results.append(then())

    for slot, panel in window.explorer.maps.items():
        panel.sigScatterDrawn.connect(lambda n, s=slot: on_drawn(s))
    return results


def test_maps_show_before_the_models_load_and_the_cursors_decode_once_they_have(qtbot, tmp_path, warm_pair):
    window = _window(qtbot, tmp_path, warm_pair, "second")
    session = window.session
    seen = when_maps_drawn(
        window,
        lambda: (
            [is_pending(s.model) for s in session.slots.values()],
            window.status_text.text(),
            [task.title for task in window.runner.tasks.values()],
        ),
    )
    qtbot.waitUntil(lambda: window.is_settled() and bool(seen), timeout=60_000)
    pending, status, tasks = seen[0]
    names = [s.model.name for s in session.slots.values()]
    assert pending == [True, True]  # the maps were painted from the cache, the networks still loading
    assert status == LOADING_NOTE  # the status bar says so
    assert LOADING_TITLE in tasks  # and the task's own line, with its progress
    for s in session.slots.values():
        assert not is_pending(s.model)
        assert s.decoded is not None and (s.decoded.z == s.cursor_z).all()  # the first sample, decoded
        assert s.decoded.image.shape == s.model.image_shape and s.decoded.image.max() > 0
    assert window.messages.text() == ""
    assert not window.task_status.isVisible()
    assert window.status_text.text() == f"{names[0]} and {names[1]} loaded: the cursors decode"  # not still loading


def test_a_cursor_moved_while_loading_decodes_when_the_models_arrive(qtbot, tmp_path, warm_pair):
    window = _window(qtbot, tmp_path, warm_pair, "second")
    session = window.session
    seen = when_maps_drawn(window, lambda: (session.select(7), [is_pending(s.model) for s in session.slots.values()]))
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    assert seen[0][1] == [True, True]  # selected while the networks were loading: the decode waits for them
    qtbot.waitUntil(window.is_settled, timeout=60_000)
    assert session.selection == 7
    for s in session.slots.values():
        assert (s.decoded.z == s.codes.mu[7]).all()
    assert window.messages.text() == ""


def test_a_model_that_fails_to_load_in_the_background_is_one_line_and_the_window_stays(qtbot, tmp_path, warm_pair):
    left = tmp_path / "left.pt"
    left.write_bytes(warm_pair[0].read_bytes())  # the same checkpoint, a copy that can go away
    window = _window(qtbot, tmp_path, (left, warm_pair[1]), "second")
    # shown from its card, then gone before its network loads
    seen = when_maps_drawn(window, lambda: (left.unlink(), is_pending(window.session.slots["left"].model)))
    qtbot.waitUntil(lambda: bool(seen) and bool(window.messages.text()), timeout=60_000)
    assert seen[0][1]
    text = window.messages.text()
    assert str(left) in text and "\n" not in text
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    assert window.isVisible()
    assert window.session.slots["left"].model is None  # not shown as if it could decode
    assert window.explorer.maps["right"].shown_points is not None  # the other side stays


def test_the_command_line_and_the_window_import_no_torch_until_a_model_loads():
    code = (
        "import sys, vae_explorer, vae_explorer.cli, vae_explorer.gui.shell.app; "
        "print(sorted(set(sys.modules) & set(%r)))"
    )
    out = subprocess.run([sys.executable, "-c", code % (HEAVY,)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
