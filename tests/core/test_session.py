"""The session without a window: select, hover, cursors, views, the right map turned to the left, reopening.

Tiny real models (an AE and a VAE trained a few epochs on the digits) and the
encoding the window's workers do, run here in line.
"""

import numpy as np
import pytest
from trained import digits_pair, write_model

from vae_explorer.core.data import load_digits
from vae_explorer.core.errors import CheckpointError, DataError
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.latent.projection import Aligned, procrustes_rotation
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.morph.keys import MorphKey
from vae_explorer.core.session import SLOTS, Session


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return digits_pair(tmp_path_factory, latent_dim=4, epochs=6)


@pytest.fixture(scope="module")
def pair_2d(tmp_path_factory):
    return digits_pair(tmp_path_factory, latent_dim=2, epochs=3)


@pytest.fixture(scope="module")
def data():
    return load_digits("test")


def encode(session):
    for slot in SLOTS:
        s = session.slots[slot]
        session.set_codes(slot, encode_images(s.model, session.dataset.images))


def record(session, *names):
    """Every emission of the named signals, in order, as ``(name, args)``."""
    seen = []
    for name in names:
        getattr(session, name).connect(lambda *args, n=name: seen.append((n, args)))
    return seen


@pytest.fixture
def session(pair, data):
    s = Session("cpu")
    s.open_pair(*pair, data)
    encode(s)
    return s


def test_select_puts_both_cursors_on_the_sample(session):
    seen = record(session, "selection_changed", "cursor_changed")
    session.select(12)
    assert session.selection == 12
    assert seen == [("selection_changed", (12,)), ("cursor_changed", ("left",)), ("cursor_changed", ("right",))]
    for slot in SLOTS:
        s = session.slots[slot]
        assert np.array_equal(s.cursor_z, s.codes.mu[12])
        assert np.allclose(s.cursor_point, session.projection(slot).points[12], atol=1e-4)
    with pytest.raises(DataError, match=r"sample 359 is out of range \(0 to 358 in digits"):
        session.select(359)
    assert session.selection == 12
    session.select(None)  # nothing selected; the cursors stay where they are
    assert session.selection is None and np.array_equal(
        session.slots["left"].cursor_z, session.slots["left"].codes.mu[12]
    )


def test_hover_tells_only_of_a_change(session):
    seen = record(session, "hover_changed")
    for index in (3, 3, 4, None, None):
        session.set_hover(index)
    assert seen == [("hover_changed", (3,)), ("hover_changed", (4,)), ("hover_changed", (None,))]


def test_move_cursor_inverts_the_map_around_the_selected_sample(session):
    session.select(5)
    s, proj = session.slots["right"], session.projection("right")
    anchor = s.codes.mu[5]
    assert np.allclose(session.move_cursor("right", proj.points[5]), anchor, atol=1e-5)  # exact at the anchor
    target = proj.points[5] + np.array([0.7, -0.4])
    z = session.move_cursor("right", target)
    assert np.array_equal(s.cursor_z, z) and np.array_equal(s.cursor_point, target)
    assert np.allclose(proj.forward(z)[0], target, atol=1e-4)  # the code lands where the mouse is
    # only the two shown components changed: the rest of the anchor's code is kept
    delta = (z - anchor).astype(np.float64)
    components = proj.base.components  # the right map is the PCA map, turned
    assert np.allclose(delta - components.T @ (components @ delta), 0, atol=1e-5)
    assert session.slots["left"].cursor_point is not None and np.array_equal(
        session.slots["left"].cursor_z, session.slots["left"].codes.mu[5]
    )


def test_set_view_moves_the_cursor_points_and_refuses_unknown_views(session):
    session.select(7)
    seen = record(session, "view_changed")
    assert session.available_views() == ["pca", "tsne", "umap"]  # no latent plane for 4-D codes
    points = np.random.default_rng(0).normal(size=(len(session.dataset), 2)).astype(np.float32)
    for slot in SLOTS:
        session.set_tsne(slot, points)
    session.set_view("tsne")
    session.set_view("tsne")
    assert seen == [("view_changed", ("tsne",))]
    for slot in SLOTS:  # the cursor sits on the sample's t-SNE point
        assert np.allclose(session.slots[slot].cursor_point, session.projection(slot).points[7], atol=1e-3)
    with pytest.raises(ValueError, match="unknown view 'isomap'"):
        session.set_view("isomap")
    assert session.view == "tsne"


def test_the_right_map_is_turned_to_match_the_left(session, pair, tmp_path):
    left, right = session.slots["left"], session.slots["right"]
    aligned, native = right.maps["pca"], right.native["pca"]
    assert isinstance(aligned, Aligned) and aligned.base is native
    rotation = aligned.rotation
    assert np.allclose(rotation @ rotation.T, np.eye(2), atol=1e-9)
    target = left.maps["pca"].points.astype(np.float64)

    def misfit(points):
        p = points.astype(np.float64)
        return np.linalg.norm((p - p.mean(0)) - (target - target.mean(0)))

    # no other turn or mirror of the native map comes closer to the left map
    assert misfit(aligned.points) <= misfit(native.points) + 1e-6
    for angle in np.linspace(0, 2 * np.pi, 24, endpoint=False):
        c, s = np.cos(angle), np.sin(angle)
        for turn in (np.array([[c, -s], [s, c]]), np.array([[c, s], [s, -c]])):
            assert misfit(aligned.points) <= misfit(native.points @ turn) + 1e-3
    assert left.maps["pca"] is left.native["pca"]  # the left map is drawn as it is
    # another model on the left: the right map is turned again, to the new left map
    session.load_model("left", write_model(tmp_path / "other.pt", "ae", 4, 3))
    encode(session)
    new_rotation = procrustes_rotation(native.points, session.slots["left"].maps["pca"].points)
    assert np.allclose(session.slots["right"].maps["pca"].rotation, new_rotation)
    assert not np.allclose(new_rotation, rotation)


def test_the_latent_plane_is_not_turned(pair_2d, data):
    session = Session("cpu")
    session.open_pair(*pair_2d, data)
    encode(session)
    assert session.available_views() == ["pca", "tsne", "umap", "latent"]
    right = session.slots["right"]
    assert right.maps["latent"] is right.native["latent"]
    assert np.array_equal(right.maps["latent"].points, right.codes.mu)


def test_opening_another_pair_and_other_data(session, pair, pair_2d, data, tmp_path):
    session.select(3)
    session.morph.set_start(MorphKey(3))
    seen = record(session, "data_changed", "model_changed")
    session.open_pair(*pair_2d, data)  # a second pair on the same data
    assert seen == [("data_changed", ()), ("model_changed", ("left",)), ("model_changed", ("right",))]
    assert session.selection is None and session.morph.start is None
    for slot in SLOTS:
        s = session.slots[slot]
        assert s.latent_dim == 2 and s.codes is None and s.cursor_z is None and s.maps == {}
    encode(session)
    # a pair that does not fit changes nothing
    wide = write_model(tmp_path / "wide.pt", "vae", 2, 0, shape=(1, 28, 28))
    with pytest.raises(CheckpointError, match="both models must take images of one shape"):
        session.open_pair(pair[0], wide, data)
    with pytest.raises(CheckpointError, match="takes 1x28x28 images, but"):
        session.load_model("right", wide)
    assert session.slots["right"].model.path == pair_2d[1] and session.slots["right"].codes is not None
    # other data: the codes go, the models stay, and codes encoded for the old data are ignored
    old_codes = encode_images(session.slots["left"].model, data.images)
    train = load_digits("train")
    session.set_dataset(train)
    assert session.dataset is train and all(s.codes is None and s.loaded for s in session.slots.values())
    session.set_codes("left", old_codes)
    assert session.slots["left"].codes is None
    encode(session)
    session.select(len(train) - 1)
    assert np.array_equal(session.slots["left"].cursor_z, session.slots["left"].codes.mu[-1])


def test_a_model_opens_on_its_own_data_beside_a_model_that_reads_it_or_alone(session, data, tmp_path):
    from dataclasses import replace

    seen = record(session, "model_changed", "data_changed")
    train = load_digits("train")
    newcomer = session.slots["right"].model
    assert session.open_on_its_data("right", newcomer, train) is None  # the AE beside it reads 8x8 images: it stays
    assert session.dataset is train and session.slots["left"].model is not None
    assert seen == [("data_changed", ()), ("model_changed", ("right",))]
    big = replace(data, images=np.zeros((5, 1, 28, 28), np.uint8), labels=None, _fingerprint=None)
    with pytest.raises(CheckpointError, match="takes images of shape 1x8x8"):
        session.open_on_its_data("right", newcomer, big)  # a model that cannot read the data: nothing changes
    assert session.dataset is train
    fashion = open_model(write_model(tmp_path / "f.pt", "vae", 3, shape=(1, 28, 28), data="fashion-mnist"), "cpu")
    ae = session.slots["left"].model
    del seen[:]
    assert session.open_on_its_data("right", fashion, big) is ae  # the AE cannot read 28x28 images: it leaves
    assert session.slots["left"].model is None and session.slots["right"].model is fashion and session.dataset is big
    assert seen == [("model_changed", ("left",)), ("data_changed", ()), ("model_changed", ("right",))]


def test_data_of_another_shape_is_refused(session, data, tmp_path):
    from dataclasses import replace

    big = replace(data, images=np.zeros((5, 1, 28, 28), np.uint8), labels=None, _fingerprint=None)
    with pytest.raises(DataError, match="model takes images of shape 1x8x8, but digits has 1x28x28"):
        session.set_dataset(big)
    assert session.dataset is data and session.slots["left"].codes is not None


def test_linked_cursors_move_together_to_the_same_place_among_the_data(session):
    session.select(5)
    seen = record(session, "cursor_changed", "linked_changed")
    session.set_linked(True)
    left, right = session.slots["left"], session.slots["right"]
    # on a data point: the other cursor is on the same sample, and decodes its code (the selected one: exact)
    z = session.move_cursor("right", session.projection("right").points[5])
    assert np.allclose(left.cursor_point, session.projection("left").points[5], atol=1e-5)
    assert np.allclose(left.cursor_z, left.codes.mu[5], atol=1e-5) and np.array_equal(right.cursor_z, z)
    assert seen == [("linked_changed", (True,)), ("cursor_changed", ("right",)), ("cursor_changed", ("left",))]
    session.move_cursor("right", session.projection("right").points[40])
    assert np.allclose(left.cursor_point, session.projection("left").points[40], atol=1e-5)
    # between data points: where the link carries it, and the left code is the left map's own inverse there
    target = session.projection("right").points[5] + np.array([0.5, 0.3])
    session.move_cursor("right", target)
    assert np.allclose(left.cursor_point, session.carry("right", target)[0])
    expected = session.projection("left").inverse(left.cursor_point, left.codes.mu[5])[0]
    assert np.allclose(left.cursor_z, expected, atol=1e-6)
    session.set_linked(False)
    before = left.cursor_point.copy()
    session.move_cursor("right", target + 1.0)
    assert np.array_equal(left.cursor_point, before)  # unlinked: the left cursor stays


def test_a_pan_or_zoom_of_one_map_shows_the_same_data_in_the_other_when_linked(session):
    seen = record(session, "region_linked")
    right = session.projection("right").points
    lo, hi = right[:, 0].min(), right[:, 0].max()
    session.show_region("right", (lo, -1.0, hi - lo, 2.0))
    assert seen == []  # unlinked: each map keeps its own view
    session.set_linked(True)
    session.show_region("right", (lo, -1.0, hi - lo, 2.0))
    ((name, (slot, rect)),) = seen
    link = session.link("right")
    centre = session.carry("right", np.array([(lo + hi) / 2, 0.0]))[0]
    assert slot == "left" and np.allclose([rect[0] + rect[2] / 2, rect[1] + rect[3] / 2], centre)
    assert np.allclose(rect[2:], [(hi - lo) * link.fit.scale, 2.0 * link.fit.scale])
    session.show_region("left", None)  # View all in one: all in the other too
    assert seen[-1] == ("region_linked", ("right", None))


def test_a_replay_is_dropped_with_the_model_it_was_recorded_for(session, pair):
    seen = record(session, "replay_changed")
    codes = np.zeros((3, 4), np.float32)
    session.show_replay("right", codes, np.array([0, 1, 2]))
    assert np.array_equal(session.replays["right"][0], codes) and session.replays["left"] is None
    session.load_model("left", pair[0])  # the other side: the replay stays
    assert session.replays["right"] is not None
    session.load_model("right", pair[1])
    assert session.replays["right"] is None and seen == [("replay_changed", ("right",))] * 2
