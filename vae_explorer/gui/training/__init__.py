"""The Train tab: train AE / VAE / beta-VAE models in a child process and watch them learn."""

from .tab import TrainTab

__all__ = ["TrainTab"]
