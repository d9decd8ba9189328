"""Saved views in the window: opening one (:mod:`.opener`), saving, opening and bookmarking (:mod:`.commands`)."""
