"""Robustness cases on files and values: image files, saved settings, names that are not UTF-8, a recipe's
values, a data folder without IDX files, numbers beyond 32-bit floats (see robustness.py)."""

from __future__ import annotations

import json
import shutil
from typing import Any

from _robustness_common import cli, run_python

# -- 1. image files -------------------------------------------------------------------------------------------
READ_FOLDER = """
import sys
from vae_explorer.core.data import load_image_folder
try:
    d = load_image_folder(sys.argv[1], split="all")
except Exception as exc:
    sys.exit(f"{type(exc).__name__}: {exc}")
shape = "x".join(map(str, d.images.shape))
print(f"{len(d)} images, {shape}, first pixel {int(d.images[0, 0, 0, 0])}; notes: {' | '.join(d.notes) or 'none'}")
"""


def _images(env: Any, make: str) -> str:
    code = "import numpy as np\nfrom PIL import Image\nfrom pathlib import Path\nroot = Path('data')\n" + make
    made = run_python(env, code)
    return made if not made.startswith("ok") else run_python(env, READ_FOLDER, "data")


def sixteen_bit(env: Any) -> str:
    return _images(env, "root.mkdir()\nImage.fromarray(np.full((8, 8), 1000, np.uint16)).save(root / 'a.png')\n")


def grey_palette_and_animation(env: Any) -> str:
    return _images(
        env,
        """
root.mkdir()
grey = (np.arange(64).reshape(8, 8) * 4).astype(np.uint8)
Image.fromarray(grey).save(root / 'still.gif')
frames = [Image.fromarray(grey), Image.fromarray(255 - grey)]
frames[0].save(root / 'moving.gif', save_all=True, append_images=frames[1:])
""",
    )


def exif_orientation(env: Any) -> str:
    return _images(
        env,
        """
root.mkdir()
stored = np.zeros((6, 10), np.uint8)
stored[0, 0] = 255  # the top left as stored; a quarter turn clockwise puts it at the top right
exif = Image.Exif()
exif[0x0112] = 6
Image.fromarray(stored).save(root / 'photo.png', exif=exif)
""",
    )


def hidden_files(env: Any) -> str:
    return _images(
        env,
        """
for label in ('a', 'b'):
    (root / label).mkdir(parents=True)
    for k in range(3):
        Image.new('L', (8, 8), 50 * k).save(root / label / f'{k}.png')
    (root / label / '._0.png').write_bytes(bytes(82))
""",
    )


def loose_files(env: Any) -> str:
    return _images(
        env,
        """
for label in ('a', 'b'):
    (root / label).mkdir(parents=True)
    Image.new('L', (8, 8), 90).save(root / label / 'x.png')
Image.new('L', (8, 8), 10).save(root / 'loose.png')
(root / 'labels.csv').write_text('loose.png,a\\n')
""",
    )


# -- 2. settings ----------------------------------------------------------------------------------------------
def recent_pairs(env: Any) -> str:
    return run_python(
        env,
        """
import json, time
from PySide6.QtCore import QSettings
try:
    from vae_explorer.gui.shell.settings import WindowSettings
except ImportError:  # before the shell had a package of its own
    from vae_explorer.gui.settings import WindowSettings
pairs = [{"left": f"/m/a{k}.pt", "right": f"/m/b{k}.pt", "data": "digits"} for k in range(100_000)]
raw = QSettings("s.ini", QSettings.Format.IniFormat)
raw.setValue("recent_pairs", json.dumps(pairs))
raw.sync()
t0 = time.perf_counter()
shown = WindowSettings(QSettings("s.ini", QSettings.Format.IniFormat)).recent_pairs()
print(f"Open recent holds {len(shown):,} pairs of the file's 100,000 ({time.perf_counter() - t0:.2f} s)")
""",
    )


# -- 4. names that are not UTF-8 ------------------------------------------------------------------------------
def non_utf8_names(env: Any) -> str:
    made = run_python(
        env,
        """
from pathlib import Path
from PIL import Image
for label in ('a', 'b'):
    folder = Path('shots') / label
    folder.mkdir(parents=True)
    for k in range(3):
        Image.new('L', (8, 8), 40 * k).save(folder / (b'caf\\xe9-%d.png' % k).decode('utf-8', 'surrogateescape'))
""",
    )
    if not made.startswith("ok"):
        return made
    ckpt = env.repo / "checkpoints" / "digits-vae.pt"
    return cli(env, "embed", ckpt, "--data", "shots", "--tsv", "proj", extra={"PYTHONIOENCODING": "utf-8:strict"})


# -- 6. a recipe's values -------------------------------------------------------------------------------------
def _recipe(env: Any, **values: Any) -> str:
    shutil.copy(env.repo / "checkpoints" / "digits-vae.pt", env.tmp / "m.pt")
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": ["m.pt"], "keys": [0, 1]}
    blob |= {"frames": 4, "method": "lerp", "data": "digits", **values}
    (env.tmp / "r.json").write_text(json.dumps(blob))
    return cli(env, "morph", "--recipe", "r.json", "--out", "m.gif", wrote="m.gif")


def recipe_test_fraction(env: Any) -> str:
    return _recipe(env, test_fraction=0.99)


def recipe_nan_fps(env: Any) -> str:
    return _recipe(env, gif={"fps": float("nan")})


def recipe_frames(env: Any) -> str:
    return _recipe(env, frames=1_000_000)


# -- 7. a data folder without IDX files -----------------------------------------------------------------------
def empty_data_dir(env: Any) -> str:
    made = run_python(
        env,
        """
import gzip, struct
from pathlib import Path
import numpy as np
other = Path('other/fashion-mnist')
other.mkdir(parents=True)
for prefix, shape in (('t10k-images-idx3-ubyte.gz', (20, 28, 28)), ('t10k-labels-idx1-ubyte.gz', (20,))):
    head = struct.pack('>BBBB', 0, 0, 8, len(shape)) + b''.join(struct.pack('>I', s) for s in shape)
    (other / prefix).write_bytes(gzip.compress(head + bytes(int(np.prod(shape)))))
Path('my-data').mkdir()
""",
    )
    if not made.startswith("ok"):
        return made
    ckpt = env.repo / "checkpoints" / "fashion-vae.pt"
    extra = {"VAE_EXPLORER_DATA": str(env.tmp / "other")}
    argv = ["embed", ckpt, "--data", "fashion-mnist", "--data-dir", "my-data", "--out", "c.npz"]
    return cli(env, *argv, extra=extra, wrote="c.npz")


# -- 8. numbers beyond 32-bit floats, and a numbered CPU ------------------------------------------------------
def traverse_alpha(env: Any) -> str:
    ckpt = env.repo / "checkpoints" / "digits-vae.pt"
    argv = ["traverse", "--vae", ckpt, "--data", "digits", "--attribute", "class:1-7", "--samples", "0"]
    return cli(env, *argv, "--alphas", "-3e38,3e38", "--out", "t.png", wrote="t.png")


def evaluate_alpha(env: Any) -> str:
    return cli(env, "evaluate", env.repo / "checkpoints" / "faces-vae.pt", "--alpha", "1e39")


def numbered_cpu(env: Any) -> str:
    return cli(env, "embed", env.repo / "checkpoints" / "digits-vae.pt", "--device", "cpu:0", "--out", "c.npz")
