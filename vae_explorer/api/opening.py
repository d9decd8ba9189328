"""Opening a viewer: the window the command line opens, on what :func:`vae_explorer.view` was given.

Files and built-in data go through the window's opener (read on a worker, a model file
run only when trusted); models and images handed over in memory go through the same
opener, or straight to the session when only one side is given. Once every model shown
has its codes, the first sample is selected, as on the command line.
"""

from __future__ import annotations

from typing import Any

from vae_explorer.core.data.arrays import table_of
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.device import resolve_device
from vae_explorer.core.model.loaded import LoadedModel
from vae_explorer.core.model.shipped import choose_startup
from vae_explorer.core.session import SLOTS, Session
from vae_explorer.gui.shell.main_window import MainWindow

from .event_loop import application
from .inputs import Inputs, prepare
from .viewer import Viewer, show_data

VIEWS = ("pca", "tsne", "latent")


def open_viewer(
    ae: Any,
    vae: Any,
    data: Any,
    labels: Any,
    names: Any,
    attributes: Any,
    view: str,
    trust: bool,
    device: str,
    theme: str,
) -> Viewer:
    """See :func:`vae_explorer.view`: every argument is checked before the window opens."""
    if view not in VIEWS:
        raise VaeExplorerError(f"view: {view!r} is not {', '.join(VIEWS[:-1])} or {VIEWS[-1]}")
    torch_device = resolve_device(device)
    inputs = prepare(ae, vae, data, labels, names, attributes, torch_device)
    if inputs.left is None and inputs.right is None and inputs.live:
        raise VaeExplorerError("ae, vae: give a model for images handed over in memory (a module, or a file)")
    if (inputs.left is None) != (inputs.right is None) and inputs.data is None:
        raise VaeExplorerError("data: give the images to show one model on")
    application(theme)
    window = MainWindow(Session(torch_device), trust_all=trust)
    viewer = Viewer(window)
    window.session.set_view(view)
    open_inputs(window, inputs)
    window.show()
    return viewer


def open_inputs(window: MainWindow, inputs: Inputs) -> None:
    """Open what :func:`prepare` made ready, as the command line opens its pair (the shipped pair when none)."""
    read_when_open(window, inputs.attributes)
    left, right, data = inputs.left, inputs.right, inputs.data
    if left is None and right is None:
        choice = choose_startup(None, None, data if isinstance(data, str) else None)
        window.open_startup(choice, split="all" if isinstance(data, str) else "test")
    elif left is not None and right is not None:
        window.open_pair(left, right, data or "", split="all")
    else:
        slot, model = (SLOTS[0], left) if left is not None else (SLOTS[1], right)
        show_data(window, data)
        if isinstance(model, LoadedModel):
            window.session.set_model(slot, model)
        else:
            window.open_model(slot, str(model))
    select_first_when_encoded(window.session)


def select_first_when_encoded(session: Session) -> None:
    """Once every model on show has its codes, select the first sample (unless one is), as the window does on start."""

    def select(slot: str) -> None:
        loaded = [s for s in session.slots.values() if s.model is not None]
        if loaded and all(s.codes is not None for s in loaded):
            session.codes_changed.disconnect(select)
            if session.selection is None:
                session.select(0)

    session.codes_changed.connect(select)


def read_when_open(window: MainWindow, attributes: Any) -> None:
    """Read an attribute table (a file, or a data frame) for the data once it is open."""
    if attributes is None:
        return
    session = window.session

    def read() -> None:
        session.data_changed.disconnect(guarded)
        if isinstance(attributes, str):
            window.explorer.attributes.define_form.load_table(attributes)
        else:
            session.attributes.set_table(table_of(attributes, len(session.dataset or ())))

    guarded = window.boundary.guard(read)
    session.data_changed.connect(guarded)
