"""The explorer from Python and Jupyter: open it on live models and arrays, and watch a training loop.

:func:`view` opens the window the command line opens, on modules, checkpoints or model
files and on arrays, tensors, torchvision data sets or a built-in data set, and returns
a :class:`~vae_explorer.api.viewer.Viewer`; :func:`run` blocks until the windows close
(in a script; in Jupyter the windows live beside the notebook); :class:`Watch` updates a
viewer from a training loop. Torch and Qt are imported by the first :func:`view`, not before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .watch import Watch

if TYPE_CHECKING:
    from .viewer import Viewer

__all__ = ["Viewer", "Watch", "run", "view"]


def view(
    ae: Any = None,
    vae: Any = None,
    data: Any = None,
    *,
    labels: Any = None,
    names: Any = None,
    attributes: Any = None,
    view: str = "pca",
    trust: bool = False,
    device: str = "auto",
    theme: str = "auto",
) -> Viewer:
    """Open the explorer on two models and their data, and return a :class:`Viewer` of its window at once.

    ``ae``, ``vae``: a PyTorch module or any object with ``encode`` and ``decode`` (see
    ``vae_explorer.wrap``), a checkpoint or model file, or a loaded checkpoint; one may be
    left out. Objects are the caller's own code and run unasked; a model file runs only
    when trusted (``trust=True``, or a yes in the window). ``data``: images ``(N, H, W)``
    or ``(N, C, H, W)`` as a numpy array or torch tensor, uint8 or float in [0, 1]; a
    torchvision data set; or a built-in name or a folder (the models' own data when left
    out). ``labels``: one per image (an array or a pandas series); ``names``: the classes'
    names; ``attributes``: a data frame with one row per image, or a table file. ``view``:
    ``pca``, ``tsne`` or ``latent``. Bad input raises one :class:`VaeExplorerError` line.
    """
    from .opening import open_viewer

    return open_viewer(ae, vae, data, labels, names, attributes, view, trust, device, theme)


def run() -> None:
    """Run the windows' event loop until they are all closed, as ``napari.run()`` does (at once where it runs)."""
    from .event_loop import run_windows

    run_windows()


def __getattr__(name: str) -> Any:
    if name == "Viewer":  # imported on first use: it brings Qt and torch
        from .viewer import Viewer

        return Viewer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
