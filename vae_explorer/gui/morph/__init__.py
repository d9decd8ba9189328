"""The Morph dock: keys, strips, playback, exports, and the path drawn on the maps."""
