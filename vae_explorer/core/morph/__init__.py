"""Morphs: key images -> codes laid between them -> decoded frames -> GIF, PNG strip or recipe."""
