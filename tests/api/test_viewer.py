"""vae_explorer.view on live modules and arrays, and what its handle does: through the window's own session."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from PIL import Image
from tiny_models import Tiny, digits, train

import vae_explorer
from vae_explorer.core.morph.keys import MorphKey


def test_update_moves_the_maps_and_keeps_selection_cursors_vectors_and_morph_keys(open_view, tmp_path):
    images, labels = digits()
    table = pd.DataFrame({"ink": images.mean(axis=(1, 2)), "kind": ["x"] * len(images)})
    ae, vae = Tiny(vae=False), Tiny(vae=True)
    viewer = open_view(ae, vae, images, labels=pd.Series(labels), attributes=table)
    viewer.select(5).vector(toward="0", away="1", name="one to zero").morph(3, 7, frames=6).wait()
    session = viewer.session
    before = viewer.codes("vae")
    assert before.mu.shape == (300, 2) and before.logvar.shape == (300, 2) and before.points.shape == (300, 2)
    assert viewer.codes("ae").logvar is None
    assert np.allclose(session.slots["right"].cursor_z, before.mu[5])
    assert session.attributes.attribute_table().names == ["ink"]  # the text column is left out
    assert session.morph.results.keys() == {"left", "right"}
    first = viewer.screenshot(tmp_path / "before.png", part="maps")

    viewer.update(vae=train(vae, images)).wait()
    after = viewer.codes("vae")
    assert np.abs(after.points - before.points).mean() > 1e-3  # the new weights moved the map
    assert np.allclose(viewer.codes("ae").mu, viewer.codes("ae").mu)
    assert session.selection == 5
    assert np.allclose(session.slots["right"].cursor_z, after.mu[5])  # still on sample 5, at its new code
    assert np.allclose(session.slots["right"].decoded.z, after.mu[5])  # and decoded there
    assert session.attributes.active == "one to zero"
    assert session.attributes.entry("one to zero", "right") is not None  # remade with the new codes
    assert (session.morph.start, session.morph.end) == (MorphKey(3), MorphKey(7))
    assert session.morph.results.keys() == {"left", "right"} and session.morph.frames == 6
    second = viewer.screenshot(tmp_path / "after.png")
    shown = [np.asarray(Image.open(p).convert("L"), dtype=np.int16) for p in (first, second)]
    assert shown[0].shape[1] < shown[1].shape[1]  # the maps alone, then the whole window


def test_cursor_moves_by_map_point_or_code_and_vector_alpha_pushes_it(open_view):
    images, labels = digits()
    viewer = open_view(Tiny(vae=False), Tiny(vae=True), (images * 255).astype(np.uint8)[:, None], labels=labels)
    session = viewer.session
    viewer.cursor("vae", code=[0.25, -0.5]).wait()
    assert np.allclose(session.slots["right"].cursor_z, [0.25, -0.5])
    assert np.allclose(session.slots["right"].decoded.z, [0.25, -0.5])
    point = viewer.codes("ae").points[10]
    viewer.cursor("ae", point).wait()
    assert np.allclose(session.slots["left"].cursor_point, point)
    viewer.select(0).vector(pixels="ink", alpha=1.5).wait()
    assert session.attributes.alpha == 1.5
    assert not np.allclose(session.slots["right"].cursor_z, viewer.codes("vae").mu[0])  # pushed along the vector
    viewer.set_view("latent").wait()
    assert viewer.codes("vae").view == "latent"
    viewer.update(data=images[:50], labels=labels[:50], names=list("abcdefghij")).wait()  # other images
    assert viewer.codes("ae").points.shape == (50, 2) and viewer.session.dataset.label_names[1] == "b"


@pytest.mark.parametrize("kind", ["tensor", "torchvision", "module object", "wrapped"])
def test_data_and_models_of_every_kind_open(open_view, kind):
    images, labels = digits(120)
    ae, vae, data = Tiny(vae=False), Tiny(vae=True), images
    if kind == "tensor":
        data = torch.from_numpy(images)[:, None]  # (N, 1, H, W) float
    elif kind == "torchvision":
        from torchvision.datasets import FakeData

        data = FakeData(size=40, image_size=(1, 8, 8), num_classes=3, random_offset=1)
        labels = None
    elif kind == "module object":
        from tiny_models import Coder

        ae = Coder()
    else:
        ae = vae_explorer.wrap(Tiny(vae=False), image_shape=(1, 8, 8), name="wrapped AE")
    viewer = open_view(ae, vae, data, labels=labels).wait()
    n = 40 if kind == "torchvision" else 120
    assert viewer.codes("ae").points.shape == (n, 2) and viewer.codes("vae").points.shape == (n, 2)
    assert len(viewer.session.dataset.label_names) == (3 if kind == "torchvision" else 10)
    if kind == "wrapped":
        assert viewer.session.slots["left"].model.name == "wrapped AE"


def test_checkpoints_model_files_and_loaded_checkpoints_open_through_the_window(open_view, tmp_path):
    from trained import write_model
    from user_models import TINY

    from vae_explorer.core.model.checkpoint import load_checkpoint

    path = write_model(tmp_path / "vae.pt", "vae", 2, seed=0)
    model_file = tmp_path / "model.py"
    model_file.write_text(TINY.format(decode="torch.sigmoid(self.dec(z))", output="probabilities", extra=""))
    viewer = open_view(str(model_file), path, "digits", trust=True).wait()
    assert viewer.session.slots["right"].model.path == path
    assert viewer.session.slots["left"].model.origin == "model file"
    viewer.update(vae=load_checkpoint(path)).wait()  # a loaded checkpoint, as an object
    assert viewer.codes("vae").mu.shape == (len(viewer.session.dataset), 2)
    one = open_view(vae=path, data="digits").wait()  # one side only
    assert one.session.slots["left"].model is None and one.codes("vae").points.shape[1] == 2


def test_run_blocks_until_the_windows_close(open_view):
    from PySide6.QtCore import QTimer

    images, _ = digits(60)
    viewer = open_view(Tiny(vae=False), Tiny(vae=True), images).wait()
    QTimer.singleShot(300, viewer.close)
    vae_explorer.run()  # returns once the window has closed
    assert not viewer.window.isVisible()
    vae_explorer.run()  # no window open: at once


def test_several_viewers_live_side_by_side(open_view):
    images, labels = digits(80)
    vae = Tiny(vae=True)
    one = open_view(Tiny(vae=False), vae, images, labels=labels).wait()
    two = open_view(Tiny(vae=False), vae, images[:40], labels=labels[:40]).wait()
    kept = two.session.slots["right"].model
    one.update(vae=train(vae, images, steps=5)).wait()
    assert two.session.slots["right"].model is kept and len(two.codes("vae").mu) == 40
    assert one.session.slots["right"].model.digest != kept.digest
