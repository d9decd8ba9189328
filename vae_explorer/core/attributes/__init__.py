"""Attribute vectors: two groups of samples -> mean code difference -> diagnostics, files, state."""
