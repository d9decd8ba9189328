import numpy as np
import pytest
from helpers import write_idx_set
from PIL import Image

from vae_explorer.core.data import (
    FASHION_NAMES,
    Dataset,
    load_attribute_table,
    load_dataset,
    load_image_folder,
    read_idx,
    read_idx_pair,
)
from vae_explorer.core.errors import DataError


@pytest.mark.parametrize("compress", [True, False])
def test_idx_round_trip(tmp_path, compress):
    images, labels = write_idx_set(tmp_path, compress=compress)
    suffix = ".gz" if compress else ""
    x, y = read_idx_pair(tmp_path / f"train-images-idx3-ubyte{suffix}", tmp_path / f"train-labels-idx1-ubyte{suffix}")
    assert x.shape == (5, 1, 28, 28) and x.dtype == np.uint8
    assert np.array_equal(x[:, 0], images.astype(np.uint8))
    assert np.array_equal(y, labels)


def test_truncated_idx_names_the_file(tmp_path):
    write_idx_set(tmp_path, compress=False)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte: truncated IDX file"):
        read_idx(path, 2051)


def test_truncated_gzip_names_the_file(tmp_path):
    write_idx_set(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte.gz: truncated"):
        read_idx(path, 2051)


def test_labels_file_in_place_of_images(tmp_path):
    write_idx_set(tmp_path)
    with pytest.raises(DataError, match="not an IDX images file"):
        read_idx(tmp_path / "train-labels-idx1-ubyte.gz", 2051)


def test_fashion_mnist_from_shared_folder(fashion_dir):
    test = load_dataset("fashion-mnist", "test")
    assert len(test) == 10_000 and test.image_shape == (1, 28, 28)
    assert test.label_names == FASHION_NAMES
    assert sorted(np.unique(test.labels).tolist()) == list(range(10))
    assert test.label_name(0) == "Ankle boot"  # the first test image of Fashion-MNIST
    assert str(fashion_dir) == test.source


def test_fashion_mnist_missing_says_where_it_looked(monkeypatch, tmp_path):
    nowhere = [tmp_path / "a", tmp_path / "b"]
    monkeypatch.setattr("vae_explorer.core.data.registry.candidate_folders", lambda name, data_dir=None: nowhere)
    with pytest.raises(DataError, match=r"fashion-mnist: data not found \(looked in .*a, .*b"):
        load_dataset("fashion-mnist", "test")


def test_idx_folder_given_as_path(tmp_path):
    write_idx_set(tmp_path / "mine", n=7, split="test")
    data = load_dataset(str(tmp_path / "mine"), "test")
    assert len(data) == 7


def test_digits_is_the_offline_default():
    train, test = load_dataset("digits", "train"), load_dataset("digits", "test")
    assert train.image_shape == (1, 8, 8)
    assert len(train) + len(test) == 1797
    assert train.images.max() == 255 and train.images.dtype == np.uint8


def test_unknown_data_spec():
    with pytest.raises(DataError, match="unknown data 'cifar-11'"):
        load_dataset("cifar-11")


def _png(path, value, size=(12, 12), mode="L"):
    path.parent.mkdir(parents=True, exist_ok=True)
    color = value if mode == "L" else (value, 0, 255 - value)
    Image.new(mode, size, color).save(path)


def test_image_folder_with_class_subfolders(tmp_path):
    for k, cls in enumerate(["cats", "dogs"]):
        for i in range(10):
            _png(tmp_path / cls / f"{i}.png", 20 * k + i)
    data = load_image_folder(tmp_path, "all")
    assert data.label_names == ["cats", "dogs"]
    assert data.image_shape == (1, 12, 12)
    assert np.bincount(data.labels).tolist() == [10, 10]
    train, test = load_image_folder(tmp_path, "train"), load_image_folder(tmp_path, "test")
    assert len(train) + len(test) == 20 and len(test) == 2


def test_image_folder_colour_and_resize(tmp_path):
    _png(tmp_path / "a.png", 10, size=(100, 80), mode="RGB")
    _png(tmp_path / "b.png", 200, size=(50, 50), mode="RGB")
    data = load_image_folder(tmp_path, "all")
    assert data.image_shape == (3, 50, 50)  # the most common size (a tie: the smaller), as it is square
    assert data.labels is None
    assert load_image_folder(tmp_path, "all", side=64).image_shape == (3, 64, 64)


def test_flat_folder_with_label_csv(tmp_path):
    for i in range(4):
        _png(tmp_path / f"img{i}.png", i * 50)
    (tmp_path / "labels.csv").write_text("filename,label\n" + "".join(f"img{i}.png,{'ab'[i % 2]}\n" for i in range(4)))
    data = load_image_folder(tmp_path, "all")
    assert data.label_names == ["a", "b"] and data.labels.tolist() == [0, 1, 0, 1]


def test_folder_without_images(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to see")
    with pytest.raises(DataError, match="no images found"):
        load_dataset(str(tmp_path))


def test_corrupt_image_names_the_file(tmp_path):
    _png(tmp_path / "good.png", 5)
    (tmp_path / "bad.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(DataError, match="bad.png: not a readable image"):
        load_image_folder(tmp_path, "all")


def test_attribute_csv_by_index(tmp_path):
    path = tmp_path / "attrs.csv"
    path.write_text("index,bright,size\n2,1,0.5\n0,0,1.5\n1,1,2.5\n")
    table = load_attribute_table(path, 3)
    assert table.names == ["bright", "size"]
    assert table.column("bright").tolist() == [0, 1, 1]
    assert table.column("size").tolist() == [1.5, 2.5, 0.5]


def test_celeba_attribute_file(tmp_path):
    path = tmp_path / "list_attr_celeba.txt"
    path.write_text("3\nSmiling Male\n000001.jpg  1 -1\n000002.jpg -1 -1\n000003.jpg  1  1\n")
    names = ["000001.jpg", "000002.jpg", "000003.jpg"]
    data = Dataset("faces", "all", np.zeros((3, 1, 4, 4), np.uint8), None, [], "test", filenames=names)
    table = load_attribute_table(path, data)
    assert table.column("Smiling").tolist() == [1, 0, 1]
    assert table.column("Male").tolist() == [0, 0, 1]


def test_attribute_rows_must_match_the_data(tmp_path):
    path = tmp_path / "attrs.csv"
    path.write_text("index,bright\n0,1\n1,0\n")
    with pytest.raises(DataError, match="no row for 1 of the 3 images"):
        load_attribute_table(path, 3)
    path.write_text("index,bright\n0,1\n1,0\n7,1\n")
    with pytest.raises(DataError, match="match no image.*row 7 is out of range"):
        load_attribute_table(path, 3)
    path.write_text("index,bright\n0,1\n1,yes\n2,0\n")
    with pytest.raises(DataError, match="line 3: value 'yes'"):
        load_attribute_table(path, 3)


def test_folder_attributes_load_with_the_images(tmp_path):
    for i in range(3):
        _png(tmp_path / f"{i:06d}.jpg", i * 60)
    (tmp_path / "list_attr_celeba.txt").write_text("3\nSmiling\n000000.jpg 1\n000001.jpg -1\n000002.jpg 1\n")
    data = load_image_folder(tmp_path, "all")
    assert data.attributes.column("Smiling").tolist() == [1, 0, 1]
    sub = data.subset(np.array([2, 1]))
    assert sub.attributes.column("Smiling").tolist() == [1, 0]
