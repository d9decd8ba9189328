"""Models and what they are judged by: AE / VAE networks, losses, metrics, checkpoints, devices."""
