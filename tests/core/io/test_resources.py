"""The shipped resources: an icon that reads at every size, a desktop entry a menu accepts, metadata in exports."""

from __future__ import annotations

import configparser
import re
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

from vae_explorer import __version__
from vae_explorer.core.io.images import save_png, to_pil
from vae_explorer.core.io.resources import ICON_SIZES, desktop_entry, icon_png, icon_svg, resource
from vae_explorer.core.morph.gif import save_gif


def read_entry(path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_icon_is_an_svg_and_a_png_at_every_size_drawn_from_it():
    root = ET.parse(icon_svg()).getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 64 64"
    for size in ICON_SIZES:
        with Image.open(icon_png(size)) as im:
            assert im.format == "PNG" and im.size == (size, size) and im.mode == "RGBA"
            alpha = np.asarray(im)[..., 3]
        assert alpha[0, 0] == 0 and alpha[size // 2, size // 2] == 255  # transparent corners, an opaque mark


def test_the_desktop_entry_follows_the_freedesktop_keys():
    entry = read_entry(desktop_entry())
    assert entry["Type"] == "Application" and entry["Name"] == "vae-explorer"
    assert entry["GenericName"] and entry["Comment"]
    assert entry["Exec"] == "vae-explorer" and entry["Icon"] == "vae-explorer"
    assert entry["Terminal"] == "false" and entry["StartupWMClass"] == "vae-explorer"
    assert entry["Categories"].startswith("Science;Education;") and entry["Categories"].endswith(";")


def test_the_style_sheet_names_only_colours_the_palette_fills_in():
    text = resource("style.qss").read_text(encoding="utf-8")
    assert "MessageBar" in text and "$failure_bg" in text
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb", text)  # every colour comes from the palette module


def test_gifs_and_pngs_say_they_were_made_by_vae_explorer(tmp_path):
    rng = np.random.default_rng(0)
    frames = [to_pil(rng.random((1, 8, 8), dtype=np.float32)) for _ in range(3)]
    with Image.open(save_gif(tmp_path / "m.gif", frames)) as gif:
        assert gif.info["comment"] == f"Made with vae-explorer {__version__}".encode()
    with Image.open(save_png(tmp_path / "p.png", rng.random((3, 8, 8), dtype=np.float32))) as png:
        assert png.info["Software"] == f"vae-explorer {__version__}"
