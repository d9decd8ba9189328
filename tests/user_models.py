"""Users' own models as model files: the README's PyTorch examples VAE, a conv AE with codes laid out as
feature maps and logits out, and a model whose decode forgets the image shape; trained for a few
seconds on Fashion-MNIST and shared by the test modules."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from fashion import FASHION

from vae_explorer.core.data import load_dataset
from vae_explorer.core.io.pixels import to_float
from vae_explorer.core.io.trust import TrustPolicy
from vae_explorer.core.model.losses import kl_divergence

ROOT = Path(__file__).resolve().parents[1]
TRUST_ALL = TrustPolicy(allow_any=True)


def readme_model_file() -> str:
    """The model file the README's "Your own model" section shows."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Your own model") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


# A tiny VAE of 8x8 grey images; {decode}, {output} and {extra} (more arguments of wrap) are filled in.
TINY = """\
import torch
from torch import nn

import vae_explorer


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.enc = nn.Linear(64, 6)
        self.dec = nn.Linear(3, 64)

    def encode(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        return mu, logvar

    def decode(self, z):
        return {decode}


def vae_explorer_model():
    tiny = Tiny()
    return vae_explorer.wrap(tiny, image_shape=(1, 8, 8), flatten=True, output={output!r}{extra})
"""


CONV_AE = '''\
"""A conv AE whose codes are (N, 20, 1, 1) feature maps and whose decoder ends in logits."""
from pathlib import Path

import torch
from torch import nn

import vae_explorer


class ConvAE(nn.Module):
    def __init__(self, d=20):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 4, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, d, 7)
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(d, 32, 7), nn.ReLU(), nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, 2, 1),
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


def vae_explorer_model():
    ae = ConvAE()
    weights = Path(__file__).with_name("conv_ae.pth")
    if weights.exists():
        ae.load_state_dict(torch.load(weights, weights_only=True))
    return vae_explorer.wrap(
        ae,
        image_shape=(1, 28, 28),
        encode=ae.encoder,  # (N, 20, 1, 1), flattened to (N, 20)
        decode=lambda z: ae.decoder(z.view(-1, 20, 1, 1)),
        output="logits",
        name="conv AE",
        data="fashion-mnist",
    )
'''

BROKEN_DECODE = '''\
import torch
from torch import nn


class Broken(nn.Module):
    """Follows the interface but for decode, which returns flat images."""

    image_shape = (1, 28, 28)
    name = "broken decoder"
    data = "fashion-mnist"

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(784, 4)
        self.dec = nn.Linear(4, 784)

    def encode(self, x):
        return self.enc(x.flatten(1))

    def decode(self, z):
        return torch.sigmoid(self.dec(z))


def vae_explorer_model():
    return Broken()
'''


def import_file(path: Path):
    """The model file as a module of its own (to train the classes it defines)."""
    spec = importlib.util.spec_from_file_location(f"test_model_{path.stem}_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fashion(n: int) -> torch.Tensor:
    images = load_dataset("fashion-mnist", "train", str(FASHION)).images[:n]
    return to_float(torch.from_numpy(np.ascontiguousarray(images)))


def _one_thread(train):
    """Train on one thread: on a busy machine more threads only wait for each other."""

    def run(*args, **kwargs):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return train(*args, **kwargs)
        finally:
            torch.set_num_threads(threads)

    return run


@_one_thread
def train_examples_vae(module, steps: int = 150, seed: int = 0) -> torch.nn.Module:
    """The PyTorch examples' VAE trained as its main.py does (Adam 1e-3, BCE + KL), for ``steps`` batches."""
    torch.manual_seed(seed)
    model, x = module.VAE(), _fashion(6000).flatten(1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(steps):
        batch = x[(step * 128) % len(x) :][:128]
        mu, logvar = model.encode(batch)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        recon = F.binary_cross_entropy(model.decode(z), batch, reduction="sum")
        loss = (recon + kl_divergence(mu, logvar).sum()) / len(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@_one_thread
def train_conv_ae(module, steps: int = 80, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    model, x = module.ConvAE(), _fashion(6000)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for step in range(steps):
        batch = x[(step * 128) % len(x) :][:128]
        loss = F.binary_cross_entropy_with_logits(model(batch), batch, reduction="sum") / len(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


_MADE: dict[str, Path] = {}


def examples_vae(folder_factory) -> Path:
    """The README's model file with trained weights beside it (made once per test run) -> the file."""
    if "vae" not in _MADE:
        folder = folder_factory.mktemp("examples-vae")
        path = folder / "vae_model.py"
        path.write_text(readme_model_file())
        torch.save(train_examples_vae(import_file(path)).state_dict(), folder / "vae.pth")
        _MADE["vae"] = path
    return _MADE["vae"]


def conv_ae(folder_factory) -> Path:
    """The conv AE's model file with trained weights beside it -> the file."""
    if "ae" not in _MADE:
        folder = folder_factory.mktemp("conv-ae")
        path = folder / "conv_ae.py"
        path.write_text(CONV_AE)
        torch.save(train_conv_ae(import_file(path)).state_dict(), folder / "conv_ae.pth")
        _MADE["ae"] = path
    return _MADE["ae"]


def fashion_test():
    return load_dataset("fashion-mnist", "test", str(FASHION))


def write_model_file(folder: Path, text: str, name: str = "model.py") -> Path:
    path = folder / name
    path.write_text(text)
    sys.modules.pop(path.stem, None)
    return path
