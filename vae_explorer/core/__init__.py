"""The explorer's computation: models, data, training, latent math. Never imports Qt."""
