"""vae-explorer: look inside the latent spaces of autoencoders.

From Python and Jupyter: ``vae_explorer.view(ae, vae, data)`` opens the explorer on live
models and arrays and returns a viewer, ``vae_explorer.run()`` runs its window until it
closes, and ``vae_explorer.Watch(viewer, every=N)`` updates it from a training loop.
``vae_explorer.wrap`` is for a model file (see the README's "Your own model"): it adapts a
PyTorch module to what the explorer calls. ``import vae_explorer`` stays light: torch and
Qt are imported by the first ``view``.
"""

from __future__ import annotations

import importlib
from typing import Any

from vae_explorer._version import __version__

__all__ = ["VaeExplorerError", "Viewer", "Watch", "__version__", "run", "view", "wrap"]
_API = ("view", "run", "Viewer", "Watch")


def __getattr__(name: str) -> Any:
    # Imported on first use: `import vae_explorer` stays light (no torch, no Qt) for the command line and notebooks.
    if name == "wrap":
        from vae_explorer.core.model.wrap import wrap

        return wrap
    if name in _API:
        # Loaded by name: the API sits above the GUI, whose modules read this package's version, so a static
        # import here would tie the package to the API in a cycle.
        return getattr(importlib.import_module("vae_explorer.api"), name)
    if name == "VaeExplorerError":
        from vae_explorer.core.errors import VaeExplorerError

        return VaeExplorerError
    raise AttributeError(f"module 'vae_explorer' has no attribute {name!r}")
