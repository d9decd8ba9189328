"""The Explore tab's own panels: decoded cursors, latent sliders, samples, and their background work."""
