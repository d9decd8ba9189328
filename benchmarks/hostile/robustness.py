"""The robustness cases of the hostile-input table: each runs on one checkout and says what happened, in a line.

``CASES`` lists ``(item, case, fn)``; ``fn(env)`` runs the case with ``env.python`` (the argv that starts that
checkout's Python), ``env.environ``, ``env.repo`` (its root) and ``env.tmp`` (a fresh empty folder, the only
place a case writes), and returns a short outcome. Every case runs in child processes with a time limit, and
reads only the checkout's public entry points, so the same case runs on an old checkout and a new one.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import textwrap
import time
from typing import Any

TIMEOUT = 180  # seconds a case may take; torchrun's two processes start in about 20 s on a busy machine


def _short(text: str, env: Any) -> str:
    """One line, the case's temporary folder shown as TMP, at most 150 characters."""
    line = re.sub(r"\s+", " ", text.replace(str(env.tmp), "TMP")).strip()
    line = re.sub(r"vae-explorer( [a-z]+)?: error: ", "", line)
    return line if len(line) <= 150 else line[:147] + "..."


def _outcome(rc: int, out: str, err: str, env: Any) -> str:
    """What a user saw: a traceback's last line, a refusal (and how many lines it took), or what was printed."""
    errs, outs = err.strip().splitlines(), out.strip().splitlines()
    if "Traceback" in err:
        return _short(f"traceback: {errs[-1] if errs else ''}", env)
    if rc < 0:
        return f"killed by signal {signal.Signals(-rc).name}"
    if rc != 0:
        lines = f" ({len(errs)} lines)" if len(errs) > 1 else ""
        return _short(f"refused{lines}: {errs[-1] if errs else f'exit status {rc}'}", env)
    return _short(f"ok: {outs[-1] if outs else '(nothing printed)'}", env)


def _environ(env: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The checkout's environment, with the user's cache, settings and data folders inside the case's folder."""
    private = {f"XDG_{kind}_HOME": str(env.tmp / ".xdg" / kind.lower()) for kind in ("CACHE", "CONFIG", "DATA")}
    return {**env.environ, **private, "QT_QPA_PLATFORM": "offscreen", **(extra or {})}


def _run(env: Any, argv: list[str], timeout: int = TIMEOUT, extra: dict[str, str] | None = None) -> str:
    try:
        p = subprocess.run(
            argv,
            cwd=env.tmp,
            env=_environ(env, extra),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return f"still running after {timeout} s (stopped)"
    return _outcome(p.returncode, p.stdout, p.stderr, env)


def _python(env: Any, code: str, *args: str, **kw: Any) -> str:
    return _run(env, [*env.python, "-c", textwrap.dedent(code), *args], **kw)


def _cli(env: Any, *args: Any, wrote: str = "", **kw: Any) -> str:
    """The command's outcome; with ``wrote``, whether it wrote that file."""
    seen = _run(env, [*env.python, "-m", "vae_explorer", *map(str, args)], **kw)
    return seen + (f" [{wrote} {'written' if (env.tmp / wrote).exists() else 'not written'}]" if wrote else "")


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
    made = _python(env, code)
    return made if not made.startswith("ok") else _python(env, READ_FOLDER, "data")


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
    return _python(
        env,
        """
import json, time
from PySide6.QtCore import QSettings
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


# -- 3. the morph's pixel budget ------------------------------------------------------------------------------
LIMITED_CLI = """
import resource, sys
from vae_explorer.cli import main
with open('/proc/self/statm') as fh:
    used = int(fh.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (used + 768 * 2**20, resource.RLIM_INFINITY))
sys.exit(main(sys.argv[1:]))
"""
MODELS = """
import sys
from PIL import Image
from vae_explorer.core.model.autoencoder import build_model, default_config
from vae_explorer.core.model.checkpoint import save_checkpoint
c, side = int(sys.argv[1]), int(sys.argv[2])
for kind in ("ae", "vae"):
    save_checkpoint(f"{kind}.pt", build_model(default_config(kind, (c, side, side), 4)), {"data": "digits"})
for k in range(2):
    Image.new("RGB" if c == 3 else "L", (side, side), 60 * k + 30).save(f"k{k}.png")
print("made")
"""


def _morph(env: Any, channels: int, side: int, output: str) -> str:
    made = _python(env, MODELS, str(channels), str(side))
    if not made.startswith("ok"):
        return made
    argv = ["morph", "--ae", "ae.pt", "--vae", "vae.pt", "--from", "k0.png", "--to", "k1.png", "--frames", "240"]
    argv += ["--scale", "16", output, f"out.{'gif' if output == '--out' else 'png'}", "--device", "cpu"]
    return _python(env, LIMITED_CLI, *argv, extra={"OMP_NUM_THREADS": "1"})


def morph_gif_budget(env: Any) -> str:
    return _morph(env, 3, 64, "--out")


def morph_strip_budget(env: Any) -> str:
    return _morph(env, 1, 28, "--strip")


# -- 4. names that are not UTF-8 ------------------------------------------------------------------------------
def non_utf8_names(env: Any) -> str:
    made = _python(
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
    return _cli(env, "embed", ckpt, "--data", "shots", "--tsv", "proj", extra={"PYTHONIOENCODING": "utf-8:strict"})


# -- 5. a torchrun group that loses a process -----------------------------------------------------------------
def _peer_death(env: Any, victim: int) -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = _environ(env, {"WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
    base["OMP_NUM_THREADS"] = "1"
    argv = [*env.python, "-m", "vae_explorer", "train", "--data", "digits", "--latent-dim", "2", "--batch-size"]
    argv += ["256", "--epochs", "100000", "--device", "cpu", "--progress", "none", "--out", "m.pt"]
    group = [
        subprocess.Popen(
            argv,
            cwd=env.tmp,
            env={**base, "RANK": str(r), "LOCAL_RANK": str(r)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
        )
        for r in (0, 1)
    ]
    try:
        deadline = time.monotonic() + TIMEOUT
        while not (env.tmp / "m.pt").exists() and time.monotonic() < deadline:
            if any(p.poll() is not None for p in group):
                return "a process ended before the first epoch was saved"
            time.sleep(0.2)
        group[victim].kill()
        group[victim].wait()
        survivor = group[1 - victim]
        try:
            out, err = survivor.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            return "the rank left still runs 60 s after its peer died"
    finally:
        for p in group:
            if p.poll() is None:
                p.kill()
                p.communicate()
    seen = _outcome(survivor.returncode, out, err, env).replace(str(group[victim].pid), "PID")
    lock = "lock file left" if (env.tmp / ".m.pt.lock").exists() else "lock file gone"
    return f"rank {1 - victim}: {seen} [{lock}]"


def rank_1_dies(env: Any) -> str:
    return _peer_death(env, 1)


def rank_0_dies(env: Any) -> str:
    return _peer_death(env, 0)


# -- 6. a recipe's values -------------------------------------------------------------------------------------
def _recipe(env: Any, **values: Any) -> str:
    import json

    shutil.copy(env.repo / "checkpoints" / "digits-vae.pt", env.tmp / "m.pt")
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": ["m.pt"], "keys": [0, 1]}
    blob |= {"frames": 4, "method": "lerp", "data": "digits", **values}
    (env.tmp / "r.json").write_text(json.dumps(blob))
    return _cli(env, "morph", "--recipe", "r.json", "--out", "m.gif", wrote="m.gif")


def recipe_test_fraction(env: Any) -> str:
    return _recipe(env, test_fraction=0.99)


def recipe_nan_fps(env: Any) -> str:
    return _recipe(env, gif={"fps": float("nan")})


def recipe_frames(env: Any) -> str:
    return _recipe(env, frames=1_000_000)


# -- 7. a data folder without IDX files -----------------------------------------------------------------------
def empty_data_dir(env: Any) -> str:
    made = _python(
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
    return _cli(env, *argv, extra=extra, wrote="c.npz")


# -- 8. numbers beyond 32-bit floats, and a numbered CPU ------------------------------------------------------
def traverse_alpha(env: Any) -> str:
    ckpt = env.repo / "checkpoints" / "digits-vae.pt"
    argv = ["traverse", "--vae", ckpt, "--data", "digits", "--attribute", "class:1-7", "--samples", "0"]
    return _cli(env, *argv, "--alphas", "-3e38,3e38", "--out", "t.png", wrote="t.png")


def evaluate_alpha(env: Any) -> str:
    return _cli(env, "evaluate", env.repo / "checkpoints" / "faces-vae.pt", "--alpha", "1e39")


def numbered_cpu(env: Any) -> str:
    return _cli(env, "embed", env.repo / "checkpoints" / "digits-vae.pt", "--device", "cpu:0", "--out", "c.npz")


# -- 9. handlers that raise -----------------------------------------------------------------------------------
QUIET = """
import io, logging, threading
log = io.StringIO()
logging.basicConfig(stream=log, level=logging.ERROR)  # what the app logs, kept to say whether it was logged
threading.excepthook = lambda args: print(f"the worker thread died of {args.exc_type.__name__}")
"""


def decode_worker(env: Any) -> str:
    return _python(
        env,
        QUIET
        + """
from vae_explorer.core.latest import LatestWins
got, second = [], threading.Event()
def deliver(key, ticket, result):
    if result == 1:
        raise ValueError("the handler broke")
    got.append(result)
    second.set()
queue = LatestWins("case", deliver)
queue.submit("left", lambda: 1)
queue.wait_idle(5)
queue.submit("left", lambda: 2)
arrived = second.wait(5)
logged = "the failure logged with its traceback" if "Traceback" in log.getvalue() else "nothing logged"
print(f"{'the next decode arrived' if arrived else 'no decode after the first'}; {logged}")
""",
    )


def signal_callbacks(env: Any) -> str:
    return _python(
        env,
        QUIET
        + """
from vae_explorer.core.events import Signal
heard, signal = [], Signal("codes_changed")
signal.connect(lambda: heard.append("map"))
signal.connect(lambda: 1 / 0)
signal.connect(lambda: heard.append("morph"))
try:
    signal.emit()
    raised = "emit returned"
except ZeroDivisionError:
    raised = "emit raised ZeroDivisionError"
logged = "logged with its traceback" if "Traceback" in log.getvalue() else "not logged"
print(f"listeners that heard the change: {', '.join(heard)}; {raised}, {logged}")
""",
    )


CASES = [
    ("1 images", "16-bit PNG, every pixel 1000 of 65535", sixteen_bit),
    ("1 images", "grey GIF and animated grey GIF", grey_palette_and_animation),
    ("1 images", "EXIF orientation 6, mark top left as stored", exif_orientation),
    ("1 images", "macOS ._ files in class folders", hidden_files),
    ("1 images", "loose image and labels.csv beside class folders", loose_files),
    ("2 settings", "settings file holding 100,000 recent pairs", recent_pairs),
    ("3 budgets", "morph GIF 240 frames x16 of two 64x64 colour models, 768 MiB allowed", morph_gif_budget),
    ("3 budgets", "morph strip 240 frames x16 of two 28x28 models, 768 MiB allowed", morph_strip_budget),
    ("4 names", "embed --tsv of files named caf\\xe9-N.png (strict UTF-8 stdout)", non_utf8_names),
    ("5 torchrun", "2 CPU processes, rank 1 killed after epoch 1", rank_1_dies),
    ("5 torchrun", "2 CPU processes, rank 0 killed after epoch 1", rank_0_dies),
    ("6 recipes", "recipe with test_fraction 0.99", recipe_test_fraction),
    ("6 recipes", "recipe with gif.fps NaN", recipe_nan_fps),
    ("6 recipes", "recipe with 1,000,000 frames", recipe_frames),
    ("7 data-dir", "embed --data-dir EMPTY, other Fashion-MNIST in $VAE_EXPLORER_DATA", empty_data_dir),
    ("8 numbers", "traverse --alphas -3e38,3e38", traverse_alpha),
    ("8 numbers", "evaluate --alpha 1e39", evaluate_alpha),
    ("8 numbers", "embed --device cpu:0", numbered_cpu),
    ("9 handlers", "decode worker whose result handler raises once", decode_worker),
    ("9 handlers", "session signal whose second listener raises", signal_callbacks),
]
