"""Helpers of the robustness cases (robustness.py): run a checkout's Python or command line in a case's folder,
with a time limit, and say in one line what a user saw."""

from __future__ import annotations

import re
import signal
import subprocess
import textwrap
from typing import Any

TIMEOUT = 180  # seconds a case may take; torchrun's two processes start in about 20 s on a busy machine


def short(text: str, env: Any) -> str:
    """One line, the case's temporary folder shown as TMP, at most 150 characters."""
    line = re.sub(r"\s+", " ", text.replace(str(env.tmp), "TMP")).strip()
    line = re.sub(r"vae-explorer( [a-z]+)?: error: ", "", line)
    return line if len(line) <= 150 else line[:147] + "..."


def outcome(rc: int, out: str, err: str, env: Any) -> str:
    """What a user saw: a traceback's last line, a refusal (and how many lines it took), or what was printed."""
    errs, outs = err.strip().splitlines(), out.strip().splitlines()
    if "Traceback" in err:
        return short(f"traceback: {errs[-1] if errs else ''}", env)
    if rc < 0:
        return f"killed by signal {signal.Signals(-rc).name}"
    if rc != 0:
        lines = f" ({len(errs)} lines)" if len(errs) > 1 else ""
        return short(f"refused{lines}: {errs[-1] if errs else f'exit status {rc}'}", env)
    return short(f"ok: {outs[-1] if outs else '(nothing printed)'}", env)


def case_environ(env: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The checkout's environment, with the user's cache, settings and data folders inside the case's folder."""
    private = {f"XDG_{kind}_HOME": str(env.tmp / ".xdg" / kind.lower()) for kind in ("CACHE", "CONFIG", "DATA")}
    return {**env.environ, **private, "QT_QPA_PLATFORM": "offscreen", **(extra or {})}


def run(env: Any, argv: list[str], timeout: int = TIMEOUT, extra: dict[str, str] | None = None) -> str:
    try:
        p = subprocess.run(
            argv,
            cwd=env.tmp,
            env=case_environ(env, extra),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return f"still running after {timeout} s (stopped)"
    return outcome(p.returncode, p.stdout, p.stderr, env)


def run_python(env: Any, code: str, *args: str, **kw: Any) -> str:
    return run(env, [*env.python, "-c", textwrap.dedent(code), *args], **kw)


def cli(env: Any, *args: Any, wrote: str = "", **kw: Any) -> str:
    """The command's outcome; with ``wrote``, whether it wrote that file."""
    seen = run(env, [*env.python, "-m", "vae_explorer", *map(str, args)], **kw)
    return seen + (f" [{wrote} {'written' if (env.tmp / wrote).exists() else 'not written'}]" if wrote else "")
