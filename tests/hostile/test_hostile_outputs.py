"""Outputs: only regular files are replaced, links are written through, inputs are never overwritten."""

import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_one_line_error, run_cli
from hostile_files import make_char_device, snapshot
from PIL import Image
from trained import file_size_limit

import vae_explorer
from vae_explorer.core.errors import ExportError
from vae_explorer.core.io import safe_write
from vae_explorer.core.io.projector import write_projector_tsv
from vae_explorer.core.io.safe_write import atomic_write, check_writable, write_bytes, write_folder


@pytest.fixture
def ckpt(tmp_path, checkpoints_dir):
    shutil.copy(checkpoints_dir / "digits-vae.pt", tmp_path / "x.pt")
    return tmp_path / "x.pt"


def _special(tmp_path, kind):
    path = tmp_path / f"special-{kind}"
    if kind == "char device":
        make_char_device(path)
    elif kind == "FIFO":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    else:
        path.mkdir()
    return path


@pytest.mark.parametrize("kind", ["char device", "FIFO", "socket", "folder"])
def test_embed_never_replaces_a_special_file(capsys, tmp_path, ckpt, kind):
    target = _special(tmp_path, kind)
    before = snapshot(tmp_path)
    rc, out, err = run_cli(capsys, "embed", ckpt, "--data", "digits", "--out", target)
    assert_one_line_error(rc, err, rf"cannot write .*special-.*: it is a .*{kind.split()[0]}")
    assert rc == 1 and not out
    assert snapshot(tmp_path) == before


def test_a_symlinked_output_writes_its_target_and_stays_a_link(capsys, tmp_path, ckpt):
    (tmp_path / "real.npz").write_bytes(b"old")
    os.symlink("real.npz", tmp_path / "link.npz")
    rc, _, err = run_cli(capsys, "embed", ckpt, "--data", "digits", "--out", tmp_path / "link.npz")
    assert rc == 0, err
    assert os.path.islink(tmp_path / "link.npz")
    assert set(np.load(tmp_path / "real.npz").files) >= {"mu", "logvar"}


def test_a_link_to_a_device_or_in_a_loop_is_refused(tmp_path):
    make_char_device(tmp_path / "null")
    os.symlink("null", tmp_path / "to-null")
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError, match=r"to-null: it is a character device"):
        write_bytes(tmp_path / "to-null", b"x")
    with pytest.raises(ExportError, match=r"loop-a: it is a symbolic link that leads nowhere"):
        write_bytes(tmp_path / "loop-a", b"x")
    assert snapshot(tmp_path) == before


def test_embed_refuses_to_write_over_its_checkpoint(capsys, tmp_path, ckpt, monkeypatch):
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, "embed", "x.pt", "--data", "digits", "--out", "x.pt")
    assert_one_line_error(rc, err, r"cannot write x.pt: it is an input of this command \(x.pt\)")
    os.symlink("x.pt", tmp_path / "alias.pt")
    rc, out, err = run_cli(capsys, "embed", "x.pt", "--data", "digits", "--out", "./sub/../alias.pt")
    assert_one_line_error(rc, err, r"alias.pt: it is an input")
    rc, out, err = run_cli(capsys, "embed", "x.pt", "--data", "digits", "--tsv", ".")
    assert_one_line_error(rc, err, r"cannot write into \.: it holds other files \('alias.pt' and 1 more\)")
    os.unlink(tmp_path / "alias.pt")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("flag", ["--out", "--strip", "--save-recipe"])
def test_morph_refuses_to_write_over_an_input(capsys, tmp_path, ckpt, flag):
    Image.new("L", (8, 8), 90).save(tmp_path / "key.png")
    before = snapshot(tmp_path)
    for target in (ckpt, tmp_path / "key.png"):
        rc, _, err = run_cli(
            capsys, "morph", "--vae", ckpt, "--data", "digits", "--from", tmp_path / "key.png", "--to", 1, flag, target
        )
        assert_one_line_error(rc, err, rf"cannot write .*{target.name}: it is an input of this command")
    rc, _, err = run_cli(
        capsys, "morph", "--vae", ckpt, "--data", "digits", "--from", 0, "--to", 1,
        "--out", tmp_path / "same", "--strip", tmp_path / "same",
    )  # fmt: skip
    assert_one_line_error(rc, err, r"cannot write .*same: .*same is written by this command too")
    assert snapshot(tmp_path) == before


def test_traverse_refuses_to_write_over_an_input(capsys, tmp_path, ckpt):
    before = snapshot(tmp_path)
    rc, _, err = run_cli(
        capsys, "traverse", "--vae", ckpt, "--data", "digits", "--attribute", "class:1-7", "--out", ckpt
    )
    assert_one_line_error(rc, err, r"cannot write .*x.pt: it is an input")
    assert snapshot(tmp_path) == before


def test_a_long_output_name_is_written(capsys, tmp_path, ckpt):
    name = "a" * 251 + ".npz"  # 255 bytes: the longest name a file may have; the temporary file's is short
    rc, _, err = run_cli(capsys, "embed", ckpt, "--data", "digits", "--out", tmp_path / name)
    assert rc == 0, err
    assert (tmp_path / name).is_file()
    rc, _, err = run_cli(capsys, "embed", ckpt, "--data", "digits", "--out", tmp_path / ("b" + name))
    assert_one_line_error(rc, err, r"the name is longer than the 255 bytes a file name may have")


def _dead_pid():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_killed_writers_temp_file_is_removed_on_the_next_write(tmp_path):
    target = tmp_path / "out.bin"
    tag = safe_write.name_tag(target)
    stale = tmp_path / f".vx-{tag}-{_dead_pid()}-0123abcd.tmp"
    live = tmp_path / f".vx-{tag}-{os.getppid()}-0123abcd.tmp"  # a writer still running: left alone
    other = tmp_path / f".vx-{safe_write.name_tag(tmp_path / 'other')}-{_dead_pid()}-0123abcd.tmp"
    for f in (stale, live, other):
        f.write_bytes(b"partial")
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists() and live.exists() and other.exists()
    os.utime(live, (time.time() - 2 * safe_write.STALE_SECONDS,) * 2)
    legacy_old, legacy_new = tmp_path / ".out.bin.k2j_x9a0.tmp", tmp_path / ".out.bin.abcdefgh.tmp"  # older versions'
    for f in (legacy_old, legacy_new):
        f.write_bytes(b"partial")
    os.utime(legacy_old, (time.time() - 2 * safe_write.STALE_SECONDS,) * 2)
    write_bytes(target, b"newer")
    assert not live.exists() and other.exists()
    assert not legacy_old.exists() and legacy_new.exists()


def test_a_write_killed_half_way_leaves_the_old_file_and_a_temp_the_next_write_removes(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    code = (
        "import os, sys; from vae_explorer.core.io.safe_write import atomic_write\n"
        "def write(fh):\n    fh.write(b'half'); fh.flush(); os.kill(os.getpid(), 9)\n"
        "atomic_write(sys.argv[1], write)"
    )
    root = str(Path(vae_explorer.__file__).parents[1])
    subprocess.run([sys.executable, "-c", code, str(target)], env={**os.environ, "PYTHONPATH": root}, check=False)
    left = [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    assert target.read_bytes() == b"old" and len(left) == 1 and len(left[0]) < 40
    write_bytes(target, b"new")
    assert sorted(os.listdir(tmp_path)) == ["out.bin"] and target.read_bytes() == b"new"


def test_atomic_write_keeps_the_replaced_files_permissions(tmp_path):
    target = tmp_path / "f"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    atomic_write(target, lambda fh: fh.write(b"new"))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640 and target.read_bytes() == b"new"
    assert check_writable(target) == target


def _projector_folder(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    for name in ("vectors.tsv", "metadata.tsv", "sprite.png", "projector_config.pbtxt"):
        (folder / name).write_text("old\n")
    return folder


def test_a_projector_export_that_fails_half_way_keeps_the_old_folder_whole(tmp_path):
    folder = _projector_folder(tmp_path)
    before = snapshot(tmp_path)
    codes = np.zeros((400, 4), np.float32)
    images = np.random.default_rng(0).integers(0, 256, (400, 1, 28, 28), dtype=np.uint8)  # a sprite of ~300 KB
    with file_size_limit(100_000), pytest.raises(ExportError, match=r"cannot write .*proj: File too large"):
        write_projector_tsv(folder, codes, ["a"] * 400, images)  # vectors and metadata fit, the sprite does not
    assert snapshot(tmp_path) == before
    written = write_projector_tsv(folder, codes, ["a"] * 400)  # no images: the old sprite goes with the rest
    assert sorted(p.name for p in written) == sorted(os.listdir(folder))
    assert "sprite.png" not in os.listdir(folder) and os.listdir(tmp_path) == ["proj"]


def test_a_projector_folder_holding_other_files_is_refused_untouched(tmp_path):
    folder = _projector_folder(tmp_path)
    (folder / "notes.txt").write_text("mine")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError, match=r"proj: it holds other files \('notes.txt'\); choose a new or empty folder"):
        write_projector_tsv(folder, np.zeros((3, 2)), ["a", "b", "c"])
    assert snapshot(tmp_path) == before


def test_a_stale_staging_folder_is_removed_by_the_next_export(tmp_path):
    target = tmp_path / "proj"
    stale = tmp_path / f".vx-{safe_write.name_tag(target)}-{_dead_pid()}-0123abcd.tmpdir"
    stale.mkdir()
    (stale / "vectors.tsv").write_text("half")
    write_folder(target, {"a.txt": b"1"})
    assert sorted(os.listdir(tmp_path)) == ["proj"] and (target / "a.txt").read_bytes() == b"1"


def test_class_names_with_tabs_newlines_and_quotes_keep_the_projector_files_valid(tmp_path):
    names = ["a\tb", "line\nbreak", 'q"uote\\']
    write_projector_tsv(tmp_path / "p", np.zeros((3, 2)), names, tensor_name='my "model".pt')
    rows = (tmp_path / "p" / "metadata.tsv").read_text().split("\n")[1:-1]
    assert [r.split("\t") for r in rows] == [["0", "a b"], ["1", "line break"], ["2", 'q"uote\\']]
    config = (tmp_path / "p" / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "my_model_.pt"' in config  # a name TensorBoard can put into a URL
