"""The generated faces: deterministic, drawn from independent factors, each factor visible where it belongs."""

import numpy as np
import pytest

from vae_explorer.core.data import BUILTIN, load_dataset
from vae_explorer.core.data import faces as faces_module
from vae_explorer.core.data.attribute_table import is_binary
from vae_explorer.core.data.faces import (
    FACTOR_NAMES,
    FACTORS,
    LABEL_NAMES,
    SIZE,
    make_faces,
    render_faces,
    sample_factors,
)
from vae_explorer.core.io.cache import entry_path


def test_same_seed_same_faces_other_seed_other_faces():
    a_images, a_factors = make_faces(200, seed=3)
    b_images, b_factors = make_faces(200, seed=3)
    c_images, _ = make_faces(200, seed=4)
    assert np.array_equal(a_images, b_images) and np.array_equal(a_factors, b_factors)
    assert not np.array_equal(a_images, c_images)
    assert a_images.shape == (200, 3, SIZE, SIZE) and a_images.dtype == np.uint8


def test_factors_lie_in_their_ranges_and_are_independent():
    factors = sample_factors(20_000, seed=0)
    for j, f in enumerate(FACTORS):
        column = factors[:, j]
        assert f.low <= column.min() and column.max() <= f.high, f.name
        if f.kind != "continuous":
            assert set(np.unique(column)) == set(range(int(f.high) + 1)), f.name
    corr = np.corrcoef(factors, rowvar=False)
    off_diagonal = corr[~np.eye(len(FACTORS), dtype=bool)]
    assert np.abs(off_diagonal).max() < 0.03


def _changed_pixels(name, low, high, base_seed=11):
    """Where two faces differ that share every factor but ``name`` -> ``(rows, cols)`` of changed pixels."""
    factors = np.repeat(sample_factors(1, base_seed), 2, axis=0)
    j = FACTOR_NAMES.index(name)
    factors[:, FACTOR_NAMES.index("shift_x")] = 0
    factors[:, FACTOR_NAMES.index("shift_y")] = 0
    factors[0, j], factors[1, j] = low, high
    images = render_faces(factors).astype(int)
    return np.nonzero(np.abs(images[0] - images[1]).max(axis=0) > 8)


@pytest.mark.parametrize(
    ("name", "low", "high", "rows", "cols"),
    [
        ("smile", -1.0, 1.0, (17, 27), (8, 24)),  # the mouth and the cheeks, below the eyes
        ("Eyeglasses", 0.0, 1.0, (11, 20), (7, 24)),  # around the eyes
        ("eye_size", 0.0, 1.0, (13, 19), (8, 23)),
    ],
)
def test_each_face_factor_changes_only_its_own_part_of_the_face(name, low, high, rows, cols):
    ys, xs = _changed_pixels(name, low, high)
    assert len(ys) > 6, f"{name} changes too little to be seen"
    assert rows[0] <= ys.min() and ys.max() <= rows[1], (name, ys.min(), ys.max())
    assert cols[0] <= xs.min() and xs.max() <= cols[1], (name, xs.min(), xs.max())


def test_background_changes_the_corners_and_shift_moves_the_face():
    ys, xs = _changed_pixels("background", 0.0, 1.0)
    assert {(0, 0), (31, 31)} <= set(zip(ys.tolist(), xs.tolist(), strict=True))
    factors = np.repeat(sample_factors(1, 5), 2, axis=0)
    factors[:, FACTOR_NAMES.index("shift_y")] = 0.0
    factors[:, FACTOR_NAMES.index("shift_x")] = [0.0, 2.0]  # two pixels to the right
    a, b = render_faces(factors).astype(int)
    assert np.abs(a[:, 4:28, 2:26] - b[:, 4:28, 4:28]).mean() < 2


def test_faces_are_a_builtin_data_set_with_factors_and_celeba_attributes():
    assert "faces" in BUILTIN
    data = load_dataset("faces", "test")
    assert data.description == "faces (test, 10000 images 32x32)"
    assert data.image_shape == (3, SIZE, SIZE) and data.label_names == LABEL_NAMES
    table = data.attributes
    assert table.names[: len(FACTORS)] == list(FACTOR_NAMES)
    smile = table.column("smile")
    assert np.array_equal(table.column("Smiling") == 1, smile > 0)
    assert is_binary(table.column("Eyeglasses")) and is_binary(table.column("Bald"))
    assert not is_binary(table.column("smile"))
    assert np.array_equal(table.column("Bald") == 1, table.column("hair_style") == 0)
    smiling, glasses = table.column("Smiling") == 1, table.column("Eyeglasses") == 1
    assert np.array_equal(data.labels, smiling + 2 * glasses)
    assert 0.45 < smiling.mean() < 0.55 and 0.35 < glasses.mean() < 0.45


def test_faces_are_cached_after_the_first_use(monkeypatch):
    first = load_dataset("faces", "test")
    path = entry_path("faces", {"version": faces_module.VERSION, "split": "test", "n": 10_000, "seed": 0, "size": 32})
    assert path.is_file()

    def no_drawing(*args, **kwargs):
        raise AssertionError("the cached faces were drawn again")

    monkeypatch.setattr(faces_module, "render_faces", no_drawing)
    again = load_dataset("faces", "test")
    assert again.fingerprint() == first.fingerprint()


def test_a_damaged_cache_entry_is_drawn_again():
    first = load_dataset("faces", "test")
    path = entry_path("faces", {"version": faces_module.VERSION, "split": "test", "n": 10_000, "seed": 0, "size": 32})
    path.write_bytes(b"not an npz")
    assert load_dataset("faces", "test").fingerprint() == first.fingerprint()


def test_train_and_test_faces_are_drawn_from_different_seeds():
    test = load_dataset("faces", "test")
    train_factors = sample_factors(10_000, [0, 0])
    assert not np.array_equal(train_factors, test.attributes.values[:, : len(FACTORS)])
    assert np.array_equal(sample_factors(10_000, [0, 1]), test.attributes.values[:, : len(FACTORS)])


def _bce(x, p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=(-3, -2, -1))


def test_every_factor_is_worth_learning():
    """Knowing a factor saves a model nats of reconstruction loss; a factor worth little is never encoded.

    For faces that share every other factor, the loss of drawing each face as their
    mean image (the best guess without the factor) minus the loss of drawing it exactly.
    """
    base = sample_factors(40, 99)
    worth = {}
    for j, f in enumerate(FACTORS):
        values = np.linspace(f.low, f.high, 8) if f.kind == "continuous" else np.arange(f.low, f.high + 1)
        factors = np.repeat(base, len(values), axis=0)
        factors[:, j] = np.tile(values, len(base))
        images = render_faces(factors).astype(np.float64).reshape(len(base), len(values), 3, SIZE, SIZE) / 255
        mean = images.mean(axis=1, keepdims=True)
        worth[f.name] = float((_bce(images, mean) - _bce(images, images)).mean())
    print({name: round(v, 1) for name, v in worth.items()})
    assert min(worth.values()) > 4.0, worth
    assert worth["smile"] > 6.0 and worth["Eyeglasses"] > 10.0
