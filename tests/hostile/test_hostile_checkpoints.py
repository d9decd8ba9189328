"""Checkpoints as hostile input: budgets checked before allocation, exact weights, finite values, typed metadata."""

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import torch
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS, assert_one_line, make_char_device, snapshot, time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vae_explorer
from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.model.checkpoint import load_checkpoint

HYPOTHESIS = settings(**SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def shipped(checkpoints_dir):
    """The shipped digits VAE: its bytes, and its blob as torch.load reads it."""
    data = (checkpoints_dir / "digits-vae.pt").read_bytes()
    return data, torch.load(io.BytesIO(data), weights_only=True)


def _save(path, blob):
    torch.save(blob, path)
    return path


def _edited(path, shipped, edit):
    blob = torch.load(io.BytesIO(shipped[0]), weights_only=True)
    edit(blob)
    return _save(path, blob)


def _refused(path, *pattern_parts, **kw):
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path, **kw)
    assert_one_line(str(info.value), str(path), *pattern_parts)
    return str(info.value)


def test_non_regular_files_are_refused_before_reading(tmp_path):
    os.mkfifo(tmp_path / "fifo.pt")
    make_char_device(tmp_path / "zero.pt", minor=5)
    (tmp_path / "folder.pt").mkdir()
    with time_limit(20):
        _refused(tmp_path / "fifo.pt", "is a FIFO (named pipe), not a checkpoint file")
        _refused(tmp_path / "zero.pt", "is a character device, not a checkpoint file")
        _refused(tmp_path / "folder.pt", "is a folder, not a checkpoint file")


def test_info_on_a_device_or_fifo_ends_in_one_line(capsys, tmp_path):
    make_char_device(tmp_path / "zero", minor=5)
    os.mkfifo(tmp_path / "fifo")
    with time_limit(20):
        for name in ("zero", "fifo"):
            rc, _, err = run_cli(capsys, "info", tmp_path / name)
            assert_one_line_error(rc, err, rf"{name}: is a .*, not a checkpoint file")


def bomb(data: bytes, declared: int) -> bytes:
    """A checkpoint's archive with one more part: ``declared`` bytes of zeros, deflated to a thousandth."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        zeros = bytes(2**22)
        part = zipfile.ZipInfo("archive/data/99")
        part.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(part, "w", force_zip64=True) as fh:
            for _ in range(declared // len(zeros)):
                fh.write(zeros)
    return out.getvalue()


def declaring(data: bytes, declared: int) -> bytes:
    """A small bomb whose headers say its extra part unpacks to ``declared`` bytes (it holds 4 MiB)."""
    data = bytearray(bomb(data, 2**22))
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = data.find(sig)
        while pos >= 0:
            n = struct.unpack_from("<H", data, pos + name_len_at)[0]
            if data[pos + name_at : pos + name_at + n] == b"archive/data/99":
                struct.pack_into("<I", data, pos + size_at, declared)
            pos = data.find(sig, pos + 4)
    return bytes(data)


def test_a_compressed_bomb_is_refused_before_it_is_unpacked(tmp_path, shipped):
    path = tmp_path / "bomb.pt"
    path.write_bytes(bomb(shipped[0], 64 * 2**20))
    assert path.stat().st_size < 1_000_000
    _refused(path, "declares 64.", "MiB", "not a checkpoint vae-explorer reads")


def test_a_config_asking_for_a_huge_model_is_refused_before_building(tmp_path, shipped):
    path = _edited(tmp_path / "wide.pt", shipped, lambda b: b["config"].update(latent_dim=3_000_000))
    _refused(path, "latent_dim 3,000,000 is out of range (1 to 65,536)")
    path = _edited(tmp_path / "wide2.pt", shipped, lambda b: b["config"].update(latent_dim=60_000))
    _refused(path, "weights do not fit its model config", "the config needs")


def test_weights_must_fit_the_config_exactly(tmp_path, shipped):
    extra = _edited(tmp_path / "extra.pt", shipped, lambda b: b["state_dict"].update(extra=torch.zeros(3)))
    _refused(extra, "1 tensors it has no place for, first 'extra'")
    missing = _edited(tmp_path / "missing.pt", shipped, lambda b: b["state_dict"].pop("to_code.bias"))
    _refused(missing, "1 tensors missing, first 'to_code.bias'")
    wrong = _edited(
        tmp_path / "int.pt", shipped, lambda b: b["state_dict"].update({"to_code.bias": torch.zeros(16).int()})
    )
    _refused(wrong, "to_code.bias holds torch.int32 values")


def test_bombs_are_refused_in_a_process_that_cannot_allocate_what_they_declare(tmp_path, shipped):
    """A child process limited to 256 MiB more address space loads a 3 GiB bomb and a 5 GB config."""
    (tmp_path / "bomb.pt").write_bytes(declaring(shipped[0], 3 * 2**30))
    _edited(tmp_path / "wide.pt", shipped, lambda b: b["config"].update(latent_dim=3_000_000))
    code = (
        "import resource, sys\n"
        "import torch  # loaded first: the limit is on what reading the files asks for beyond torch\n"
        "from vae_explorer.core.errors import CheckpointError\n"
        "from vae_explorer.core.model.checkpoint import load_checkpoint\n"
        "with open('/proc/self/statm') as fh:\n    used = int(fh.read().split()[0]) * resource.getpagesize()\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used + 256 * 2**20, resource.RLIM_INFINITY))\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n        load_checkpoint(path)\n    except CheckpointError as exc:\n        print(exc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(vae_explorer.__file__).parents[1])}
    argv = [sys.executable, "-c", code, str(tmp_path / "bomb.pt"), str(tmp_path / "wide.pt")]
    p = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stderr[-500:]
    lines = p.stdout.splitlines()
    assert "bomb.pt: declares 3,072." in lines[0] and "latent_dim 3,000,000 is out of range" in lines[1]


def test_nan_weights_are_refused_unless_inspected(capsys, tmp_path, shipped):
    def poison(blob):
        blob["state_dict"]["decoder.net.0.weight"][0, 0] = float("nan")

    path = _edited(tmp_path / "nan.pt", shipped, poison)
    _refused(path, "weights hold NaN or infinite values (first in decoder.net.0.weight)")
    assert load_checkpoint(path, allow_nonfinite=True).config.latent_dim == 8
    before = snapshot(tmp_path)
    for argv in (
        ("morph", "--vae", path, "--data", "digits", "--from", 0, "--to", 1, "--out", tmp_path / "m.gif"),
        ("traverse", "--vae", path, "--data", "digits", "--attribute", "class:1-7", "--out", tmp_path / "t.png"),
        ("info", path),
    ):
        rc, _, err = run_cli(capsys, *argv)
        assert_one_line_error(rc, err, r"nan.pt: its weights hold NaN")
    assert snapshot(tmp_path) == before
    rc, out, err = run_cli(capsys, "info", path, "--allow-nonfinite")
    assert rc == 0 and "latent 8" in out


def test_info_json_is_valid_json_when_metrics_are_nan(capsys, tmp_path, shipped):
    path = _edited(tmp_path / "m.pt", shipped, lambda b: b["metadata"]["test"].update(recon=float("nan")))
    rc, out, _ = run_cli(capsys, "info", path, "--json")
    assert rc == 0
    blob = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert blob["metadata"]["test"]["recon"] is None


@pytest.mark.parametrize(
    ("key", "value"),
    [("beta", "abc"), ("epochs", "x"), ("test", [1]), ("train_seconds", "s"), ("data", 5), ("history", [1]),
     ("beta", float("nan")), ("label_names", [1, 2]), ("seed", 1.5), ("n_train", -1)],
)  # fmt: skip
def test_metadata_of_the_wrong_type_is_one_line(capsys, tmp_path, shipped, key, value):
    path = _edited(tmp_path / "m.pt", shipped, lambda b: b["metadata"].update({key: value}))
    rc, _, err = run_cli(capsys, "info", path)
    assert_one_line_error(rc, err, rf"m.pt: invalid metadata: {key} is ")


@st.composite
def json_values(draw, depth=2):
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=8)
    )
    if depth == 0:
        return draw(leaves)
    return draw(
        st.one_of(
            leaves,
            st.lists(json_values(depth - 1), max_size=4),
            st.dictionaries(st.text(max_size=6), json_values(depth - 1), max_size=4),
        )
    )


CONFIG_KEYS = ("kind", "image_shape", "latent_dim", "widths", "hidden", "norm")
META_KEYS = ("data", "beta", "epochs", "test", "history", "train_seconds", "label_names", "n_train", "lr", "seed")


@HYPOTHESIS
@given(config=st.dictionaries(st.sampled_from(CONFIG_KEYS), json_values(), max_size=6))
def test_random_config_values_load_or_are_refused_in_one_line(tmp_path, shipped, config):
    path = _edited(tmp_path / "c.pt", shipped, lambda b: b["config"].update(config))
    try:
        ckpt = load_checkpoint(path)
    except CheckpointError as exc:
        assert_one_line(str(exc), str(path))
    else:
        assert ckpt.build_model() is not None


@HYPOTHESIS
@given(meta=st.dictionaries(st.sampled_from(META_KEYS), json_values(), max_size=5))
def test_random_metadata_describes_or_is_refused_in_one_line(capsys, tmp_path, shipped, meta):
    path = _edited(tmp_path / "m.pt", shipped, lambda b: b["metadata"].update(meta))
    for argv in (("info", path), ("info", path, "--json")):
        rc, out, err = run_cli(capsys, *argv)
        if rc:
            assert_one_line_error(rc, err, rf"m.pt: invalid metadata: ({'|'.join(META_KEYS)}) is ")
        else:
            assert "Traceback" not in err and out


@HYPOTHESIS
@given(
    cuts=st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 255)), min_size=1, max_size=8),
    truncate=st.one_of(st.none(), st.integers(0, 10**9)),
)
def test_random_corruption_never_loads_other_weights(tmp_path, shipped, cuts, truncate):
    data = bytearray(shipped[0])
    for where, flip in cuts:
        data[where % len(data)] ^= flip
    if truncate is not None:
        data = data[: truncate % len(data)]
    path = tmp_path / "broken.pt"
    path.write_bytes(bytes(data))
    try:
        ckpt = load_checkpoint(path)
    except CheckpointError as exc:
        assert_one_line(str(exc), str(path))
    else:  # the flips fell where nothing is read (padding): the same weights, or nothing
        for name, t in ckpt.state_dict.items():
            assert torch.equal(t, shipped[1]["state_dict"][name])
