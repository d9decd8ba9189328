"""A map's SVG picture: one vector circle per point on show, axes with round ticks, a legend."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vae_explorer.core.io.map_svg import MapPicture, map_svg, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def test_points_on_show_are_circles_inside_the_frame_and_hidden_ones_are_left_out():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(50, 2)) * [10, 1]
    colours = np.full((50, 4), 200, np.uint8)
    colours[:5, 3] = 0  # hidden
    picture = MapPicture("AE — UMAP", points, colours, (("boot", (255, 0, 0)),), (("selected", (0.0, 0.0), (0, 0, 0)),))
    root = ET.fromstring(map_svg(picture, 800, 700))
    circles = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "point"]
    assert len(circles) == 45
    frame = next(r for r in root.iter(f"{SVG}rect") if r.get("width") != "800")
    x0, y0 = float(frame.get("x")), float(frame.get("y"))
    x1, y1 = x0 + float(frame.get("width")), y0 + float(frame.get("height"))
    for c in circles:
        assert x0 <= float(c.get("cx")) <= x1 and y0 <= float(c.get("cy")) <= y1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "AE — UMAP" and "boot" in texts
    assert [c.get("class") for c in root.iter(f"{SVG}circle")].count("mark") == 1


def test_points_and_colours_must_match():
    with pytest.raises(ValueError, match="3 points for 2 colours"):
        MapPicture("x", np.zeros((3, 2)), np.zeros((2, 4), np.uint8))


@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e6))
def test_ticks_are_round_and_inside_the_range(low, span):
    ticks = nice_ticks(low, low + span)
    assert 1 <= len(ticks) <= 12
    assert all(low - 1e-9 * abs(low) - 1e-9 <= t <= low + span + 1e-9 * abs(low + span) + 1e-9 for t in ticks)
