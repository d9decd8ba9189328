"""Watch: a training loop updates the viewer every few epochs; a Lightning-style hook does the same."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tiny_models import Tiny, digits, train

import vae_explorer
from vae_explorer import VaeExplorerError


def test_watch_updates_every_n_epochs_with_the_new_weights(open_view):
    images, labels = digits(150)
    vae = Tiny(vae=True)
    viewer = open_view(Tiny(vae=False), vae, images, labels=labels).wait()
    watch = vae_explorer.Watch(viewer, every=2, wait=True)
    digests = [viewer.session.slots["right"].model.digest]
    for epoch in range(4):
        train(vae, images, steps=3)
        updated = watch(epoch, vae)
        assert updated == (epoch % 2 == 1)
        digests.append(viewer.session.slots["right"].model.digest)
    assert watch.updates == 2
    assert len(set(digests)) == 3  # new weights at epochs 2 and 4 only
    watch.on_train_epoch_end(None, train(vae, images, steps=3))  # Lightning's hook: the module is the model
    assert watch.epochs == 5 and watch.updates == 2
    with pytest.raises(VaeExplorerError, match="^every: a whole number"):
        vae_explorer.Watch(viewer, every=0)


def test_import_stays_light():
    code = (
        "import sys, vae_explorer; vae_explorer.view; vae_explorer.run; vae_explorer.Watch; "
        "vae_explorer.VaeExplorerError; print(sorted(m for m in ('torch', 'PySide6', 'pyqtgraph', 'numpy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
