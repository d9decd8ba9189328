"""Errors a user can cause and read: each carries a one-line message naming the file or value."""

from __future__ import annotations


class VaeExplorerError(Exception):
    """Base of every error shown to the user as one line, never as a traceback."""


class CheckpointError(VaeExplorerError):
    """A checkpoint file is missing, unreadable, of another format, or does not fit."""


class ModelFileError(CheckpointError):
    """A user's model file is not trusted, cannot run, or gives what the explorer cannot use."""


class DataError(VaeExplorerError):
    """A data set, image file or attribute table cannot be read or does not fit."""


class DeviceError(VaeExplorerError):
    """A requested compute device does not exist on this machine."""


class ExportError(VaeExplorerError):
    """An export (GIF, PNG, TSV, recipe) cannot be written."""


class Cancelled(Exception):
    """A long computation was asked to stop before it finished."""
