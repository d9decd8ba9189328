"""vae-explorer: look inside the latent spaces of autoencoders.

``vae_explorer.wrap`` is for a model file (see the README's "Your own model"):
it adapts a PyTorch module to what the explorer calls.
"""

from __future__ import annotations

from typing import Any

from vae_explorer._version import __version__

__all__ = ["__version__", "wrap"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `import vae_explorer` stays light (no torch) for the command line.
    if name == "wrap":
        from vae_explorer.core.model.wrap import wrap

        return wrap
    raise AttributeError(f"module 'vae_explorer' has no attribute {name!r}")
