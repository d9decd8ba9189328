"""A user's own folder: samples known by their path, tables kept anywhere, splits chosen, sizes reported."""

import numpy as np
import pytest
from helpers import FONTS, LETTERS, write_idx_set, write_letters
from PIL import Image
from trained import write_model

from vae_explorer.core.data import index_of, load_attribute_table, load_dataset, search
from vae_explorer.core.errors import DataError
from vae_explorer.core.model.checkpoint import load_checkpoint, save_checkpoint
from vae_explorer.core.model.named_data import load_named_data, stored_test_fraction


@pytest.fixture
def letters(tmp_path):
    return write_letters(tmp_path)


def test_every_sample_keeps_its_path_in_the_folder_and_its_row(letters):
    folder, _ = letters
    whole = load_dataset(str(folder), "all")
    assert whole.filenames[:2] == ["A/arial.png", "A/bold.png"] and len(whole) == 18
    test = load_dataset(str(folder), "test", test_fraction=0.5)
    assert len(test) == 9 and test.test_fraction == 0.5
    assert [whole.filenames[r] for r in test.source_rows()] == test.filenames
    i = 3
    assert test.describe_sample(i) == f"#{i} · {test.label_name(i)} · {test.filenames[i]}"


def test_a_sample_is_found_by_index_path_or_unique_file_name(letters):
    folder, _ = letters
    data = load_dataset(str(folder), "all")
    (folder / "C" / "only-here.png").write_bytes((folder / "C" / "arial.png").read_bytes())
    data = load_dataset(str(folder), "all")
    assert index_of(data, 4) == 4 and index_of(data, "4") == 4
    assert data.filenames[index_of(data, "B/times.png")] == "B/times.png"
    assert data.filenames[index_of(data, ".\\B\\times.png")] == "B/times.png"  # written the Windows way
    assert data.filenames[index_of(data, "only-here.png")] == "C/only-here.png"
    with pytest.raises(DataError, match=r"'times.png' is the file name of 3 images \(A/times.png, B/times.png, C/"):
        index_of(data, "times.png")
    with pytest.raises(DataError, match=r"no image is named 'D/arial.png'"):
        index_of(data, "D/arial.png")
    with pytest.raises(DataError, match=r"sample 99 is out of range \(0 to 18"):
        index_of(data, 99)


def test_a_sample_of_the_other_split_says_how_to_reach_it(letters):
    folder, _ = letters
    test = load_dataset(str(folder), "test")
    train = load_dataset(str(folder), "train")
    name = train.filenames[0]
    with pytest.raises(DataError, match=rf"{name} is not in the test split .* --split train, test or all"):
        index_of(test, name)
    with pytest.raises(DataError, match=r"'A/x.png': digits has no file names; give a sample index"):
        index_of(load_dataset("digits", "test"), "A/x.png")


def test_a_table_kept_elsewhere_matches_any_split_by_path(letters):
    folder, table_path = letters
    for split in ("train", "test", "all"):
        data = load_dataset(str(folder), split, test_fraction=0.25)
        table = load_attribute_table(table_path, data)
        weight = {f"{letter}/{name}": 0.5 * f for letter in LETTERS for f, name in enumerate(FONTS)}
        assert table.column("weight").tolist() == [weight[n] for n in data.filenames]
        assert table.column("bold").tolist() == [FONTS.index(n.split("/")[1]) % 2 for n in data.filenames]
        if split == "all":
            assert table.note == ""
        else:
            assert f"18 rows, {len(data)} of them for the {len(data)} images of the {split} split" in table.note


def test_a_table_keyed_by_row_numbers_of_the_whole_folder(letters):
    folder, _ = letters
    whole = load_dataset(str(folder), "all")
    by_row = folder.parent / "rows.csv"
    by_row.write_text("row,score\n" + "".join(f"{r},{r * 10}\n" for r in range(len(whole))))
    test = load_dataset(str(folder), "test", test_fraction=0.3)
    table = load_attribute_table(by_row, test)
    assert table.column("score").tolist() == [10.0 * r for r in test.source_rows()]


def test_a_file_name_shared_by_class_folders_is_never_matched_by_its_base_name(letters):
    folder, _ = letters
    data = load_dataset(str(folder), "all")
    shared = folder.parent / "names.csv"
    shared.write_text("file,x\n" + "".join(f"{n.split('/')[1]},1\n" for n in data.filenames))
    with pytest.raises(DataError, match=r"names.csv: 18 rows match no image .*'arial.png' is the file name of 3"):
        load_attribute_table(shared, data)
    twice = folder.parent / "twice.csv"
    twice.write_text("file,x\nA/arial.png,1\n./A/arial.png,0\n")
    with pytest.raises(DataError, match=r"two rows name the same image \('A/arial.png' and './A/arial.png'\)"):
        load_attribute_table(twice, data)


def test_an_unknown_column_lists_the_columns(letters):
    folder, table_path = letters
    table = load_attribute_table(table_path, load_dataset(str(folder), "all"))
    with pytest.raises(DataError, match=r"no attribute named 'italic' in .*fonts.csv; its columns are bold, weight"):
        table.column("italic")


def test_a_folder_with_two_tables_says_which_it_read(letters):
    folder, _ = letters
    data = load_dataset(str(folder), "all")
    (folder / "attributes.csv").write_text("file," + "x\n" + "".join(f"{n},1\n" for n in data.filenames))
    rows = "".join(f"{n} 1\n" for n in data.filenames)
    (folder / "list_attr_celeba.txt").write_text(f"{len(data)}\nSmiling\n{rows}")
    data = load_dataset(str(folder), "all")
    assert data.attributes.names == ["Smiling"]
    assert any("read the attribute table list_attr_celeba.txt; attributes.csv is there too" in n for n in data.notes)


def test_mixed_image_sizes_are_reported_and_the_size_can_be_chosen(tmp_path):
    folder, _ = write_letters(tmp_path, sizes=[12, 12, 12, 12, 16, 20])
    data = load_dataset(str(folder), "all")
    assert data.image_shape == (1, 12, 12)
    assert data.notes == [
        f"{folder}: images of 3 sizes (12 of 12x12, 3 of 16x16, 3 of 20x20): all resized to 12x12 "
        "(choose another with --image-size N)"
    ]
    chosen = load_dataset(str(folder), "all", image_size=16)
    assert chosen.image_shape == (1, 16, 16) and "all resized to 16x16 (chosen with --image-size)" in chosen.notes[0]
    one_size = load_dataset(str(write_letters(tmp_path / "same")[0]), "all")
    assert one_size.notes == []


def test_a_non_square_folder_says_it_is_resized(tmp_path):
    for i in range(3):
        Image.new("L", (40, 30), 20 * i).save(tmp_path / f"{i}.png")
    data = load_dataset(str(tmp_path), "all")
    assert data.image_shape == (1, 32, 32)
    assert data.notes == [f"{tmp_path}: the images are 40x30: resized to 32x32 (choose another with --image-size N)"]


def test_search_finds_names_and_labels_by_substring_or_regex(letters):
    folder, _ = letters
    data = load_dataset(str(folder), "all")
    found = search(data, "TIMES")
    assert [data.filenames[i] for i in found] == ["A/times.png", "B/times.png", "C/times.png"]
    assert [data.filenames[i] for i in search(data, r"^B/(arial|mono)", regex=True)] == ["B/arial.png", "B/mono.png"]
    assert len(search(data, "b")) == 6 + 2  # the letter B's images, and bold.png of A and C
    assert len(search(data, "", regex=True)) == 0
    with pytest.raises(DataError, match=r"not a regular expression: '\(unclosed'"):
        search(data, "(unclosed", regex=True)


def test_all_of_an_idx_folder_is_its_train_then_its_test_images(tmp_path):
    train, _ = write_idx_set(tmp_path / "idx", n=5, split="train")
    test, _ = write_idx_set(tmp_path / "idx", n=3, split="test")
    data = load_dataset(str(tmp_path / "idx"), "all")
    assert len(data) == 8 and data.split == "all"
    assert np.array_equal(data.images[:5, 0], train) and np.array_equal(data.images[5:, 0], test)
    with pytest.raises(DataError, match=r"ships its own test split"):
        load_dataset(str(tmp_path / "idx"), "test", test_fraction=0.2)
    with pytest.raises(DataError, match=r"an image size applies to folders of images"):
        load_dataset("digits", "test", image_size=16)


def test_later_commands_take_the_split_the_checkpoint_was_trained_with(letters, tmp_path):
    folder, _ = letters
    plain = load_checkpoint(write_model(tmp_path / "m.pt", "vae", 2, shape=(1, 12, 12), data=str(folder)))
    split = {"kind": "seeded", "test_fraction": 0.25, "seed": 0, "train": 14, "test": 4}
    model = plain.build_model("cpu")
    save_checkpoint(tmp_path / "s.pt", model, {"data": str(folder.resolve()), "split": split})
    stored = load_checkpoint(tmp_path / "s.pt")
    assert stored_test_fraction([stored], str(folder)) == 0.25
    assert stored_test_fraction([stored], "digits") is None  # trained on other data
    assert stored_test_fraction([plain], str(folder)) is None
    assert len(load_named_data([stored])) == 4 and len(load_named_data([plain])) == 2  # the folder's default: a tenth
    assert len(load_named_data([stored], test_fraction=0.5)) == 9  # given beats stored
