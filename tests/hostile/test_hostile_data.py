"""Data as hostile input: IDX and image bombs, odd image sizes, broken label and attribute tables."""

import gzip
import os
import shutil

import numpy as np
import pytest
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS, assert_one_line, idx_bytes, png_declaring, snapshot, time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from vae_explorer.core.data import load_dataset, load_image_as
from vae_explorer.core.data.idx import read_idx, read_idx_pair
from vae_explorer.core.data.tables import load_attribute_table
from vae_explorer.core.errors import DataError

HYPOTHESIS = settings(**SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _refused(call, *parts):
    with pytest.raises(DataError) as info:
        call()
    assert_one_line(str(info.value), *parts)


def test_a_gzip_idx_declaring_gigabytes_is_refused_after_its_header(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    with gzip.open(path, "wb") as fh:  # declares 3,000,000 images of 28x28 (2.2 GiB), holds 1 MiB of zeros
        fh.write(idx_bytes((3_000_000, 28, 28), bytes(2**20)))
    assert path.stat().st_size < 10_000
    _refused(lambda: read_idx(path, 2051), str(path), "declares 2,243 MiB of data (3000000x28x28)", "at most 1,024 MiB")


def test_a_gzip_idx_that_inflates_beyond_its_header_reads_only_what_it_declares(tmp_path):
    path = tmp_path / "labels.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(idx_bytes((4,), bytes(4) + bytes(64 * 2**20)))  # 64 MiB of trailing zeros
    assert read_idx(path, 2049).shape == (4,)


def _idx_pair(tmp_path, n, h, w):
    images, labels = tmp_path / "i", tmp_path / "l"
    images.write_bytes(idx_bytes((n, h, w), bytes(n * h * w)))
    labels.write_bytes(idx_bytes((n,), bytes(n)))
    return images, labels


@pytest.mark.parametrize(
    ("n", "side", "message"), [(5, 3, "3x3 pixels"), (2, 300, "300x300 pixels"), (0, 8, "no images")]
)
def test_idx_images_the_models_cannot_take_are_refused(tmp_path, n, side, message):
    images, labels = _idx_pair(tmp_path, n, side, side)
    _refused(lambda: read_idx_pair(images, labels), str(images), message)


@pytest.mark.parametrize("side", [3, 300])
def test_train_on_idx_images_of_odd_sizes_ends_in_one_line(capsys, tmp_path, side):
    folder = tmp_path / "odd"
    folder.mkdir()
    for prefix in ("train", "t10k"):
        (folder / f"{prefix}-images-idx3-ubyte").write_bytes(idx_bytes((2, side, side), bytes(2 * side * side)))
        (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes((2,), bytes(2)))
    rc, _, err = run_cli(capsys, "train", "--data", folder, "--epochs", 1, "--out", tmp_path / "m.pt")
    assert_one_line_error(rc, err, rf"images-idx3-ubyte: images are {side}x{side} pixels; .* 4 to 256 pixels a side")
    assert not (tmp_path / "m.pt").exists()


@HYPOTHESIS
@given(header=st.binary(max_size=24), rest=st.binary(max_size=64), compress=st.booleans())
def test_random_idx_bytes_read_or_are_refused_in_one_line(tmp_path, header, rest, compress):
    data = idx_bytes((3, 5, 5))[: len(header)] if header[:1] == b"\x00" else header
    path = tmp_path / "x.idx"
    path.write_bytes(gzip.compress(data + rest) if compress else data + rest)
    try:
        read_idx(path)
    except DataError as exc:
        assert_one_line(str(exc), str(path))


def _flat_folder(tmp_path, n=6):
    folder = tmp_path / "imgs"
    folder.mkdir()
    for k in range(n):
        Image.new("L", (8, 8), k * 30).save(folder / f"{k}.png")
    return folder


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_bytes("0.png,caf\xe9\n".encode("latin-1")),
            r"labels.csv, line 1: not UTF-8 text \(byte 0xe9\)",
        ),
        (lambda p: p.mkdir(), r"labels.csv: is a folder, not a labels file"),
        (lambda p: os.mkfifo(p), r"labels.csv: is a FIFO \(named pipe\), not a labels file"),
        (
            lambda p: p.write_text("".join(f"{k}.png,a\n" for k in range(6)) + "3.png,b\n"),
            r"labels.csv, line 7: '3.png' is labelled twice \(first on line 4\)",
        ),
        (lambda p: p.write_text("0.png\n"), r"labels.csv, line 1: expected FILE,LABEL"),
        (lambda p: p.write_text("0.png," + "x" * 200_000), r"labels.csv, line 1: not a CSV row \(field larger"),
    ],
)
def test_a_bad_labels_csv_is_one_line(capsys, tmp_path, checkpoints_dir, make, message):
    folder = _flat_folder(tmp_path)
    make(folder / "labels.csv")
    before = snapshot(tmp_path)
    with time_limit(30):
        rc, _, err = run_cli(
            capsys, "embed", checkpoints_dir / "digits-vae.pt", "--data", folder, "--out", tmp_path / "o.npz"
        )
    assert_one_line_error(rc, err, message)
    assert snapshot(tmp_path) == before


def test_one_colour_image_anywhere_makes_the_data_set_colour(tmp_path):
    folder = _flat_folder(tmp_path, n=60)
    Image.new("RGB", (8, 8), (255, 0, 0)).save(folder / "99.png")
    data = load_dataset(str(folder), "all")
    assert data.image_shape == (3, 8, 8)
    assert (data.images[-1] == np.array([255, 0, 0])[:, None, None]).all()
    assert (data.images[0] == 0).all() and (data.images[1] == 30).all()  # grey images, repeated into 3 channels


def test_image_bombs_are_refused_in_one_line(capsys, tmp_path, checkpoints_dir):
    (tmp_path / "bomb.png").write_bytes(png_declaring(30000, 30000))
    (tmp_path / "large.png").write_bytes(png_declaring(9000, 8000))  # under Pillow's limit, over ours
    for name, size in (("bomb.png", ""), ("large.png", " (9000x8000)")):
        _refused(
            lambda n=name: load_image_as(tmp_path / n, (1, 8, 8)), name, f"million pixels vae-explorer opens{size}"
        )
    ckpt = checkpoints_dir / "digits-vae.pt"
    rc, _, err = run_cli(
        capsys, "morph", "--vae", ckpt, "--data", "digits", "--from", tmp_path / "bomb.png", "--to", 1,
        "--out", tmp_path / "m.gif",
    )  # fmt: skip
    assert_one_line_error(rc, err, r"bomb.png: image is larger than the 64 million pixels")
    folder = _flat_folder(tmp_path)
    shutil.copy(tmp_path / "bomb.png", folder / "3.png")
    _refused(lambda: load_dataset(str(folder)), "3.png: image is larger than the 64 million pixels")


def test_special_files_as_images_are_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "fifo.png")
    with time_limit(20):
        _refused(lambda: load_image_as(tmp_path / "fifo.png", (1, 8, 8)), "fifo.png: is a FIFO")


cells = st.one_of(st.text(max_size=6), st.sampled_from(["1", "0", "-1", "nan", "inf", "1e400", "", " "]))


@HYPOTHESIS
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=4), max_size=6), celeba=st.booleans())
def test_random_attribute_tables_load_or_are_refused_in_one_line(tmp_path, rows, celeba):
    path = tmp_path / "attributes.csv"
    sep = " " if celeba else ","
    lines = ([str(len(rows))] if celeba else []) + [sep.join(r) for r in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        table = load_attribute_table(path, 3)
    except DataError as exc:
        assert_one_line(str(exc), str(path))
    else:
        assert table.values.shape[0] == 3 and np.isfinite(table.values).all()


@HYPOTHESIS
@given(text=st.text(max_size=120))
def test_random_labels_files_load_or_are_refused_in_one_line(tmp_path, text):
    folder = tmp_path / "imgs"
    if not folder.exists():
        _flat_folder(tmp_path, n=3)
    (folder / "labels.csv").write_text(text, encoding="utf-8")
    try:
        data = load_dataset(str(folder), "all")
    except DataError as exc:
        assert_one_line(str(exc), str(folder))
    else:
        assert data.labels is not None and len(data) == 3
