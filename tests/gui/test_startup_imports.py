"""Opening the explorer never loads umap-learn, numba or pynndescent: they load on the worker that makes a UMAP map."""

import subprocess
import sys


def test_the_explorer_starts_without_umap_or_numba():
    code = (
        "import sys; import vae_explorer.gui.shell.main_window, vae_explorer.gui.shell.app, vae_explorer.cli.explorer; "
        "print(sorted(m for m in ('umap', 'numba', 'pynndescent') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
