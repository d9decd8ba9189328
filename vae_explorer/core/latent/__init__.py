"""Latent spaces: codes of a data set, 2-D maps and their inverses, t-SNE, shapes drawn on maps."""
