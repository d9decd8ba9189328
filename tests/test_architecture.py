"""The layers hold: the core never imports Qt, and no module of the package takes part in an import cycle."""

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


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (or a module importing itself), by Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1 or v in graph[v]:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_package_imports_itself_round_a_cycle():
    import grimp

    graph = grimp.build_graph("vae_explorer")  # every import, those under TYPE_CHECKING too
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert len(imports) > 100
    assert _cycles(imports) == []


def test_core_reads_the_version_from_a_leaf_module_not_the_package_root():
    import grimp

    graph = grimp.build_graph("vae_explorer")
    core = [m for m in graph.modules if m.startswith("vae_explorer.core")]
    assert [m for m in core if "vae_explorer" in graph.find_modules_directly_imported_by(m)] == []
    assert graph.find_modules_directly_imported_by("vae_explorer._version") == set()
    assert "vae_explorer._version" in graph.find_modules_directly_imported_by("vae_explorer.core.io.images")
