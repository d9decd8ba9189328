"""A checkpoint's model shown before its network is built, so a launch draws cached maps before torch is imported.

When a checkpoint opens, a small card of what names it (kind, latent size, image
shape, metadata) is kept in the cache under the file's digest. A later launch reads
the file's digest and its card with numpy alone and shows a :class:`LoadedModel` whose
network is a :class:`PendingNetwork`: its codes come from the cache like any model's,
and whatever computes with the network (encoding, decoding) waits on a worker until
the real network arrives from the background load, or stops quietly if it fails.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from vae_explorer.core.errors import Cancelled, CheckpointError, VaeExplorerError
from vae_explorer.core.io.cache import entry_path, load_entry, save_entry
from vae_explorer.core.io.safe_read import read_input
from vae_explorer.core.model.checkpoint_checks import MAX_FILE_BYTES
from vae_explorer.core.model.config import KINDS, kind_name
from vae_explorer.core.model.device import check_device_name
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.user_model import is_model_file

CARD_FIELDS = ("kind", "latent_dim", "image_shape", "output", "likelihood", "sigma", "metadata", "device_type")


def file_digest(path: str | Path) -> str:
    """The digest a checkpoint's model carries (as :func:`~.checkpoint.load_checkpoint` computes it), from its bytes."""
    return hashlib.sha1(read_input(path, "checkpoint", MAX_FILE_BYTES, CheckpointError)).hexdigest()[:16]


def card_path(digest: str) -> Path:
    """Where the card of the checkpoint of ``digest`` is kept."""
    return entry_path("model-cards", {"digest": digest})


def remember_card(model: LoadedModel) -> None:
    """Keep what names a checkpoint's model under its digest, for the next launch (model files: never)."""
    if model.origin != "checkpoint" or not model.digest:
        return
    card = {name: getattr(model, name) for name in CARD_FIELDS}
    try:
        text = json.dumps(card)
    except (TypeError, ValueError):  # metadata that JSON cannot hold: that model always loads first
        return
    save_entry(card_path(model.digest), card=np.array(text))


def read_card(digest: str) -> dict[str, Any] | None:
    """The card kept for the checkpoint of ``digest``, or ``None`` (none kept, or not one this version wrote)."""
    entry = load_entry(card_path(digest))
    try:
        card = json.loads(str(entry["card"])) if entry is not None else None
    except (KeyError, ValueError):
        return None
    if not isinstance(card, dict) or set(card) != set(CARD_FIELDS) or card["kind"] not in KINDS:
        return None
    return card


class PendingNetwork:
    """A network still loading: what it is (from its card) at once; ``device``, ``encode`` and ``decode`` wait for it.

    Only workers compute with a model, so only they wait. Whatever waits sets ``wanted``,
    which starts the background load if it has not started yet. :meth:`arrive` hands over
    the real network; after :meth:`fail` every wait raises :class:`Cancelled` (the load's
    own error is reported once, by whoever ran it).
    """

    def __init__(self, card: dict[str, Any], device_type: str, wanted: threading.Event) -> None:
        self.is_vae = card["kind"] == "vae"
        self.latent_dim = int(card["latent_dim"])
        self.image_shape = tuple(int(v) for v in card["image_shape"])
        self.output, self.likelihood = str(card["output"]), str(card["likelihood"])
        self.sigma = float(card["sigma"])
        self.device_type = device_type  # the device it is expected on: the codes' cache key until it arrives
        self.wanted = wanted
        self._ready = threading.Event()
        self._net: Any = None

    def wait(self) -> Any:
        """The real network, once it has arrived (raises :class:`Cancelled` if it never will)."""
        self.wanted.set()
        self._ready.wait()
        if self._net is None:
            raise Cancelled()
        return self._net

    @property
    def device(self) -> Any:
        return self.wait().device

    @property
    def channels_last(self) -> bool:
        return self.wait().channels_last

    def encode(self, x: Any) -> Any:
        return self.wait().encode(x)

    def decode(self, z: Any) -> Any:
        return self.wait().decode(z)

    def arrive(self, net: Any) -> None:
        self._net = net
        self._ready.set()

    def fail(self) -> None:
        self._ready.set()


def pending_model(path: str | Path, device: str, wanted: threading.Event) -> LoadedModel | None:
    """The model of checkpoint ``path`` with a :class:`PendingNetwork`, if a card is kept for it, else ``None``.

    ``device``: the device asked for (``auto``, ``cpu``, ``cuda:1``...); for ``auto``, the model is expected where
    it ran last (its codes are cached under that device): were it to come to another, its codes are those encoded
    there, equal to float precision.
    """
    if is_model_file(path):  # a model file's code runs only once trusted, and decides what it is
        return None
    try:
        digest = file_digest(path)
    except VaeExplorerError:
        return None  # the load on the worker says what is wrong with the file
    card = read_card(digest)
    if card is None:
        return None
    name = check_device_name(device)
    expected = str(card["device_type"]) if name == "auto" else name.partition(":")[0]
    try:
        net, metadata = PendingNetwork(card, expected, wanted), dict(card["metadata"])
    except (TypeError, ValueError):
        return None
    path = Path(path)
    model = LoadedModel(net, path.name, "", path, digest, card["kind"], metadata, "checkpoint")  # type: ignore[arg-type]
    model.short_name = kind_name(model.kind, model.beta, parens=False)  # as from_checkpoint names it
    return model


def is_pending(model: LoadedModel | None) -> bool:
    """Whether ``model``'s network is still loading."""
    return model is not None and isinstance(model.net, PendingNetwork)


def settle(shown: LoadedModel, loaded: LoadedModel) -> bool:
    """Give the model on show (pending) the network that has loaded; ``False`` when it is not the same model.

    Same digest and shape: the network is put in place, and everything waiting on it goes
    on. Otherwise (the file changed meanwhile) the caller shows ``loaded`` instead.
    """
    pending = shown.net
    if not isinstance(pending, PendingNetwork):
        return False
    same = (loaded.digest, loaded.kind, loaded.latent_dim, loaded.image_shape) == (
        shown.digest,
        shown.kind,
        pending.latent_dim,
        pending.image_shape,
    )
    if not same:
        pending.fail()
        return False
    shown.net, shown.checkpoint = loaded.net, loaded.checkpoint
    pending.arrive(loaded.net)
    return True
