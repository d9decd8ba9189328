"""A wheel works as well as a checkout: built and installed offline into a new environment, it finds its icon."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import sys
from pathlib import Path

import vae_explorer
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from vae_explorer.core.io.resources import ICON_SIZES, desktop_entry, icon_png, icon_svg, resource
from vae_explorer.gui.shell.desktop import app_icon

assert Path(vae_explorer.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), vae_explorer.__file__
app = QApplication([])
assert not app_icon().isNull() and not app_icon().pixmap(16, 16).isNull()
assert all(QImage(str(icon_png(n))).size().width() == n for n in ICON_SIZES)
assert QSvgRenderer(str(icon_svg())).isValid()
assert desktop_entry().read_text().startswith("[Desktop Entry]") and resource("style.qss").is_file()
from vae_explorer.core.lessons import LESSONS
assert len(LESSONS) == 7  # the lessons' view files ship in the wheel
print("icon ok from", Path(vae_explorer.__file__).parent)
"""


def run(*argv, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.slow
def test_the_wheel_installs_offline_and_loads_its_icon_and_desktop_entry(tmp_path):
    src = tmp_path / "src"  # a copy, so that building leaves no build/ or egg-info in the clone
    shutil.copytree(
        ROOT / "vae_explorer", src / "vae_explorer", symlinks=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "resources", src / "resources")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, src)
    (wheel,) = dist.glob("vae_explorer-*.whl")

    env = tmp_path / "env"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel)
    # the dependencies (Qt, torch, ...) come from this environment, after the wheel's own package
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip())
    paths = dict.fromkeys(sysconfig.get_path(k) for k in ("purelib", "platlib"))
    (site / "dependencies.pth").write_text("\n".join(paths) + "\n")

    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "share"))
    out = run(python, "-c", CHECK, cwd=tmp_path, env=environ).stdout
    assert f"icon ok from {site.resolve()}" in out

    script = env / "bin" / "vae-explorer"
    run(script, "install-desktop", cwd=tmp_path, env=environ)
    entry = (tmp_path / "share" / "applications" / "vae-explorer.desktop").read_text()
    assert f"\nExec={script}\n" in entry  # the menu starts the installed app
    assert (tmp_path / "share" / "icons" / "hicolor" / "16x16" / "apps" / "vae-explorer.png").is_file()
