"""torch, imported where it is first used rather than where a module is imported.

Importing torch takes about two seconds, longer than Qt, pyqtgraph and numpy together.
The window draws maps of cached codes with numpy alone, so the modules it imports name
torch through :data:`torch` here, and the import happens on the worker that loads the
models (or whatever first computes with torch). Modules that define networks
(``nn.Module`` subclasses) import torch as usual and are themselves imported only where
a network is built.
"""

from __future__ import annotations

import functools
import gc
import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any

_hooks: list[Callable[[Any], None]] = []
_lock = threading.Lock()


class LazyModule:
    """Stands for module ``name``; the first attribute read imports it (thread-safe, as ``import`` is)."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = _import(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def _import(name: str) -> Any:
    if "torch" in sys.modules:
        module = importlib.import_module(name)
    else:  # torch's import makes a few hundred thousand objects that live as long as the process: collecting
        collecting = gc.isenabled()  # meanwhile costs a quarter of a second and finds nothing to free
        gc.disable()
        try:
            module = importlib.import_module(name)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
    with _lock:
        hooks, _hooks[:] = list(_hooks), []
    for hook in hooks:  # torch may have come in through a network's module: its hooks run at the first use here
        hook(sys.modules["torch"])
    return module


def on_import(hook: Callable[[Any], None]) -> None:
    """Call ``hook(torch)`` once torch is imported (at once if it is already), e.g. to set its thread count."""
    with _lock:
        if "torch" not in sys.modules:
            _hooks.append(hook)
            return
    hook(sys.modules["torch"])


def inference_mode(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``@torch.inference_mode()`` without importing torch when the decorated function is defined."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with torch.inference_mode():
            return fn(*args, **kwargs)

    return run


torch: Any = LazyModule("torch")
functional: Any = LazyModule("torch.nn.functional")
