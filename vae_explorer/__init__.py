"""vae-explorer: look inside the latent spaces of autoencoders."""

__version__ = "0.1.0"
