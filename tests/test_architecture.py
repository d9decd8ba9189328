"""The core never imports Qt: everything a panel shows can be computed without a screen."""

import subprocess
import sys
from pathlib import Path

CHECK = """
import importlib, pkgutil, sys
import vae_explorer.core, vae_explorer.cli
names = [m.name for pkg in (vae_explorer.core, vae_explorer.cli)
         for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(len(names), sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6")))
"""


def test_core_and_cli_import_no_qt():
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, cwd=root).stdout
    count, qt = out.split(" ", 1)
    assert int(count) > 20  # every core and command module was imported
    assert qt.strip() == "[]"
