"""Small builders of test files."""

import gzip
import re
import struct

import numpy as np
from PIL import Image

from vae_explorer.core.data import Dataset


def write_idx(path, array, magic_type=0x08, compress=True):
    header = struct.pack(">BBBB", 0, 0, magic_type, array.ndim) + b"".join(struct.pack(">I", s) for s in array.shape)
    raw = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


def write_idx_set(folder, n=5, split="train", compress=True):
    folder.mkdir(parents=True, exist_ok=True)
    prefix = "train" if split == "train" else "t10k"
    suffix = ".gz" if compress else ""
    images = np.arange(n * 28 * 28, dtype=np.int64).reshape(n, 28, 28) % 256
    labels = np.arange(n) % 10
    write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, compress=compress)
    write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, compress=compress)
    return images, labels


def gif_frames(path):
    """Every frame of a GIF as ``uint8 (H, W)`` grey, with its duration, and the file's loop flag."""
    with Image.open(path) as im:
        frames, durations = [], []
        for i in range(im.n_frames):
            im.seek(i)
            frames.append(np.asarray(im.convert("L")))
            durations.append(im.info["duration"])
        return frames, durations, im.info.get("loop")


def save_sample(path, data, index, mode="L"):
    """Write sample ``index`` of ``data`` as an image file (``mode``: L, RGB, ...)."""
    Image.fromarray(data.images[index, 0]).convert(mode).save(path)
    return path


def run_cli(capsys, *argv):
    """Run ``vae-explorer ARGV`` in this process -> ``(exit status, stdout, stderr)``."""
    from vae_explorer.cli import main

    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse errors
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line_error(rc, err, pattern):
    """A failure: non-zero status, one line on stderr matching ``pattern``, no traceback."""
    assert rc != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert re.search(pattern, lines[0]), lines[0]


LETTERS = ("A", "B", "C")
FONTS = ("arial.png", "times.png", "mono.png", "bold.png", "serif.png", "round.png")


def letter_image(k, f, side=12):
    """Letter ``k`` in font ``f``: a bright bar whose place says the letter and whose width and brightness the font."""
    image = np.zeros((side, side), np.uint8)
    x = 1 + 3 * k
    image[2 : side - 2, x : x + 1 + f % 2] = 120 + 20 * f
    return image


def write_letters(root, sizes=None):
    """A folder of glyphs, one sub-folder per letter, every letter in the same fonts (``A/arial.png``,
    ``B/arial.png``, ...), and an attribute table kept outside it, keyed by path in the folder.

    Columns: ``bold`` (the wide fonts: 1 / 0), ``weight`` (a number per font). ``sizes``: the side of each
    font's files (default 12 for all). Returns ``(folder, table)``.
    """
    folder = root / "letters"
    rows = []
    for k, letter in enumerate(LETTERS):
        (folder / letter).mkdir(parents=True, exist_ok=True)
        for f, name in enumerate(FONTS):
            side = sizes[f] if sizes else 12
            Image.fromarray(letter_image(k, f, 12)).resize((side, side), Image.Resampling.NEAREST).save(
                folder / letter / name
            )
            rows.append(f"{letter}/{name},{f % 2},{0.5 * f}")
    table = root / "elsewhere" / "fonts.csv"
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text("file,bold,weight\n" + "\n".join(rows) + "\n")
    return folder, table


def tiny_data(labels=(0, 0, 1, 1, 1), names=("zero", "one", "two")):
    """A data set of blank 4x4 images with these class labels and class names."""
    images = np.zeros((len(labels), 1, 4, 4), np.uint8)
    return Dataset("tiny", "all", images, np.asarray(labels, dtype=np.int64), list(names), "test")
