"""Image files as hostile input: deep pixels, palettes, animations, EXIF turns, hidden files, loose files."""

import numpy as np
import pytest
from hostile_files import SETTINGS, assert_one_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from vae_explorer.core.data import load_image, load_image_as, load_image_folder
from vae_explorer.core.errors import DataError

HYPOTHESIS = settings(**SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
ORIENTATION = 0x0112


def _grey_ramp(side=8):
    return (np.arange(side * side).reshape(side, side) * (255 // (side * side - 1))).astype(np.uint8)


@HYPOTHESIS
@given(values=arrays(np.uint16, (6, 6)))
def test_16_bit_pixels_are_scaled_by_their_depth_never_clipped(tmp_path, values):
    path = tmp_path / "deep.png"
    Image.fromarray(values).save(path)  # a 16-bit grey PNG
    expected = np.round(values.astype(np.float64) * 255 / 65535).astype(np.uint8)
    assert np.array_equal(load_image(path, (6, 6))[0], expected)
    assert np.array_equal(load_image_as(path, (1, 6, 6))[0], expected)  # a morph's key reads it the same way


@HYPOTHESIS
@given(values=arrays(np.float32, (5, 5), elements=st.floats(-2, 2, width=32)))
def test_float_pixels_of_0_to_1_are_scaled_and_others_refused_in_one_line(tmp_path, values):
    path = tmp_path / "float.tif"
    Image.fromarray(values).save(path)
    if values.min() >= 0 and values.max() <= 1:
        assert np.array_equal(load_image(path, (5, 5))[0], np.round(values * 255).astype(np.uint8))
    else:
        with pytest.raises(DataError) as info:
            load_image(path, (5, 5))
        assert_one_line(str(info.value), str(path), "vae-explorer reads float images of 0 to 1")


def test_32_bit_integer_pixels_are_refused_in_one_line(tmp_path):
    path = tmp_path / "wide.tif"
    Image.fromarray(np.full((4, 4), 70_000, np.int32)).save(path)
    with pytest.raises(DataError) as info:
        load_image(path, (4, 4))
    assert_one_line(str(info.value), str(path), "32-bit integer pixels")


def test_palette_and_animated_grey_images_stay_grey(tmp_path):
    grey = _grey_ramp()
    folder = tmp_path / "greys"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    Image.fromarray(grey).save(folder / "a" / "still.gif")  # a palette image of greys
    Image.fromarray(grey).convert("P").save(folder / "a" / "palette.png")
    frames = [Image.fromarray(grey), Image.fromarray(255 - grey)]
    frames[0].save(folder / "b" / "moving.gif", save_all=True, append_images=frames[1:])
    Image.fromarray(255 - grey).save(folder / "b" / "plain.png")
    data = load_image_folder(folder, split="all")
    assert data.images.shape == (4, 1, 8, 8)  # grey, not three equal channels
    first = data.filenames.index("b/moving.gif")
    assert np.array_equal(data.images[first, 0], grey)  # the first frame, as drawn


def test_a_photo_s_exif_orientation_is_applied(tmp_path):
    stored = np.zeros((6, 10), np.uint8)  # 10 wide, 6 high as stored
    stored[0, :3] = 255  # a mark at the top left
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # "turn a quarter clockwise to show it"
    path = tmp_path / "photo.png"
    Image.fromarray(stored).save(path, exif=exif)
    shown = np.rot90(stored, k=-1)  # 6 wide, 10 high, as a viewer shows it
    assert np.array_equal(load_image(path, (6, 10))[0], shown)
    folder = tmp_path / "photos"
    folder.mkdir()
    for k in range(3):
        Image.fromarray(stored).save(folder / f"p{k}.png", exif=exif)
    data = load_image_folder(folder, split="all", side=8)
    assert data.images.shape == (3, 1, 8, 8)
    assert data.images[0, 0, 0, -1] > data.images[0, 0, -1, 0]  # the mark is now at the top right


def test_macos_dot_underscore_files_and_other_hidden_files_are_skipped_with_a_count(tmp_path):
    folder = tmp_path / "shoes"
    for name in ("boot", "sandal"):
        (folder / name).mkdir(parents=True)
        for k in range(3):
            Image.fromarray(_grey_ramp()).save(folder / name / f"{k}.png")
        (folder / name / "._0.png").write_bytes(b"\x00\x05\x16\x07Mac OS X        " + bytes(64))  # AppleDouble
    Image.fromarray(_grey_ramp()).save(folder / "boot" / ".thumbnail.png")
    data = load_image_folder(folder, split="all")
    assert len(data) == 6 and not any("/." in f for f in data.filenames)
    (note,) = [n for n in data.notes if "hidden" in n]
    assert_one_line(note, str(folder), "skipped 3 hidden image files", "._")


def test_loose_images_and_labels_csv_beside_class_folders_are_reported(tmp_path):
    folder = tmp_path / "letters"
    for name in ("A", "B"):
        (folder / name).mkdir(parents=True)
        Image.fromarray(_grey_ramp()).save(folder / name / "x.png")
    for k in range(2):
        Image.fromarray(_grey_ramp()).save(folder / f"loose{k}.png")
    (folder / "labels.csv").write_text("loose0.png,A\nloose1.png,B\n")
    data = load_image_folder(folder, split="all")
    assert sorted(data.filenames) == ["A/x.png", "B/x.png"]
    loose = [n for n in data.notes if "loose0.png" in n]
    labels = [n for n in data.notes if "labels.csv" in n]
    assert loose and labels
    assert_one_line(loose[0], str(folder), "2 images beside the class folders", "left out")
    assert_one_line(labels[0], "labels.csv not read")
