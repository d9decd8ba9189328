"""The session's attribute state: vectors in each model's space, alpha moving both cursors, groups from maps."""

import numpy as np
import pytest
from trained import write_model

from vae_explorer.core.attributes.files import load_vector, save_vector
from vae_explorer.core.attributes.groups import ClassGroups, ColumnGroups, PixelGroups
from vae_explorer.core.attributes.vectors import apply_vector, mean_difference
from vae_explorer.core.data import load_digits
from vae_explorer.core.errors import DataError
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.session import SLOTS, Session


def encode_all(session):
    for slot in SLOTS:
        s = session.slots[slot]
        if s.codes is None and s.model is not None:
            session.set_codes(slot, encode_images(s.model, session.dataset.images))


@pytest.fixture
def files(tmp_path):
    """An AE with a 3-D and a VAE with a 5-D latent (untrained: the state's logic needs no training)."""
    return write_model(tmp_path / "ae.pt", "ae", 3, 0), write_model(tmp_path / "vae.pt", "vae", 5, 1)


@pytest.fixture
def session(files):
    s = Session("cpu")
    s.open_pair(*files, load_digits("test"))
    encode_all(s)
    return s


def test_each_model_gets_its_own_vector(session):
    vector = session.attributes.define("", ClassGroups("7", "9"))
    labels = session.dataset.labels
    pos, neg = np.flatnonzero(labels == 7), np.flatnonzero(labels == 9)
    for slot, dim in zip(SLOTS, (3, 5), strict=True):
        entry = session.attributes.entry(vector.name, slot)
        assert entry.latent_dim == dim
        assert np.array_equal(entry.values, mean_difference(session.slots[slot].codes.mu, pos, neg))
        assert (entry.n_pos, entry.n_neg) == (len(pos), len(neg)) and 0 <= entry.auc <= 1
    assert session.attributes.active == vector.name == "9 → 7"


def test_alpha_moves_both_cursors_and_zero_returns_exactly(session):
    state = session.attributes
    state.define("smooth", PixelGroups("ink"))
    session.select(5)
    start = {slot: session.slots[slot].cursor_z.copy() for slot in SLOTS}
    seen = []
    state.alpha_changed.connect(seen.append)
    state.set_alpha(1.5)
    for slot in SLOTS:
        v = state.entry("smooth", slot).values
        assert np.array_equal(session.slots[slot].cursor_z, apply_vector(start[slot], v, 1.5))
        assert np.allclose(state.arrow(slot)[1], start[slot] + v)  # the arrow starts at the base code
    state.set_alpha(-0.5)
    state.set_alpha(0.0)
    for slot in SLOTS:
        assert np.array_equal(session.slots[slot].cursor_z, start[slot])
    assert seen == [1.5, -0.5, 0.0]
    state.set_alpha(7)
    assert state.alpha == 3.0  # the slider's reach


def test_another_cursor_move_makes_a_new_base(session):
    state = session.attributes
    state.define("", ClassGroups("0", None))
    session.select(3)
    state.set_alpha(1.0)
    moved = np.zeros(3, np.float32)
    session.set_cursor_code("left", moved)  # a drag or a slider elsewhere
    assert state.alpha == 0.0
    right_now = session.slots["right"].cursor_z.copy()
    state.set_alpha(2.0)
    v = {slot: state.entry(state.active, slot).values for slot in SLOTS}
    assert np.array_equal(session.slots["left"].cursor_z, apply_vector(moved, v["left"], 2))
    assert np.array_equal(session.slots["right"].cursor_z, apply_vector(right_now, v["right"], 2))


def test_alpha_without_a_cursor_says_what_to_do(session):
    messages = []
    session.notice.connect(lambda notice: messages.append(notice.text))
    session.attributes.define("", ClassGroups("0", None))
    session.attributes.set_alpha(1.0)
    assert session.slots["left"].cursor_z is None
    assert "select a sample" in messages[-1]


def test_a_new_model_gets_the_vector_remade_from_its_groups(session, tmp_path):
    state = session.attributes
    state.set_selection("A", np.arange(10))
    state.define("picked", state.selection_groups(against_rest=True))
    state.define("sevens", ClassGroups("7", None))
    before = state.entry("sevens", "left").values.copy()
    session.load_model("left", write_model(tmp_path / "ae2.pt", "ae", 3, 7))
    assert state.entry("sevens", "left") is None  # made in the old model's space
    encode_all(session)
    for name in ("picked", "sevens"):
        entry = state.entry(name, "left")
        assert entry is not None and entry.model == "ae2.pt"
    assert not np.allclose(state.entry("sevens", "left").values, before)
    # other data: the selection is gone, the class vector stays (it lives in model space)
    session.set_dataset(load_digits("train"))
    assert state.selections["A"] is None
    encode_all(session)
    assert state.entry("sevens", "left") is not None


def test_selection_groups_need_a_selection(session):
    state = session.attributes
    with pytest.raises(DataError, match="select group A in a map first"):
        state.selection_groups(against_rest=True)
    state.set_selection("A", [1, 2, 3])
    with pytest.raises(DataError, match="select group B in a map first"):
        state.selection_groups(against_rest=False)
    state.set_selection("B", [3, 2, 1])
    with pytest.raises(DataError, match="both groups are the same samples"):
        state.define("", state.selection_groups(against_rest=False))
    assert state.vectors == {}


def test_a_table_that_does_not_match_changes_nothing(session, tmp_path):
    state = session.attributes
    bad = tmp_path / "attrs.csv"
    bad.write_text("index,bright\n" + "".join(f"{i},1\n" for i in range(10)))
    with pytest.raises(DataError, match=f"10 rows for {len(session.dataset)} images"):
        state.load_table(str(bad))
    assert state.attribute_table() is None
    good = tmp_path / "good.csv"
    good.write_text("index,odd\n" + "".join(f"{i},{i % 2}\n" for i in range(len(session.dataset))))
    state.load_table(str(good))
    vector = state.define("", ColumnGroups("odd"))
    assert vector.entries["left"].n_pos == len(session.dataset) // 2


def test_loaded_vectors_bind_to_the_models(session, files, tmp_path):
    state = session.attributes
    vector = state.define("nines", ClassGroups("9", None))
    path = save_vector(tmp_path / "nines.json", vector)
    # the same models: the saved values are used as they are
    again = Session("cpu")
    again.open_pair(*files, load_digits("test"))
    encode_all(again)
    assert again.attributes.add_loaded(load_vector(path)) == []
    for slot in SLOTS:
        assert np.array_equal(again.attributes.entry("nines", slot).values, vector.entries[slot].values)
    # another VAE of the same size: recomputed from the groups in its own space
    other = Session("cpu")
    other.open_pair(files[0], write_model(tmp_path / "vae2.pt", "vae", 5, 9), load_digits("test"))
    encode_all(other)
    notes = other.attributes.add_loaded(load_vector(path))
    assert notes == ["'nines' recomputed in vae2.pt's space from its groups"]
    assert not np.allclose(other.attributes.entry("nines", "right").values, vector.entries["right"].values)


def test_removing_the_active_vector(session):
    state = session.attributes
    state.define("a", ClassGroups("1", None))
    state.define("b", ClassGroups("2", None))
    assert state.active == "b"
    state.remove("b")
    assert state.active == "a" and list(state.vectors) == ["a"]
