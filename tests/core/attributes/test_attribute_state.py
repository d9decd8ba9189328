"""The session's attribute state: vectors in each model's space, alpha moving both cursors, groups from maps.

Vectors are made as the Attributes dock makes them (the form's inputs, built on a
worker, added to the state), and the remaking of vectors when codes change runs
here at once where the window runs it on a worker.
"""

import numpy as np
import pytest
from trained import write_model

from vae_explorer.core.attributes.binding import bind_vector
from vae_explorer.core.attributes.files import load_vector, save_vector
from vae_explorer.core.attributes.groups import ClassGroups, ColumnGroups, PixelGroups
from vae_explorer.core.attributes.vectors import apply_vector, build_vector, mean_difference
from vae_explorer.core.data import load_attribute_table, load_digits
from vae_explorer.core.errors import DataError
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.session import SLOTS, Session


def encode_all(session):
    for slot in SLOTS:
        s = session.slots[slot]
        if s.codes is None and s.model is not None:
            session.set_codes(slot, encode_images(s.model, session.dataset.images))


def headless(session):
    """Run the state's rebinds at once, as the window's worker would."""
    state = session.attributes
    state.rebind_needed.connect(lambda job: state.apply_rebind(job, job.run()))
    return session


def define(state, name, groups):
    """What the dock's Define button does: the state's inputs, a vector built from them, added."""
    vector = build_vector(name, groups, *state.vector_inputs())
    state.add(vector)
    return vector


@pytest.fixture
def files(tmp_path):
    """An AE with a 3-D and a VAE with a 5-D latent (untrained: the state's logic needs no training)."""
    return write_model(tmp_path / "ae.pt", "ae", 3, 0), write_model(tmp_path / "vae.pt", "vae", 5, 1)


@pytest.fixture
def session(files):
    s = headless(Session("cpu"))
    s.open_pair(*files, load_digits("test"))
    encode_all(s)
    return s


def test_each_model_gets_its_own_vector(session):
    vector = define(session.attributes, "", ClassGroups("7", "9"))
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
    define(state, "smooth", PixelGroups("ink"))
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
    define(state, "", ClassGroups("0", None))
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
    define(session.attributes, "", ClassGroups("0", None))
    session.attributes.set_alpha(1.0)
    assert session.slots["left"].cursor_z is None
    assert "select a sample" in messages[-1]


def test_a_new_model_gets_the_vector_remade_from_its_groups(session, tmp_path):
    state = session.attributes
    state.set_selection("A", np.arange(10))
    define(state, "picked", state.selection_groups(against_rest=True))
    define(state, "sevens", ClassGroups("7", None))
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
        define(state, "", state.selection_groups(against_rest=False))
    assert state.vectors == {}


def test_a_table_that_does_not_match_changes_nothing(session, tmp_path):
    state, data = session.attributes, session.dataset
    bad = tmp_path / "attrs.csv"
    bad.write_text("index,bright\n" + "".join(f"{i},1\n" for i in range(10)))
    with pytest.raises(DataError, match=f"no row for .* of the {len(data)} images"):
        state.set_table(load_attribute_table(str(bad), data))
    assert state.attribute_table() is None
    small = tmp_path / "small.csv"
    small.write_text("index,bright\n0,1\n1,0\n2,1\n")
    with pytest.raises(DataError, match="3 rows do not match"):
        state.set_table(load_attribute_table(str(small), 3))  # read for other data
    assert state.attribute_table() is None
    good = tmp_path / "good.csv"
    rows = data.source_rows()  # row numbers of the whole digits, whichever split the image is in
    good.write_text("index,odd\n" + "".join(f"{r},{r % 2}\n" for r in rows))
    state.set_table(load_attribute_table(str(good), data))
    vector = define(state, "", ColumnGroups("odd"))
    assert vector.entries["left"].n_pos == int((rows % 2).sum())


def test_loaded_vectors_bind_to_the_models(session, files, tmp_path):
    state = session.attributes
    vector = define(state, "nines", ClassGroups("9", None))
    path = save_vector(tmp_path / "nines.json", vector)
    # the same models and data: remade from its groups, to the same values
    again = headless(Session("cpu"))
    again.open_pair(*files, load_digits("test"))
    encode_all(again)
    bound, notes = bind_vector(load_vector(path), *again.attributes.vector_inputs())
    assert notes == [f"'nines' in {f.name}: recomputed from its groups on {again.dataset.description}" for f in files]
    for slot in SLOTS:
        assert np.array_equal(bound.entries[slot].values, vector.entries[slot].values)
    # another VAE of the same size, before it has encoded the data: the saved values, and it says so
    other = headless(Session("cpu"))
    other.open_pair(files[0], write_model(tmp_path / "vae2.pt", "vae", 5, 9), load_digits("test"))
    bound, notes = bind_vector(load_vector(path), other.dataset, other.attributes.models)
    assert notes[1] == "'nines' in vae2.pt: the saved values, made with vae.pt"
    other.attributes.add(bound)
    assert np.array_equal(other.attributes.entry("nines", "right").values, vector.entries["right"].values)
    # once it has, the vector is remade in its own space
    encode_all(other)
    assert not np.allclose(other.attributes.entry("nines", "right").values, vector.entries["right"].values)
    assert other.attributes.entry("nines", "right").model == "vae2.pt"


def test_a_late_rebind_is_dropped(files, tmp_path):
    session = Session("cpu")  # no worker: rebinds wait until the test runs them
    session.open_pair(*files, load_digits("test"))
    jobs = []
    session.attributes.rebind_needed.connect(jobs.append)
    encode_all(session)
    state = session.attributes
    vector = define(state, "sevens", ClassGroups("7", None))
    session.load_model("left", write_model(tmp_path / "ae2.pt", "ae", 3, 7))
    encode_all(session)
    first = jobs[-1]
    assert first.slot == "left"
    session.set_dataset(load_digits("train"))  # the codes the job was made for are gone
    assert not state.apply_rebind(first, first.run())
    assert state.entry("sevens", "left") is None
    encode_all(session)
    latest = [job for job in jobs if job.slot == "left"][-1]
    assert state.apply_rebind(latest, latest.run())
    entry = state.entry("sevens", "left")
    assert entry is not None and entry.model == "ae2.pt" and entry.n_pos == (session.dataset.labels == 7).sum()
    assert state.vectors["sevens"] is vector


def test_removing_the_active_vector(session):
    state = session.attributes
    define(state, "a", ClassGroups("1", None))
    define(state, "b", ClassGroups("2", None))
    assert state.active == "b"
    state.remove("b")
    assert state.active == "a" and list(state.vectors) == ["a"]
