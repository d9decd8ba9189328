"""``vae-explorer install-desktop``: put the app in the user's desktop menu (or take it out with ``--uninstall``).

Writes the desktop entry to ``$XDG_DATA_HOME/applications`` and the icon, at each
size, to ``$XDG_DATA_HOME/icons/hicolor``, for this user only; the entry starts the
``vae-explorer`` that belongs to the Python running this command.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
from pathlib import Path

from vae_explorer.core.errors import ExportError
from vae_explorer.core.io.resources import APP_ID, ICON_SIZES, desktop_entry, icon_png, icon_svg
from vae_explorer.core.io.safe_write import write_bytes
from vae_explorer.core.io.user_dirs import data_home


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "install-desktop",
        help="add vae-explorer to your desktop's application menu (this user only)",
        description="Write the desktop entry and icons into $XDG_DATA_HOME (default ~/.local/share).",
    )
    p.add_argument("--uninstall", action="store_true", help="remove the desktop entry and icons again")
    p.set_defaults(func=run)


def entry_path(home: Path) -> Path:
    """Where the desktop entry goes under the data folder ``home``."""
    return home / "applications" / f"{APP_ID}.desktop"


def icon_files(home: Path) -> dict[Path, Path]:
    """Where each icon goes under the data folder ``home`` (the hicolor theme) -> the shipped file."""
    icons = home / "icons" / "hicolor"
    files = {icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png": icon_png(n) for n in ICON_SIZES}
    files[icons / "scalable" / "apps" / f"{APP_ID}.svg"] = icon_svg()
    return files


def launcher() -> list[str]:
    """The command that starts this installation's window: its ``vae-explorer`` script, else ``python -P -m``.

    ``-P``: the folder the desktop starts it in (the home folder, often) is not put on the import path.
    """
    script = Path(sysconfig.get_path("scripts")) / "vae-explorer"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-P", "-m", "vae_explorer"]


def exec_quote(arg: str) -> str:
    """One argument of a desktop entry's ``Exec`` key, quoted as the freedesktop.org spec asks."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`%"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return '"' + escaped.replace("%", "%%") + '"'


def entry_text(command: list[str]) -> str:
    """The shipped desktop entry with ``Exec`` and ``TryExec`` set to ``command``."""
    lines = []
    for line in desktop_entry().read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_quote(a) for a in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0]
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(home: Path) -> list[Path]:
    """Write the entry (its ``Exec`` this installation's command) and the icons under ``home``; the paths written."""
    contents = {entry_path(home): entry_text(launcher()).encode()}
    contents.update({target: source.read_bytes() for target, source in icon_files(home).items()})
    for target, data in contents.items():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create {target.parent}: {exc.strerror or exc}") from None
        write_bytes(target, data)
    return list(contents)


def uninstall(home: Path) -> list[Path]:
    """Remove what :func:`install` wrote under ``home`` (never a folder); the paths removed."""
    removed = []
    for target in [entry_path(home), *icon_files(home)]:
        if target.is_file() or target.is_symlink():
            try:
                target.unlink()
            except OSError as exc:
                raise ExportError(f"cannot remove {target}: {exc.strerror or exc}") from None
            removed.append(target)
    return removed


def run(args: argparse.Namespace) -> int:
    home = data_home()
    if args.uninstall:
        removed = uninstall(home)
        print(f"removed {len(removed)} files from {home}" if removed else f"nothing to remove in {home}")
        return 0
    written = install(home)
    print(f"installed {written[0]} (starts {' '.join(launcher())})")
    print(f"and {len(written) - 1} icons under {home / 'icons' / 'hicolor'}")
    return 0
