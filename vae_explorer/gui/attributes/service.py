"""The attribute vectors' background work: remaking them in a model's space when its codes change.

It listens to ``session.attributes`` like a panel does and runs each
:class:`~vae_explorer.core.attributes.binding.Rebind` (groups resolved on the
data, pixel statistics over every image, group means) on a worker; the entries
come back through ``apply_rebind`` on the GUI thread, dropped there if the data
or the model changed meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from vae_explorer.core.attributes.binding import Rebind
from vae_explorer.core.attributes.state import AttributeState
from vae_explorer.gui.tasks import TaskRunner, TaskState


class AttributeService(QObject):
    """Runs the attribute state's rebinds off the GUI thread, one task per model slot (a newer one replaces it)."""

    def __init__(self, state: AttributeState, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state, self.runner = state, runner
        state.rebind_needed.connect(self.rebind)

    def rebind(self, job: Rebind) -> None:
        def work(task: TaskState):
            return job.run(task.cancel)

        title = f"Remaking {len(job.vectors)} attribute vector{'s' if len(job.vectors) > 1 else ''} ({job.model.model})"
        self.runner.start(
            f"attribute-rebind-{job.slot}", title, work, lambda entries: self.state.apply_rebind(job, entries)
        )
