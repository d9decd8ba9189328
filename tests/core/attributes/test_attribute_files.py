"""Attribute files: CelebA and index tables matched to the images, vector files saved and read back."""

import json

import numpy as np
import pytest
from helpers import tiny_data
from PIL import Image

from vae_explorer.core.attributes.files import find_entry, load_vector, save_vector
from vae_explorer.core.attributes.groups import (
    ColumnGroups,
    SelectionGroups,
)
from vae_explorer.core.attributes.vectors import (
    AttributeVector,
    ModelCodes,
    build_vector,
)
from vae_explorer.core.data import load_attribute_table, load_image_folder
from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.images import file_stem

CODES = np.array([[0, 0], [2, 0], [0, 2], [4, 4], [6, 2]], dtype=np.float32)


# -- the vector and its diagnostics ---------------------------------------------------------------
def write_celeba_folder(folder, smiling, extra_row=False):
    folder.mkdir()
    names = [f"{k:06d}.png" for k in range(len(smiling))]
    for k, name in enumerate(names):
        Image.fromarray(np.full((8, 8), 30 * k, np.uint8)).save(folder / name)
    rows = [f"{n} {s:2d} {-s:2d}" for n, s in zip(names, smiling, strict=True)]
    if extra_row:
        rows.append("999999.png  1 -1")
    # CelebA's layout: a count, the attribute names, then one row per file with 1 / -1
    (folder / "list_attr_celeba.txt").write_text(f"{len(rows)}\nSmiling Frowning\n" + "\n".join(rows) + "\n")
    return names


def test_celeba_file_matched_to_an_image_folder(tmp_path):
    smiling = [1, -1, -1, 1, 1, -1]
    write_celeba_folder(tmp_path / "faces", smiling)
    data = load_image_folder(tmp_path / "faces", split="all")
    assert data.attributes.names == ["Smiling", "Frowning"]
    pos, neg = ColumnGroups("Smiling").resolve(data)
    order = [int(f[:6]) for f in data.filenames]
    assert [order[i] for i in pos] == [0, 3, 4] and [order[i] for i in neg] == [1, 2, 5]
    # the image of file k has pixel value 30 k: the rows followed their files
    assert [int(data.images[i, 0, 0, 0]) // 30 for i in pos] == [0, 3, 4]


def test_celeba_file_whose_rows_do_not_match_the_folder(tmp_path):
    write_celeba_folder(tmp_path / "faces", [1, -1, 1], extra_row=True)
    message = r"list_attr_celeba.txt: 1 rows match no image .* \(first: no image is named '999999.png'\)"
    with pytest.raises(DataError, match=message):
        load_image_folder(tmp_path / "faces", split="all")


def test_index_csv_for_data_without_file_names(tmp_path):
    csv = tmp_path / "attrs.csv"
    csv.write_text("index,bright\n" + "".join(f"{i},{i % 2}\n" for i in range(5)))
    table = load_attribute_table(csv, 5)
    pos, _ = ColumnGroups("bright").resolve(tiny_data(), table)
    assert list(pos) == [1, 3]
    with pytest.raises(DataError, match="attrs.csv: no row for 2 of the 7 images"):
        load_attribute_table(csv, 7)


# -- files ---------------------------------------------------------------------------------------------------
def test_save_and_load_round_trip(tmp_path):
    data = tiny_data()
    groups = SelectionGroups((0, 1), None, data.fingerprint())
    models = {"left": ModelCodes(CODES, "ae.pt", "d1", "ae"), "right": ModelCodes(CODES * 3, "vae.pt", "d2", "vae")}
    vector = build_vector("bright ones", groups, data, models)
    path = save_vector(tmp_path / "bright.json", vector)
    assert [p.name for p in tmp_path.iterdir()] == ["bright.json"]  # no temporary file left behind
    assert json.loads(path.read_text())["name"] == "bright ones"
    back = load_vector(path)
    assert back.name == "bright ones" and back.groups == groups and back.description == vector.description
    for slot in ("left", "right"):
        a, b = vector.entries[slot], back.entries[slot]
        assert np.array_equal(a.values, b.values) and a.values.dtype == b.values.dtype
        fields = ("model", "digest", "kind", "n_pos", "n_neg", "auc")
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
    assert find_entry(back, "d2", "vae", 2) == (back.entries["right"], True)
    assert find_entry(back, "other", "vae", 2) == (back.entries["right"], False)
    assert find_entry(back, "other", "vae", 5) == (None, False)


def test_bad_vector_files(tmp_path):
    with pytest.raises(DataError, match="missing.json: no such attribute vector file"):
        load_vector(tmp_path / "missing.json")
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(DataError, match="junk.json: not a readable attribute vector file"):
        load_vector(tmp_path / "junk.json")
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    with pytest.raises(DataError, match="other.json: not a vae-explorer attribute vector file"):
        load_vector(tmp_path / "other.json")
    vector = AttributeVector("v", entries={})
    with pytest.raises(ExportError, match="folder .* does not exist"):
        save_vector(tmp_path / "no" / "v.json", vector)


def test_a_vector_name_makes_a_safe_file_name():
    assert file_stem("Sneaker → Ankle boot", "vector") == "Sneaker_Ankle_boot"
    assert file_stem("../etc/passwd", "vector") == ".._etc_passwd"
    assert file_stem(None, "vector") == file_stem("→", "vector") == "vector"
