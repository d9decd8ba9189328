"""Hostile cases run on two checkouts, old and new: one Markdown row per case, ``| item | case | before | after |``.

    .venv/bin/python benchmarks/hostile_table.py [--old 207f163] [--new REV] [--only TEXT]

``--old`` and ``--new`` are revisions (checked out with ``git worktree add`` into a
temporary folder, removed afterwards) or, for ``--new``, the default: this working
tree as it is, uncommitted changes included. Each side runs as
``PYTHONPATH=<checkout> sys.executable ...``: the current interpreter has every
dependency, and ``PYTHONPATH`` wins over the editable install.

The cases live in the modules of ``benchmarks/hostile/`` (every ``*.py`` there not
starting with ``_`` is imported; ``_*.py`` files beside them hold their helpers,
importable by name). The protocol of such a module:

- it defines ``CASES``, a list of ``(item, case, fn)``: ``item`` the issue's item
  (``"1 lock files"``), ``case`` a few words, ``fn(env) -> str`` a short one-line
  outcome (``"refused in one line"``, ``"target overwritten"``);
- ``env.python`` is the argv prefix that runs Python with the checkout's code
  (``[sys.executable]``), ``env.environ`` the environment to run it in
  (``PYTHONPATH``, offscreen Qt, XDG folders inside ``env.tmp``), ``env.repo`` the
  checkout's root (its README, its ``checkpoints/``), ``env.tmp`` a fresh empty
  folder for this case and this side, removed afterwards;
- ``env.run(*args, timeout=, cwd=)`` runs ``python -m vae_explorer ARGS`` and
  ``env.py(code, *args, timeout=, cwd=)`` runs ``python -c CODE ARGS``, both in
  ``env.tmp`` by default, returning a ``subprocess.CompletedProcess`` (text);
- a case never writes outside ``env.tmp`` (a link it plants points at a file in
  ``env.tmp``), and never waits without a timeout: a ``TimeoutExpired`` it lets
  through reads ``hangs (killed after N s)``, any other exception ``error: ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = Path(__file__).resolve().parent / "hostile"
OLD = "207f163"  # main before this round


Completed = subprocess.CompletedProcess


@dataclass
class Env:
    """What a case gets: how to run Python with one checkout's code, that checkout, and a folder of its own."""

    python: list[str]
    repo: Path
    tmp: Path
    environ: dict[str, str] = field(default_factory=dict)

    def _run(self, argv: list[str], timeout: float, cwd: Path | None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.python, *argv],
            env=self.environ,
            cwd=cwd or self.tmp,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )

    def run(self, *args: object, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """``python -m vae_explorer ARGS`` with this checkout's code."""
        return self._run(["-m", "vae_explorer", *map(str, args)], timeout, cwd)

    def py(self, code: str, *args: object, timeout: float = 120, cwd: Path | None = None) -> Completed:
        """``python -c CODE ARGS`` with this checkout's code."""
        return self._run(["-c", code, *map(str, args)], timeout, cwd)


Case = tuple[str, str, Callable[["Env"], str]]


def load_cases(only: str = "") -> list[Case]:
    """Every module's ``CASES``, in file-name order; ``only``: the cases whose item or name holds that text."""
    cases: list[Case] = []
    if str(CASES_DIR) not in sys.path:
        sys.path.insert(0, str(CASES_DIR))  # for the helpers a case module keeps beside it (``_*.py``)
    for path in sorted(CASES_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"hostile_cases_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        cases += [c for c in module.CASES if only.lower() in f"{c[0]} {c[1]}".lower()]
    return cases


@contextlib.contextmanager
def checkout(rev: str | None, scratch: Path) -> Iterator[Path]:
    """This working tree (``rev`` None), or ``rev`` checked out into ``scratch`` for the block."""
    if rev is None:
        yield ROOT
        return
    folder = scratch / f"checkout-{rev}"
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(folder), rev], check=True)
    try:
        yield folder
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(folder)], check=False, capture_output=True)
        subprocess.run([*git, "worktree", "prune"], check=False, capture_output=True)


def environment(repo: Path, tmp: Path) -> dict[str, str]:
    home = tmp / ".home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XDG_"))}
    env |= {"PYTHONPATH": str(repo), "QT_QPA_PLATFORM": "offscreen", "OMP_NUM_THREADS": "1"}
    env |= {f"XDG_{k}_HOME": str(home / k.lower()) for k in ("CACHE", "CONFIG", "DATA")}
    shared = ROOT.parent / "shared" / "data" / "fashion-mnist"
    if "VAE_EXPLORER_DATA" not in env and shared.is_dir():
        env["VAE_EXPLORER_DATA"] = str(shared)
    return env


def outcome(fn: Callable[[Env], str], repo: Path) -> str:
    """One side of a case: its one-line outcome, never an exception or a hang."""
    tmp = Path(tempfile.mkdtemp(prefix="vx-hostile-"))
    try:
        text = fn(Env([sys.executable], repo, tmp, environment(repo, tmp)))
    except subprocess.TimeoutExpired as exc:
        text = f"hangs (killed after {exc.timeout:g} s)"
    except Exception as exc:  # noqa: BLE001 - a case that broke is a row that says so
        text = f"error: {exc.__class__.__name__}: {exc}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = str(text).replace(f"{tmp}{os.sep}", "").replace(str(tmp), ".")  # the case's own folder goes without saying
    return " ".join(text.split()).replace("|", "\\|")[:160]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old", default=OLD, help=f"the revision before (default {OLD}, main before this round)")
    p.add_argument("--new", default=None, help="the revision after (default: this working tree as it is)")
    p.add_argument("--only", default="", help="only the cases whose item or name holds this text")
    args = p.parse_args()
    cases = load_cases(args.only)
    with (
        tempfile.TemporaryDirectory(prefix="vx-hostile-checkouts-") as scratch,
        checkout(args.old, Path(scratch)) as old,
        checkout(args.new, Path(scratch)) as new,
    ):
        print(f"before: {args.old}; after: {args.new or 'the working tree'}; {len(cases)} cases\n")
        print("| item | case | before | after |")
        print("|---|---|---|---|")
        for item, name, fn in cases:
            print(f"| {item} | {name} | {outcome(fn, old)} | {outcome(fn, new)} |", flush=True)


if __name__ == "__main__":
    main()
