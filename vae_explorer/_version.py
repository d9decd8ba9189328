"""The package's version, in a module that imports nothing: what core modules read to name the files they write."""

__version__ = "0.1.0"
