"""Numbers as hostile input: one table of bounds for flags, recipes and forms; the morph's pixel budget;
alphas that overflow 32-bit floats; a device index the CPU does not take."""

import dataclasses
import io
import json
import math
import os
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS, assert_one_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from trained import write_model

import vae_explorer
from vae_explorer.cli import build_parser
from vae_explorer.core.attributes.vectors import parse_alphas
from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.images import MAX_PICTURE_PIXELS, image_grid
from vae_explorer.core.limits import FPS, FRAMES, SCALE
from vae_explorer.core.morph.frames import MorphFrames
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.morph.pipeline import MAX_GIF_PIXELS, GifOptions, RenderedMorph, check_budget
from vae_explorer.core.morph.recipe import MorphRecipe
from vae_explorer.core.morph.render import morph_frame_images
from vae_explorer.core.session import Session
from vae_explorer.gui.morph.gif_dialog import GifOptionsDialog
from vae_explorer.gui.morph.writer import MorphWriter
from vae_explorer.gui.tasks import TaskRunner

HYPOTHESIS = settings(**SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])

numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 2, 16, 17, 240, 241, 0.0, 0.01, 0.005, 0.5, 0.99, 50.0, 50.5, 1e300, math.nan]),
)
# a recipe's field -> the flag that sets it on the command line
FIELDS = {
    "frames": "--frames",
    "test_fraction": "--test-fraction",
    "image_size": "--image-size",
    "gif.fps": "--fps",
    "gif.scale": "--scale",
}


def _cli_accepts(flag, value):
    text = repr(value) if isinstance(value, float) else str(value)
    with redirect_stderr(io.StringIO()):
        try:
            build_parser().parse_args(["morph", f"{flag}={text}"])
        except SystemExit:
            return False
    return True


@HYPOTHESIS
@given(field=st.sampled_from(sorted(FIELDS)), value=numbers)
def test_a_recipe_s_values_pass_the_command_line_s_bounds(tmp_path, field, value):
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": ["m.pt"], "keys": [0, 1]}
    blob |= {"frames": 4, "method": "lerp", "data": "digits"}
    if field.startswith("gif."):
        blob["gif"] = {field[4:]: value}
    else:
        blob[field] = value
    path = tmp_path / "r.json"
    path.write_text(json.dumps(blob))  # NaN and Infinity are written as JSON's readers take them
    try:
        MorphRecipe.load(path)
        accepted = True
    except DataError as exc:
        assert_one_line(str(exc), str(path), field.split(".")[-1])
        accepted = False
    assert accepted == _cli_accepts(FIELDS[field], value), (field, value)


def test_gif_options_are_checked_once_when_made_and_never_changed(qtbot):
    options = GifOptions(fps=12.5, scale=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.fps = 500  # type: ignore[misc]
    for bad in ({"fps": math.nan}, {"fps": 60}, {"scale": 0}, {"loop": "yes"}):
        with pytest.raises(ExportError) as info:
            GifOptions(**bad)
        assert_one_line(str(info.value), str(next(iter(bad.values()))))
    dialog = GifOptionsDialog(options, {"left": "AE", "right": "VAE"})  # the form's bounds are the table's
    qtbot.addWidget(dialog)
    assert (dialog.fps.minimum(), dialog.fps.maximum()) == (FPS.low, FPS.high)
    assert (dialog.scale.minimum(), dialog.scale.maximum()) == (SCALE.low, SCALE.high)
    assert dialog.options() == options


@HYPOTHESIS
@given(
    shape=st.tuples(st.sampled_from([1, 3]), st.integers(4, 12), st.integers(4, 12)),
    models=st.integers(1, 2),
    scale=st.integers(1, 16),
    labels=st.booleans(),
    frames=st.integers(2, 240),
)
def test_the_budget_knows_each_picture_s_size_before_drawing_it(shape, models, scale, labels, frames):
    options = GifOptions(scale=scale, labels=labels)
    rows = [np.zeros((1, *shape), np.float32)] * models
    (frame,) = morph_frame_images(rows, scale, "nearest", ["A", "B"][:models], labels)
    strip = image_grid(np.zeros((models * frames, *shape), np.uint8), models, frames)
    strip_pixels = strip.shape[1] * strip.shape[2] * scale * scale
    try:
        check_budget(frames, models, shape, options, gif=True, strip=True)
        refused = None
    except ExportError as exc:
        refused = str(exc)
    over = frames * frame.width * frame.height > MAX_GIF_PIXELS or strip_pixels > MAX_PICTURE_PIXELS
    assert (refused is not None) == over
    if refused:
        assert_one_line(refused, "million")


def test_an_oversized_morph_is_refused_before_any_frame_is_decoded(tmp_path):
    """A child limited to 512 MiB more address space asks for 240 frames of two 64x64 colour models, 16 times."""
    ae, vae = (
        write_model(tmp_path / "ae.pt", "ae", 4, 0, (3, 64, 64)),
        write_model(tmp_path / "v.pt", "vae", 4, 1, (3, 64, 64)),
    )
    for k in range(2):
        Image.new("RGB", (64, 64), (40 * k, 90, 200)).save(tmp_path / f"k{k}.png")
    code = (
        "import resource, sys\n"
        "import torch  # loaded first: the limit is on what reading the files asks for beyond torch\n"
        "from vae_explorer.cli import main\n"
        "with open('/proc/self/statm') as fh:\n    used = int(fh.read().split()[0]) * resource.getpagesize()\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used + 512 * 2**20, resource.RLIM_INFINITY))\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = ["morph", "--ae", ae, "--vae", vae, "--from", tmp_path / "k0.png", "--to", tmp_path / "k1.png"]
    argv += ["--frames", 240, "--scale", 16, "--out", tmp_path / "m.gif", "--device", "cpu"]
    env = {**os.environ, "PYTHONPATH": str(Path(vae_explorer.__file__).parents[1]), "OMP_NUM_THREADS": "1"}
    p = subprocess.run(
        [sys.executable, "-c", code, *map(str, argv)], env=env, capture_output=True, text=True, timeout=120
    )
    assert_one_line_error(
        p.returncode, p.stderr, r"the GIF would be 240 frames of 2,052x1,024 pixels \(504 million pixels\), more than"
    )
    assert not (tmp_path / "m.gif").exists()


def test_the_explorer_s_gif_export_meets_the_same_budget(qtbot, tmp_path):
    session, runner = Session("cpu"), TaskRunner()
    service = MorphWriter(session, runner)
    morph = session.morph
    morph.set_start(MorphKey(0))
    morph.set_end(MorphKey(1))
    frames = MorphFrames(
        np.zeros((2, 4)), np.zeros((240, 4)), np.zeros((240, 3, 64, 64), np.float32), np.array([0, 239])
    )
    assert morph.set_results(RenderedMorph(["AE", "VAE"], [frames, frames], []), ["left", "right"], morph.generation)
    with qtbot.waitSignal(runner.sigFailed, timeout=10_000) as failed:
        service.export_gif(tmp_path / "m.gif", GifOptions(scale=16))
    assert_one_line(failed.args[0], "the GIF would be 240 frames of 2,052x1,024 pixels", "million")
    assert not (tmp_path / "m.gif").exists()


@HYPOTHESIS
@given(value=st.floats(allow_nan=False, allow_infinity=False), n=st.integers(1, 5))
def test_alphas_that_overflow_32_bit_floats_are_refused(value, n):
    text = ",".join([repr(value)] * n)
    try:
        alphas = parse_alphas(text)
    except ValueError as exc:
        assert abs(value) > float(np.finfo(np.float32).max)
        assert_one_line(str(exc), "32-bit")
    else:
        assert np.isfinite(alphas).all() and alphas.dtype == np.float32


def test_a_traversal_whose_codes_would_overflow_is_refused_in_one_line(capsys, tmp_path, checkpoints_dir):
    out = tmp_path / "t.png"
    argv = ["traverse", "--vae", checkpoints_dir / "digits-vae.pt", "--data", "digits", "--attribute", "class:1-7"]
    rc, _, err = run_cli(capsys, *argv, "--alphas", "-3e38,3e38", "--samples", "0", "--out", out)
    assert_one_line_error(rc, err, r"alpha -?3e\+38 moves the codes beyond what 32-bit floats hold")
    assert not out.exists()
    rc, _, err = run_cli(capsys, "evaluate", checkpoints_dir / "faces-vae.pt", "--alpha", "1e39")
    assert_one_line_error(rc, err, r"argument --alpha: must be at most 3.403e\+38 either way .*not 1e39")


@pytest.mark.parametrize("device", ["cpu:0", "CPU:1", "mps:0"])
def test_a_numbered_cpu_is_a_device_error_not_a_corrupt_checkpoint(capsys, tmp_path, checkpoints_dir, device):
    rc, _, err = run_cli(
        capsys, "embed", checkpoints_dir / "digits-vae.pt", "--device", device, "--out", tmp_path / "c.npz"
    )
    assert_one_line_error(rc, err, rf"device '{device.lower()}': only CUDA devices are numbered")
    assert "corrupt" not in err and not (tmp_path / "c.npz").exists()


def test_frames_bounds_are_the_table_s():
    assert FRAMES.problem(241) and FRAMES.problem(math.nan) and not FRAMES.problem(240)
