"""The command line and the files it replays as hostile input: bounded values, one-line refusals."""

import io
import json
import shutil
from contextlib import redirect_stderr

import pytest
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS, assert_one_line, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from vae_explorer.cli import build_parser
from vae_explorer.cli.traverse import MAX_ALPHAS, MAX_SAMPLES
from vae_explorer.core.attributes.files import load_vector
from vae_explorer.core.errors import DataError
from vae_explorer.core.io.images import MAX_SCALE
from vae_explorer.core.morph.gif import GIF_MAX_FPS, GIF_MIN_FPS
from vae_explorer.core.morph.keys import MAX_FRAMES, MIN_FRAMES
from vae_explorer.core.morph.recipe import MorphRecipe

HYPOTHESIS = settings(**SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])

numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "-0", "1e308", "1e-308", "0x10", "", " ", "nan", "inf", "-2:2:30000000", "1,2,", "१२"]),
    st.text(max_size=12),
)

# option -> (command's other arguments, the attribute it sets, check of a value it accepted)
OPTIONS = {
    "--frames": (["morph"], "frames", lambda v: MIN_FRAMES <= v <= MAX_FRAMES),
    "--fps": (["morph"], "fps", lambda v: GIF_MIN_FPS <= v <= GIF_MAX_FPS),
    "--scale": (["morph"], "scale", lambda v: 1 <= v <= MAX_SCALE),
    "--samples": (["traverse", "--data", "d", "--attribute", "c:1", "--out", "o"], "samples", lambda v: len(v) <= 64),
    "--alphas": (["traverse", "--data", "d", "--attribute", "c:1", "--out", "o"], "alphas", lambda v: len(v) <= 64),
    "--limit": (["embed", "m.pt", "--data", "d"], "limit", lambda v: v >= 1),
}


def parse(argv):
    """``(namespace or None, stderr)`` of parsing ``argv``; a refusal must exit with status 2."""
    err = io.StringIO()
    with redirect_stderr(err):
        try:
            return build_parser().parse_args(argv), err.getvalue()
        except SystemExit as exc:
            assert exc.code == 2
            return None, err.getvalue()


@HYPOTHESIS
@given(option=st.sampled_from(sorted(OPTIONS)), value=numbers)
def test_count_like_values_are_bounded_or_refused_in_one_line(option, value):
    before, attr, ok = OPTIONS[option]
    args, err = parse([*before, f"{option}={value}"])
    if args is None:
        assert_one_line(err, f"argument {option}")
        assert err.startswith("vae-explorer ")
    else:
        assert ok(getattr(args, attr)), (option, value, getattr(args, attr))


def test_the_values_of_the_hardening_list_are_refused_before_any_work(capsys, tmp_path, checkpoints_dir):
    ckpt = checkpoints_dir / "digits-vae.pt"
    morph = ["morph", "--vae", ckpt, "--data", "digits", "--from", 0, "--to", 1, "--out", tmp_path / "m.gif"]
    traverse = ["traverse", "--vae", ckpt, "--data", "digits", "--out", tmp_path / "t.png"]
    for argv, message in (
        ([*morph, "--fps", 0.001], r"argument --fps: must be 0.01 to 50 .*, not 0.001"),
        ([*traverse, "--attribute", "class:1-7", "--alphas", "-2:2:30000000"], r"at most 64 alphas .*not 30,000,000"),
        ([*traverse, "--attribute", "class:1-7", "--scale", 5000], r"argument --scale: must be 1 to 16 .*not 5,000"),
        ([*traverse, "--attribute", ""], r"argument --attribute: must not be empty"),
        ([*traverse, "--attribute", "class:1-7", "--samples", ",".join(["0"] * 65)], r"at most 64 samples"),
    ):
        rc, _, err = run_cli(capsys, *argv)
        assert rc == 2
        assert_one_line_error(rc, err, message)
    rows = ",".join(str(k) for k in range(MAX_SAMPLES))
    argv = [*traverse, "--attribute", "class:1-7", "--samples", rows, "--alphas", f"-2:2:{MAX_ALPHAS}", "--scale", 16]
    rc, _, err = run_cli(capsys, *argv)
    assert_one_line_error(rc, err, r"the grid would be 9,[0-9]{3}x9,[0-9]{3} pixels, more than 64 million")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def recipe_folder(tmp_path, checkpoints_dir):
    folder = tmp_path / "shared"
    folder.mkdir()
    shutil.copy(checkpoints_dir / "digits-vae.pt", folder / "m.pt")
    Image.new("L", (8, 8), 200).save(folder / "key.png")
    return folder


def _recipe(**changes):
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": ["m.pt"], "keys": ["key.png", 1]}
    return {**blob, "frames": 4, "method": "lerp", "data": "digits", **changes}


def test_a_recipe_cannot_pull_in_images_from_outside_its_folder(capsys, tmp_path, recipe_folder):
    secret = tmp_path / "secret.png"
    Image.new("L", (8, 8), 30).save(secret)
    (recipe_folder / "in").mkdir()
    (recipe_folder / "in" / "link.png").symlink_to(secret)
    for key in ("../secret.png", str(secret), "in/link.png"):
        (recipe_folder / "r.json").write_text(json.dumps(_recipe(keys=[key, 1])))
        rc, _, err = run_cli(capsys, "morph", "--recipe", recipe_folder / "r.json", "--out", tmp_path / "m.gif")
        assert_one_line_error(rc, err, r"r.json: key image .* lies outside the recipe's folder; .*--allow-outside-keys")
        assert not (tmp_path / "m.gif").exists()
    rc, _, err = run_cli(
        capsys, "morph", "--recipe", recipe_folder / "r.json", "--allow-outside-keys", "--out", tmp_path / "m.gif"
    )
    assert rc == 0, err
    (recipe_folder / "r.json").write_text(json.dumps(_recipe()))
    rc, _, err = run_cli(capsys, "morph", "--recipe", recipe_folder / "r.json", "--out", tmp_path / "inside.gif")
    assert rc == 0, err


json_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**64), 2**64), st.floats(allow_nan=True), st.text(max_size=8)
)
json_values = st.recursive(
    json_leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
)
RECIPE_KEYS = ("checkpoints", "keys", "frames", "method", "data", "split", "data_dir", "digests", "gif")
GIF_KEYS = ("fps", "scale", "resample", "loop", "pingpong", "show", "labels", "other")


@HYPOTHESIS
@given(
    changes=st.dictionaries(st.sampled_from(RECIPE_KEYS), json_values, max_size=3),
    gif=st.dictionaries(st.sampled_from(GIF_KEYS), json_values, max_size=3),
)
def test_random_recipes_replay_or_are_refused_in_one_line(capsys, tmp_path, recipe_folder, changes, gif):
    (recipe_folder / "r.json").write_text(json.dumps(_recipe(**{"gif": gif, **changes})))
    out = tmp_path / "m.gif"
    out.unlink(missing_ok=True)
    before = snapshot(recipe_folder)
    rc, _, err = run_cli(capsys, "morph", "--recipe", recipe_folder / "r.json", "--out", out)
    if rc:
        assert_one_line_error(rc, err, r".")
        assert rc in (1, 2) and not out.exists()
    else:
        assert out.stat().st_size > 0
    assert snapshot(recipe_folder) == before


VECTOR_KEYS = ("name", "groups", "description", "data", "vectors")


@HYPOTHESIS
@given(changes=st.dictionaries(st.sampled_from(VECTOR_KEYS), json_values, max_size=3), text=st.text(max_size=20))
def test_random_vector_files_load_or_are_refused_in_one_line(tmp_path, changes, text):
    entry = {"slot": "right", "model": "m.pt", "kind": "vae", "latent_dim": 2, "values": [0.5, -1.0]}
    blob = {"format": "vae-explorer-attribute-vector", "format_version": 1, "vectors": [entry], **changes}
    for path, content in ((tmp_path / "v.json", json.dumps(blob)), (tmp_path / "t.json", text)):
        path.write_text(content)
        try:
            vector = load_vector(path)
        except DataError as exc:
            assert_one_line(str(exc), str(path))
        else:
            assert vector.entries and all(len(e.values) for e in vector.entries.values())


@HYPOTHESIS
@given(blob=json_values)
def test_random_json_is_never_a_recipe_by_accident(tmp_path, blob):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(blob))
    with pytest.raises(DataError) as info:
        MorphRecipe.load(path)
    assert_one_line(str(info.value), str(path))
