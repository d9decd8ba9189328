"""Colours: enough distinct class colours, legible on a light and a dark plot, and all of them in one module."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from vae_explorer.gui.widgets import palette

GUI = Path(palette.__file__).resolve().parents[1]
LITERAL_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}\b|QColor\(\s*\d|Qt\.GlobalColor\.(?!transparent)|background=\"")


def test_class_colours_are_many_distinct_and_legible_on_both_backgrounds():
    colours = palette.CLASS_COLORS
    assert len(colours) >= palette.MIN_CLASSES and len(set(colours)) == len(colours)
    for c in colours:
        assert palette.contrast(c, palette.LIGHT.base) >= 2.0 and palette.contrast(c, palette.DARK.base) >= 2.0
    # Tableau's ten come first: the familiar colours of ten-class data
    assert colours[:3] == ("#1f77b3", "#ff7e0e", "#2ba02b")


def test_accents_read_on_both_backgrounds():
    accents = [palette.HOVER, palette.MORPH, palette.ARROW, palette.NOTE, palette.ERROR, palette.MUTED]
    accents += [*palette.SLOT_COLORS.values(), *palette.GROUP_COLORS.values(), *palette.STATUS_COLORS.values()]
    for c in accents:
        assert min(palette.contrast(c, palette.LIGHT.base), palette.contrast(c, palette.DARK.base)) >= 3.0, c
    for theme in (palette.LIGHT, palette.DARK):
        assert palette.contrast(theme.ink, theme.base) >= 15
        assert palette.contrast(theme.axis_text, theme.base) >= 4.5 and palette.contrast(theme.title, theme.base) >= 7


def test_points_of_a_class_share_one_brush():
    labels = np.array([0, 1, 0, 40, 1, 0])
    brushes = palette.point_brushes(labels, len(labels))
    assert brushes[0] is brushes[2] is brushes[5] and brushes[1] is brushes[4] and brushes[0] is not brushes[1]
    assert brushes[3].color().name() == palette.CLASS_COLORS[40]


def test_every_colour_of_the_gui_lives_in_the_palette_module():
    found = []
    for path in GUI.rglob("*.py"):
        if path.name != "palette.py":
            found += [f"{path.relative_to(GUI)}: {m.group()}" for m in LITERAL_COLOUR.finditer(path.read_text())]
    assert found == []


def test_the_attribute_groups_look_unlike_the_class_colours_and_the_other_marks():
    """Group A and B ring points drawn in class colours: neither may pass for a class (nor for a search's rings)."""
    marks = [*palette.CLASS_COLORS[:10], palette.HIGHLIGHT, palette.HOVER, palette.MORPH, palette.ARROW]
    a, b = palette.GROUP_COLORS["A"], palette.GROUP_COLORS["B"]
    for group in (a, b):
        assert min(palette.color_distance(group, c) for c in marks) > 35, group
    assert palette.color_distance(a, b) > 35
    assert palette.color_distance("#1f77b4", "#3182bd") < 10  # the measure: Tableau's blue and a blue like it


def test_colour_distance_is_zero_for_one_colour_and_largest_from_black_to_white():
    assert palette.color_distance("#336699", "#336699") == 0.0
    assert round(palette.color_distance("#000000", "#ffffff")) == 100  # L* runs from 0 to 100
