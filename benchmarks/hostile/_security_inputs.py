"""Security cases of items 4 to 6 (recipes, text, weight files): each says what happened, in a few words."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import torch
from _security_common import MODEL, _last, _refused
from PIL import Image


# -- 4. recipes are confined ----------------------------------------------------------------------------------
def _shared(env) -> tuple[Path, Path]:
    """``private/`` (photos, a model, a script) beside ``shared/`` (a checkpoint): the user's files and a download."""
    private, shared = env.tmp / "private", env.tmp / "shared"
    for k in range(2):
        (private / "photos" / f"c{k}").mkdir(parents=True)
        for j in range(10):
            Image.new("L", (8, 8), 50 + 100 * k + j).save(private / "photos" / f"c{k}" / f"me-{j}.png")
    shared.mkdir()
    ckpt = (env.repo / "checkpoints" / "digits-vae.pt").read_bytes()
    (shared / "m.pt").write_bytes(ckpt)
    (private / "model.pt").write_bytes(ckpt)
    (private / "tool.py").write_text("import pathlib\npathlib.Path(__file__).with_name('tool ran').write_text('')\n")
    return private, shared


def _replay(env, shared: Path, *flags: str, **changes) -> subprocess.CompletedProcess:
    blob = {"format": "vae-explorer-morph", "format_version": 1, "checkpoints": ["m.pt"], "keys": [0, 1]}
    blob |= {"frames": 3, "method": "lerp", "data": "digits", **changes}
    (shared / "r.json").write_text(json.dumps(blob))
    return env.run("morph", "--recipe", shared / "r.json", *flags, "--out", env.tmp / "m.gif", timeout=120)


def _gif(env, done: subprocess.CompletedProcess, what: str) -> str:
    if (env.tmp / "m.gif").exists():
        return f"{what} read into the GIF"
    if "unknown data" in done.stderr:
        return "read from the recipe's folder: no such folder there (exit 1)"
    return _refused(done, "outside the recipe's folder")


def recipe_data(env) -> str:
    private, shared = _shared(env)
    return _gif(env, _replay(env, shared, data=str(private / "photos")), "private photos")


def recipe_data_relative(env) -> str:
    private, shared = _shared(env)
    return _gif(env, _replay(env, shared, data="private/photos"), "private photos (relative to the working folder)")


def recipe_checkpoint(env) -> str:
    private, shared = _shared(env)
    return _gif(env, _replay(env, shared, checkpoints=["../private/model.pt"]), "a checkpoint from ../private")


def recipe_model_file(env) -> str:
    private, shared = _shared(env)
    done = _replay(env, shared, "--trust", checkpoints=[str(private / "tool.py")])
    if (private / "tool ran").exists():
        return "a script outside the folder ran (with --trust)"
    return _refused(done, "outside the recipe's folder")


def _metadata_names(shared: Path, folder: Path) -> None:
    blob = torch.load(shared / "m.pt", weights_only=True)
    blob["metadata"]["data"] = str(folder)
    torch.save(blob, shared / "m.pt")


def recipe_metadata_data(env) -> str:
    private, shared = _shared(env)
    _metadata_names(shared, private / "photos")
    return _gif(env, _replay(env, shared, data=None), "photos named by the checkpoint's metadata")


def embed_metadata_folder(env) -> str:
    private, shared = _shared(env)
    _metadata_names(shared, private / "photos")
    done = env.run("embed", shared / "m.pt", "--tsv", env.tmp / "tsv", timeout=120)
    said = "reading" in done.stderr and "photos" in done.stderr
    return ("says which folder it reads" if said else "reads it without a word") + f" (exit {done.returncode})"


# -- 5. text shown as text --------------------------------------------------------------------------------------
def text_terminal(env) -> str:
    blob = torch.load(env.repo / "checkpoints" / "digits-vae.pt", weights_only=True)
    blob["metadata"]["created"] = "\x1b]0;owned\x07\x1b[2J\u202e"
    torch.save(blob, env.tmp / "m.pt")
    out = env.run("info", env.tmp / "m.pt", timeout=60).stdout
    raw = [name for name, c in (("ESC", "\x1b"), ("BEL", "\x07"), ("RLO", "\u202e")) if c in out]
    return f"{', '.join(raw)} reach the terminal" if raw else "shown as escapes (\\x1b, \\x07, \\u202e)"


MARKUP = """
import sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
name = sys.argv[1]
if sys.argv[2] == "bar":
    try:
        from vae_explorer.gui.shell.status import MessageBar
    except ImportError:  # before the shell had a package of its own
        from vae_explorer.gui.status import MessageBar
    bar = MessageBar()
    bar.show_message(f"{name}: no such checkpoint file")
    labels = [bar.label]
else:
    try:
        from vae_explorer.gui.shell.trust import TrustDialog
    except ImportError:
        from vae_explorer.gui.trust import TrustDialog
    from vae_explorer.core.model.user_model import read_model_file
    dialog = TrustDialog([read_model_file(Path(name) / "model.py")])
    labels = dialog.findChildren(QLabel)
plain = Qt.TextFormat.PlainText
rich = [w for w in labels if "<u>" in w.text() and w.textFormat() != plain and GuiQt.mightBeRichText(w.text())]
print("markup" if rich else "text")
"""


def text_message_bar(env) -> str:
    done = env.py(MARKUP, env.tmp / "<u>m & <img src=x>.pt", "bar", timeout=60)
    return {"markup": "a file's name is read as markup", "text": "plain text"}.get(done.stdout.strip(), _last(done))


def text_trust_question(env) -> str:
    folder = env.tmp / "<u>models & <img src=x>"
    folder.mkdir()
    (folder / "model.py").write_text(MODEL)
    done = env.py(MARKUP, folder, "dialog", timeout=60)
    return {"markup": "the folder's name is read as markup", "text": "plain text"}.get(done.stdout.strip(), _last(done))


def text_spreadsheet(env) -> str:
    folder = env.tmp / "data"
    for k, name in enumerate(['=HYPERLINK("x")', "@SUM(A1)"]):  # class folders: the label column
        (folder / name).mkdir(parents=True)
        Image.new("L", (8, 8), 80 * k).save(folder / name / "a.png")
    ckpt = env.repo / "checkpoints" / "digits-vae.pt"
    done = env.run("embed", ckpt, "--data", folder, "--split", "all", "--tsv", env.tmp / "tsv", timeout=120)
    if done.returncode:
        return _last(done)
    cells = [line.split("\t")[1] for line in (env.tmp / "tsv" / "metadata.tsv").read_text().splitlines()[1:]]
    return f"label cells begin with {', '.join(sorted({c[:1] for c in cells}))}"


# -- 6. one guarded reader for every weight file ------------------------------------------------------------------
def predictor_fifo(env) -> str:
    os.mkfifo(env.tmp / "p.pt")
    ckpt = env.repo / "checkpoints" / "faces-vae.pt"
    done = env.run("evaluate", ckpt, "--vector", "column:Smiling", "--predictor", env.tmp / "p.pt", timeout=90)
    return _refused(done, "FIFO")


PREDICTOR = """
import resource, sys
from vae_explorer.core.evaluation.predictor import load_predictor
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_predictor(sys.argv[1])
    print("loaded")
except Exception as exc:
    print(str(exc).split(": ", 1)[-1][:64])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def _predictor(env, path: Path) -> str:
    done = env.py(PREDICTOR, path, timeout=120)
    lines = done.stdout.strip().splitlines()
    return f"{lines[0]} (+{lines[1]} MiB)" if len(lines) == 2 else _last(done)


def predictor_huge(env) -> str:
    with open(env.tmp / "p.pt", "wb") as fh:
        fh.truncate((1 << 30) + 1)  # sparse: just over the 1 GiB a weight file may hold
    return _predictor(env, env.tmp / "p.pt")


def predictor_bomb(env) -> str:
    data = bytearray((env.repo / "checkpoints" / "faces-factors.pt").read_bytes())
    with zipfile.ZipFile(env.repo / "checkpoints" / "faces-factors.pt") as archive:
        info = max(archive.infolist(), key=lambda i: i.file_size)
    local = info.header_offset + 22
    data[local : local + 4] = (1 << 30).to_bytes(4, "little")  # declares a gigabyte it does not hold
    central = data.find(info.filename.encode(), data.find(b"PK\x01\x02")) - 46
    data[central + 24 : central + 28] = (1 << 30).to_bytes(4, "little")
    (env.tmp / "p.pt").write_bytes(bytes(data))
    return _predictor(env, env.tmp / "p.pt")


def predictor_nan(env) -> str:
    blob = torch.load(env.repo / "checkpoints" / "faces-factors.pt", weights_only=True)
    first = next(iter(blob["state_dict"]))
    blob["state_dict"][first] = torch.full_like(blob["state_dict"][first], float("nan"))
    torch.save(blob, env.tmp / "p.pt")
    return _predictor(env, env.tmp / "p.pt")
