"""What the security cases share: a user's file to protect, a model file, and how to read a command's end."""

from __future__ import annotations

import subprocess
from pathlib import Path

VICTIM = "the user's own file\n"
NUMPY = "import pathlib\npathlib.Path(__file__).with_name('numpy ran').write_text('')\nraise SystemExit('shadowed')\n"
TRAIN = ["train", "--data", "digits", "--epochs", "1", "--latent-dim", "2", "--out", "m.pt"]


def _victim(env) -> Path:
    victim = env.tmp / "victim.txt"
    victim.write_text(VICTIM)
    return victim


def _last(done: subprocess.CompletedProcess) -> str:
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def _refused(done: subprocess.CompletedProcess, words: str = "") -> str:
    """``refused in one line`` (naming ``words``), or what happened instead."""
    lines = done.stderr.strip().splitlines()
    if done.returncode and len(lines) == 1 and words.lower() in lines[0].lower():
        return "refused in one line" + (f" ({words})" if words else "")
    return f"exit {done.returncode}: {_last(done)[:90]}"


MODEL = """\
import torch
from torch import nn
import vae_explorer
import helper


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.enc, self.dec = nn.Linear(64, 6), nn.Linear(3, 64)

    def encode(self, x):
        return self.enc(x).chunk(2, dim=1)

    def decode(self, z):
        return torch.sigmoid(self.dec(z))


def vae_explorer_model():
    return vae_explorer.wrap(Tiny(), image_shape=(1, 8, 8), flatten=True, name=helper.NAME, data="digits")
"""
HELPER = "NAME = 'tiny'\n"
EVIL = "import pathlib\npathlib.Path(__file__).with_name('changed code ran').write_text('')\nNAME = 'tiny'\n"
