"""Robustness cases that run processes: a morph under a memory limit, a torchrun group that loses a process,
a worker and a signal whose handlers raise (see robustness.py)."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Any

from _robustness_common import TIMEOUT, case_environ, outcome, run_python

# -- 3. the morph's pixel budget ------------------------------------------------------------------------------
LIMITED_CLI = """
import resource, sys
import torch  # loaded first: the limit is on what the command asks for beyond torch
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
    made = run_python(env, MODELS, str(channels), str(side))
    if not made.startswith("ok"):
        return made
    argv = ["morph", "--ae", "ae.pt", "--vae", "vae.pt", "--from", "k0.png", "--to", "k1.png", "--frames", "240"]
    argv += ["--scale", "16", output, f"out.{'gif' if output == '--out' else 'png'}", "--device", "cpu"]
    return run_python(env, LIMITED_CLI, *argv, extra={"OMP_NUM_THREADS": "1"})


def morph_gif_budget(env: Any) -> str:
    return _morph(env, 3, 64, "--out")


def morph_strip_budget(env: Any) -> str:
    return _morph(env, 1, 28, "--strip")


# -- 5. a torchrun group that loses a process -----------------------------------------------------------------
def _peer_death(env: Any, victim: int) -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = case_environ(env, {"WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
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
    seen = outcome(survivor.returncode, out, err, env).replace(str(group[victim].pid), "PID")
    lock = "lock file left" if (env.tmp / ".m.pt.lock").exists() else "lock file gone"
    return f"rank {1 - victim}: {seen} [{lock}]"


def rank_1_dies(env: Any) -> str:
    return _peer_death(env, 1)


def rank_0_dies(env: Any) -> str:
    return _peer_death(env, 0)


# -- 9. handlers that raise -----------------------------------------------------------------------------------
QUIET = """
import io, logging, threading
log = io.StringIO()
logging.basicConfig(stream=log, level=logging.ERROR)  # what the app logs, kept to say whether it was logged
threading.excepthook = lambda args: print(f"the worker thread died of {args.exc_type.__name__}")
"""


def decode_worker(env: Any) -> str:
    return run_python(
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
    return run_python(
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
