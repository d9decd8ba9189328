"""Exports: each map as SVG (vector points, parsed back), PDF and PNG; the decoded cursors as PNG."""

import xml.etree.ElementTree as ET

import numpy as np
from mouse import right_click, view_to_widget
from PIL import Image
from PySide6.QtWidgets import QFileDialog, QInputDialog

from vae_explorer.core.session import SLOTS
from vae_explorer.gui.map.export import export_map

SVG = "{http://www.w3.org/2000/svg}"


def points_in(path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    return [c for c in root.iter(f"{SVG}circle") if c.get("class") == "point"]


def legend_names(path) -> list[str]:
    group = next(g for g in ET.parse(path).getroot().iter(f"{SVG}g") if g.get("class") == "legend")
    return [t.text for t in group.iter(f"{SVG}text")]


def menu_action(window, text: str):
    file_menu = window.menuBar().actions()[0].menu()
    export_menu = next(a.menu() for a in file_menu.actions() if a.menu() and "Export" in a.text())
    return next(a for a in export_menu.actions() if text in a.text().replace("&", ""))


def test_each_map_as_svg_has_a_vector_point_for_every_sample_on_show(make_window, digits_pair, qtbot, tmp_path):
    w = make_window(digits_pair)
    n = len(w.session.dataset)
    for slot in SLOTS:
        path = export_map(w.explorer.maps[slot], tmp_path / f"{slot}.svg")
        points = points_in(path)
        assert len(points) == n
        root = ET.parse(path).getroot()
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert w.session.slots[slot].title in texts[0] and "PCA" in texts[0]
        assert legend_names(path) == list(w.session.dataset.label_names)
        # the points' colours are the classes' colours of the legend
        legend = {c.get("fill") for c in root.iter(f"{SVG}circle") if c.get("class") == "legend"}
        assert {p.get("fill") for p in points} <= legend
    # a hidden class is left out of the picture and of its legend
    labels = w.session.dataset.labels
    w.session.marks.toggle_class(3)
    path = export_map(w.explorer.maps["left"], tmp_path / "hidden.svg")
    assert len(points_in(path)) == n - int((labels == 3).sum())
    assert legend_names(path) == [name for k, name in enumerate(w.session.dataset.label_names) if k != 3]


def test_file_export_writes_pdf_and_png_on_a_worker(make_window, digits_pair, qtbot, tmp_path, monkeypatch):
    w = make_window(digits_pair)
    pdf, png = tmp_path / "map.pdf", tmp_path / "map.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    menu_action(w, "Left map").trigger()
    qtbot.waitUntil(lambda: pdf.exists() and not w.runner.busy(), timeout=20_000)
    assert pdf.read_bytes().startswith(b"%PDF") and "map written to" in w.status_text.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(png), ""))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (1200, True))
    menu_action(w, "Right map").trigger()
    qtbot.waitUntil(lambda: png.exists() and not w.runner.busy(), timeout=20_000)
    with Image.open(png) as image:
        assert image.size == (1200, 1050)
        colours = {tuple(c) for c in np.asarray(image.convert("RGB")).reshape(-1, 3)[::7].tolist()}
    assert len(colours) > 10  # the points in their classes' colours, not a blank page


def test_a_refused_export_says_why_and_keeps_the_file_in_the_way(
    make_window, digits_pair, qtbot, tmp_path, monkeypatch
):
    w = make_window(digits_pair)
    folder = tmp_path / "taken.svg"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder), ""))
    menu_action(w, "Left map").trigger()
    qtbot.waitUntil(lambda: w.messages.isVisible(), timeout=20_000)
    assert "taken.svg" in w.messages.text() and folder.is_dir()


def test_decoded_images_as_png(make_window, digits_pair, qtbot, tmp_path, monkeypatch):
    w = make_window(digits_pair)
    path = tmp_path / "decoded.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (5, True))
    menu_action(w, "Decoded images").trigger()  # nothing decoded yet: said, nothing written
    assert "nothing is decoded yet" in w.messages.text() and not path.exists()
    w.session.select(4)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    menu_action(w, "Decoded images").trigger()
    _, h, wd = w.session.dataset.image_shape
    with Image.open(path) as image:  # two rows (the models) of two images (decoded, nearest), 1-pixel gaps
        assert image.size == (5 * (2 * wd + 3), 5 * (2 * h + 3))
    left = w.session.slots["left"].decoded
    pixels = np.asarray(Image.open(path).convert("L"))
    expected = np.round(left.image[0] * 255)
    assert np.abs(pixels[5 : 5 + 5 * h : 5, 5 : 5 + 5 * wd : 5].astype(float) - expected).max() <= 1


def test_a_maps_right_click_menu_exports_it(make_window, digits_pair, qtbot, tmp_path, monkeypatch):
    w = make_window(digits_pair)
    panel, path = w.explorer.maps["right"], tmp_path / "right.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    right_click(panel, view_to_widget(panel, *panel.shown_points[0]))
    qtbot.waitUntil(lambda: panel.last_menu is not None and bool(panel.last_menu.actions()), timeout=3000)
    (action,) = [a for a in panel.last_menu.actions() if a.text().startswith("Export this map")]
    action.trigger()
    panel.last_menu.close()
    qtbot.waitUntil(lambda: path.exists() and not w.runner.busy(), timeout=20_000)
    assert len(points_in(path)) == len(w.session.dataset)
