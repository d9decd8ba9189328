"""Widgets every panel may use: images, steady labels, the palette."""
