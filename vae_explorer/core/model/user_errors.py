"""An exception inside a user's model code, as one line that names the place in their file.

A traceback is for the Details; the line says what was being done, where in the
user's code it failed (``file:line``) and the exception's own first line.
"""

from __future__ import annotations

import sys
import sysconfig
import traceback
from pathlib import Path

from vae_explorer.core.errors import ModelFileError

PACKAGE = Path(__file__).resolve().parents[2]  # vae_explorer/
MAX_MESSAGE = 200


def _libraries() -> list[Path]:
    """Folders of code that is not the user's: the standard library, installed packages, vae-explorer.

    Installed packages are this environment's and any other site folder on the path (a
    virtual environment with the system's packages, or one that adds another's by a
    ``.pth`` file).
    """
    paths = sysconfig.get_paths()
    found = {Path(paths[key]).resolve() for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    found |= {Path(entry).resolve() for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages")}
    return [*found, PACKAGE]


def _is_library(filename: str, libraries: list[Path]) -> bool:
    if filename.startswith("<"):  # <frozen ...>, <string>
        return True
    path = Path(filename).resolve()
    return any(path.is_relative_to(lib) for lib in libraries)


def user_frame(exc: BaseException, model_file: Path) -> traceback.FrameSummary | None:
    """The frame to show for ``exc``: the last one in the user's code (the model file, or a module it imports)."""
    frames = traceback.extract_tb(exc.__traceback__)
    libraries = _libraries()
    users = [f for f in frames if f.filename == str(model_file) or not _is_library(f.filename, libraries)]
    return users[-1] if users else (frames[-1] if frames else None)


def user_error(model_file: Path, doing: str, exc: BaseException) -> ModelFileError:
    """``model.py: decode failed at model.py:23: RuntimeError: mat1 and mat2 shapes cannot be multiplied ...``."""
    frame = user_frame(exc, model_file)
    where = f" at {frame.filename}:{frame.lineno}" if frame is not None else ""
    text = (str(exc).strip().splitlines() or [""])[0]
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "..."
    return ModelFileError(f"{model_file}: {doing} failed{where}: {exc.__class__.__name__}{': ' if text else ''}{text}")
