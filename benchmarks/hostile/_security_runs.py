"""Security cases of items 1 to 3 (lock files, child processes, trust): each says what happened, in a few words."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from _security_common import EVIL, HELPER, MODEL, NUMPY, TRAIN, VICTIM, _last, _refused, _victim


# -- 1. lock files ----------------------------------------------------------------------------------------
def lock_symlink(env) -> str:
    victim = _victim(env)
    (env.tmp / ".m.pt.lock").symlink_to(victim)
    done = env.run(*TRAIN, timeout=300)
    if victim.read_text() != VICTIM:
        return f"link followed: the target now holds {victim.read_text().strip()!r}"
    return _refused(done, "symbolic link") + "; target kept"


FORM = """
import sys
from vae_explorer.core.training.form import DEFAULTS, parse_form
result = parse_form({**DEFAULTS, "data": "digits", "out": sys.argv[1]}, ["cpu"])
print(result.errors.get("out") or "accepted")
"""


def lock_fifo_form(env) -> str:
    os.mkfifo(env.tmp / ".m.pt.lock")
    done = env.py(FORM, env.tmp / "m.pt", timeout=30)
    return f"the form says: {done.stdout.strip()}" if done.returncode == 0 else _last(done)


MEMORY = """
import resource, sys
from vae_explorer.core.io.lock import lock_holder
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
lock_holder(sys.argv[1])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def lock_gigabyte(env) -> str:
    with open(env.tmp / ".m.pt.lock", "wb") as fh:
        fh.write(b"1")
        fh.truncate(1 << 30)  # sparse
    done = env.py(MEMORY, env.tmp / "m.pt", timeout=120)
    return f"reading it took {done.stdout.strip()} MiB more memory" if done.returncode == 0 else _last(done)


HOLD = """
import sys
from vae_explorer.core.io.lock import exclusive_lock
with exclusive_lock(sys.argv[1]):
    pass
"""


def lock_hard_link(env) -> str:
    victim = _victim(env)
    os.link(victim, env.tmp / ".m.pt.lock")
    done = env.py(HOLD, env.tmp / "m.pt", timeout=60)
    kept = victim.read_text() == VICTIM
    return ("linked file kept" if kept else f"linked file truncated, now {victim.read_text().strip()!r}") + (
        "" if done.returncode == 0 else f"; {_last(done)}"
    )


HOLDER = "import sys\nfrom vae_explorer.core.io.lock import lock_holder\nprint(lock_holder(sys.argv[1]))\n"


def lock_stranger(env) -> str:
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        (env.tmp / ".m.pt.lock").write_text(f"{stranger.pid}\n")
        done = env.py(HOLDER, env.tmp / "m.pt", timeout=60)
    finally:
        stranger.send_signal(signal.SIGKILL)
        stranger.wait()
    held = done.stdout.strip()
    return "name free" if held == "None" else f"name blocked (held by {held}, a sleeping stranger)"


# -- 2. child processes -----------------------------------------------------------------------------------
TAB_CHILD = """
import os, sys
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from vae_explorer.gui.training.process import TrainProcess
app = QCoreApplication([])
os.chdir(sys.argv[1])
child = TrainProcess()
loop = QEventLoop()
child.sigFinished.connect(lambda code, crashed: loop.quit())
QTimer.singleShot(100_000, loop.quit)
child.start(["--version"])
loop.exec()
print(child.proc.exitCode())
"""


def _work(env) -> Path:
    work = env.tmp / "work"
    work.mkdir()
    (work / "numpy.py").write_text(NUMPY)
    return work


def child_train_tab(env) -> str:
    work = _work(env)
    env.py(TAB_CHILD, work, timeout=150)
    return "the folder's numpy.py ran" if (work / "numpy ran").exists() else "numpy.py not imported"


def child_torchrun(env) -> str:
    """The README's first torchrun line, run from a folder holding a numpy.py (one process, --version)."""
    readme = (env.repo / "README.md").read_text()
    line = next(x for x in readme.splitlines() if re.match(r"^(\w+=\S*\s+)*torchrun\s", x))
    words = shlex.split(line)
    at = words.index("torchrun")
    extra = dict(w.split("=", 1) for w in words[:at])
    rest = words[at + 1 :]
    rest[rest.index("--nproc_per_node") + 1] = "1"
    rest[rest.index("vae_explorer") + 1 :] = ["--version"]
    if "--standalone" not in rest:
        rest.insert(0, "--standalone")  # a free port, whatever else runs on this machine
    work = _work(env)
    launcher = "import sys; from torch.distributed.run import main; sys.argv[0] = 'torchrun'; sys.exit(main())"
    done = subprocess.run(  # as the torchrun script starts: its own folder, not the working one, on the path
        [sys.executable, "-P", "-c", launcher, *rest],
        env={**env.environ, **extra},
        cwd=work,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    flag = " ".join(f"{k}={v}" for k, v in extra.items()) or "no environment"
    ran = (work / "numpy ran").exists()
    return f"{flag}: " + ("the folder's numpy.py ran" if ran else f"numpy.py not imported (exit {done.returncode})")


# -- 3. trust covers what runs ------------------------------------------------------------------------------
def _model_folder(env) -> Path:
    folder = env.tmp / "model"
    folder.mkdir()
    (folder / "model.py").write_text(MODEL)
    (folder / "helper.py").write_text(HELPER)
    return folder


TRUSTED = """
import sys
from vae_explorer.core.io.trust import TrustStore
from vae_explorer.core.model.user_model import read_model_file
digest = lambda s: getattr(s, "digest", s.sha256)
store = TrustStore(sys.argv[2])
if sys.argv[3] == "remember":
    s = read_model_file(sys.argv[1]); store.remember(s.path, digest(s))
else:
    s = read_model_file(sys.argv[1]); print(store.trusted(s.path, digest(s)))
"""


def trust_helper_changed(env) -> str:
    folder = _model_folder(env)
    store = env.tmp / "trusted.json"
    env.py(TRUSTED, folder / "model.py", store, "remember", timeout=60)
    (folder / "helper.py").write_text(EVIL)
    done = env.py(TRUSTED, folder / "model.py", store, "check", timeout=60)
    trusted = done.stdout.strip()
    answers = {"True": "still trusted: not asked again", "False": "asked again"}
    return answers.get(trusted, _last(done))


def trust_recipe_changed(env) -> str:
    folder = _model_folder(env)
    saved = env.run("morph", "--vae", folder / "model.py", "--trust", "--from", 0, "--to", 1, "--frames", 3,
                    "--save-recipe", folder / "r.json", timeout=120)  # fmt: skip
    if saved.returncode:
        return f"could not save: {_last(saved)}"
    (folder / "helper.py").write_text(EVIL)
    done = env.run("morph", "--recipe", folder / "r.json", "--trust", "--out", env.tmp / "m.gif", timeout=120)
    if (folder / "changed code ran").exists():
        return "the changed code ran"
    return _refused(done, "--trust-changed") + "; nothing ran"


PLANT = """
import importlib.util, os, py_compile, sys
from pathlib import Path
helper = Path(sys.argv[1]) / "helper.py"
good = helper.read_text()
helper.write_text(good.replace("'tiny'", "'evil'"))
stamp = helper.stat().st_mtime_ns
py_compile.compile(str(helper), cfile=importlib.util.cache_from_source(str(helper)))
helper.write_text(good)
os.utime(helper, ns=(stamp, stamp))
from vae_explorer.core.io.trust import TrustPolicy
try:
    from vae_explorer.core.model.opening import open_model
except ImportError:  # its name before
    from vae_explorer.core.model.loading import open_model
print(open_model(Path(sys.argv[1]) / "model.py", "cpu", TrustPolicy(allow_any=True)).name)
"""


def trust_pycache(env) -> str:
    done = env.py(PLANT, _model_folder(env), timeout=120)
    name = done.stdout.strip()
    return {"evil": "the planted bytecode ran", "tiny": "the trusted source ran"}.get(name, _last(done))
