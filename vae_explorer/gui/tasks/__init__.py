"""The GUI's executor: tasks on threads (:mod:`.runner`) and latest-wins lanes (:mod:`.lanes`)."""

from .lanes import LatestLane, source_deleted
from .runner import Task, TaskRunner, TaskState, describe_exception

__all__ = ["LatestLane", "Task", "TaskRunner", "TaskState", "describe_exception", "source_deleted"]
