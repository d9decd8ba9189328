"""The explorer's state (:class:`Session`) and its two sides (:data:`SLOTS`): see :mod:`.state`."""

from vae_explorer.core.session.slot import SLOTS

from .state import Session

__all__ = ["SLOTS", "Session"]
