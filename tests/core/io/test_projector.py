"""The Embedding Projector export, read back the way the projector reads it: each sprite cell the image of its row."""

import json
import re

import numpy as np
import pytest
from PIL import Image

from vae_explorer.core.data import load_digits
from vae_explorer.core.io.projector import tensor_name_for, write_projector_tsv


def _pbtxt(text: str) -> dict:
    """The few fields of ``projector_config.pbtxt`` the projector uses."""
    dims = [int(v) for v in re.findall(r"single_image_dim: (\d+)", text)]
    strings = dict(re.findall(r'(\w+): "((?:[^"\\]|\\.)*)"', text))
    return {**strings, "single_image_dim": dims}


@pytest.mark.parametrize("n", [10, 500, 1797])
def test_each_sprite_cell_holds_the_image_of_its_row(tmp_path, n):
    images = load_digits("all").images[:n]
    codes = np.random.default_rng(n).normal(size=(n, 3)).astype(np.float32)
    folder = tmp_path / "proj"
    write_projector_tsv(folder, codes, [str(i) for i in range(n)], images, tensor_name="vae+beta4.pt")
    config = _pbtxt((folder / "projector_config.pbtxt").read_text())
    standalone = json.loads((folder / "projector_config.json").read_text())["embeddings"][0]
    w, h = config["single_image_dim"]
    assert standalone["sprite"] == {"imagePath": config["image_path"], "singleImageDim": [w, h]}
    assert standalone["tensorShape"] == [n, 3] and standalone["tensorPath"] == config["tensor_path"]
    assert config["tensor_name"] == standalone["tensorName"] == "vae_beta4.pt"
    sprite = np.asarray(Image.open(folder / config["image_path"]))
    # the projector takes width / w cells per row and height / h per column: a square grid
    per_row, per_column = sprite.shape[1] // w, sprite.shape[0] // h
    assert per_row == per_column == int(np.ceil(np.sqrt(n)))
    for i in range(n):
        r, c = divmod(i, per_row)
        assert np.array_equal(sprite[r * h : (r + 1) * h, c * w : (c + 1) * w], images[i, 0]), f"cell {i}"
    vectors = np.loadtxt(folder / config["tensor_path"], delimiter="\t", ndmin=2)
    assert vectors.shape == (n, 3) and np.allclose(vectors, codes, atol=1e-5)


def test_metadata_holds_labels_file_names_and_attributes_one_row_a_point(tmp_path):
    columns = {"label": ["A", "B"], "file": ["A/x\ty.png", "B/x.png"], "bold": ["1", "0"]}
    write_projector_tsv(tmp_path / "p", np.zeros((2, 2)), None, None, columns=columns)
    rows = [line.split("\t") for line in (tmp_path / "p" / "metadata.tsv").read_text().splitlines()]
    assert rows == [["index", "label", "file", "bold"], ["0", "A", "A/x y.png", "1"], ["1", "B", "B/x.png", "0"]]
    config = json.loads((tmp_path / "p" / "projector_config.json").read_text())["embeddings"][0]
    assert config["metadataPath"] == "metadata.tsv" and "sprite" not in config


@pytest.mark.parametrize(
    "name, safe",
    [
        ("vae+beta4.pt", "vae_beta4.pt"),
        ("my model (2).pt", "my_model_2_.pt"),
        ("é#&?", "codes"),
        ("a-b_c.d", "a-b_c.d"),
    ],
)
def test_tensor_names_are_url_safe(name, safe):
    assert tensor_name_for(name) == safe


def test_a_2d_code_gets_a_zero_third_column_for_the_projectors_pca(tmp_path):
    codes = np.arange(8, dtype=np.float32).reshape(4, 2)
    write_projector_tsv(tmp_path / "p", codes)
    vectors = np.loadtxt(tmp_path / "p" / "vectors.tsv", delimiter="\t")
    assert np.array_equal(vectors, np.c_[codes, np.zeros(4)])
    assert json.loads((tmp_path / "p" / "projector_config.json").read_text())["embeddings"][0]["tensorShape"] == [4, 3]
