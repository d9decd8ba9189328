"""The example notebook, run headless on a real Jupyter kernel: it trains, watches and saves two pictures."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient
from PIL import Image

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "python-and-jupyter.ipynb"


def test_example_notebook_opens_a_viewer_and_its_maps_move(tmp_path, monkeypatch):
    for name in ("JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        folder = tmp_path / "jupyter" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))  # the kernel writes nothing outside the test's folder
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    work = tmp_path / "work"
    work.mkdir()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    client.execute()
    before = np.asarray(Image.open(work / "before.png").convert("RGB"), dtype=np.int16)
    after = np.asarray(Image.open(work / "after.png").convert("RGB"), dtype=np.int16)
    assert before.shape == after.shape and before.shape[0] > 100  # the maps, the same size both times
    assert (np.abs(before - after).max(axis=2) > 40).mean() > 0.01  # the VAE's map moved as it trained
    code = [c for c in notebook.cells if c.cell_type == "code"]
    shown = [o.get("data", {}).get("text/plain", "") for c in code for o in c.outputs]
    assert shown[0].startswith("<Viewer: ae (Tiny) and vae (Tiny) on array (all, 1797 images 8x8)")
    assert shown[1:] == ["3", "((1797, 2), (1797, 2))"]  # three updates in 30 steps; the codes and their map
