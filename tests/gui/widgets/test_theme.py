"""Light or dark: the maps, decoded panels, strips, plots and message boxes follow the window's palette."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from images import qimage_to_array
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from vae_explorer.gui.shell.app import make_app
from vae_explorer.gui.shell.status import MessageBar
from vae_explorer.gui.widgets import palette, theme


@pytest.fixture
def app():
    """The application; whatever a test turns its palette to, it is the system's again afterwards."""
    application = make_app()
    yield application
    theme.install(application, "auto")
    QApplication.processEvents()


def lightness(widget, x: int, y: int) -> int:
    """How light one pixel of the widget is on screen, 0 to 255."""
    return int(qimage_to_array(widget.grab().toImage())[:, y, x].mean())


def plot_colours(window) -> set[str]:
    return {p.backgroundBrush().color().name() for p in window.findChildren(pg.PlotWidget)}


def test_the_window_turns_dark_and_light_again(app, make_window, digits_pair, qtbot):
    w = make_window(digits_pair)
    w.session.select(3)
    qtbot.waitUntil(w.is_settled, timeout=10_000)
    panel = w.explorer.maps["right"]
    decoded = w.explorer.decoders["right"].decoded
    w.messages.show_message("a message")
    assert plot_colours(w) == {"#ffffff"} and palette.current() is palette.LIGHT
    assert lightness(panel.plot, 3, 3) > 240 and lightness(w.messages, 2, 2) > 200

    theme.install(app, "dark")
    qtbot.waitUntil(lambda: panel.cursor.pen.color().name() == palette.DARK.ink, timeout=5000)
    base = app.palette().color(QPalette.ColorRole.Base).name()
    assert palette.current() is palette.DARK and base == palette.DARK.base
    assert plot_colours(w) == {base}  # maps, the morph's plot, the training plots
    assert lightness(panel.plot, 3, 3) < 50 and lightness(decoded, 1, 1) < 80
    assert lightness(w.messages, 2, 2) < 100  # the message bar's dark variant
    assert panel.plot.getAxis("left").textPen().color().name() == palette.DARK.axis_text
    assert panel.selection_mark.opts["pen"].color().name() == palette.DARK.ink
    assert f"color:{palette.DARK.ink}" in w.explorer.legend.text()  # the "selected" ring
    assert all(c.opts["pen"].color().name() == palette.DARK.guide for c in panel.prior_curves)

    theme.install(app, "auto")  # the system's palette again
    qtbot.waitUntil(lambda: panel.cursor.pen.color().name() == palette.LIGHT.ink, timeout=5000)
    assert plot_colours(w) == {"#ffffff"} and lightness(panel.plot, 3, 3) > 240


def test_a_strip_draws_the_lines_between_frames_in_the_theme(app, qtbot):
    from vae_explorer.gui.morph.strips import StripView

    strip = StripView()
    qtbot.addWidget(strip)
    frames = np.zeros((3, 1, 4, 4), np.float32)
    strip.set_frames(frames)
    assert strip.image().pixelColor(0, 0).lightness() == palette.LIGHT.frame_gap
    theme.install(app, "dark")
    qtbot.waitUntil(lambda: strip.image().pixelColor(0, 0).lightness() == palette.DARK.frame_gap, timeout=5000)
    assert strip.image().pixelColor(1, 1).lightness() == 0  # the frame itself is untouched


def test_a_dark_scheme_asked_for_gives_a_dark_window_and_its_style_sheet(app, qtbot):
    bar = MessageBar()
    qtbot.addWidget(bar)
    theme.install(app, "dark")
    assert palette.is_dark(app.palette())
    qtbot.waitUntil(lambda: palette.DARK.failure[0] in bar.styleSheet(), timeout=5000)
    theme.install(app, "light")
    assert not palette.is_dark(app.palette())
    qtbot.waitUntil(lambda: palette.LIGHT.failure[0] in bar.styleSheet(), timeout=5000)
    assert app.styleSheet() == ""  # only the widgets that need it carry it: an app-wide one slows every widget
    with pytest.raises(ValueError, match="unknown colour scheme 'sepia'"):
        theme.install(app, "sepia")


def test_a_palette_the_system_sets_restyles_the_styled_widgets(app, qtbot):
    """What a desktop does when its user turns it dark: Qt hands the app a new palette."""
    bar, label = MessageBar(), QLabel("a note")
    qtbot.addWidget(bar)
    qtbot.addWidget(label)
    theme.set_tone(label, "error")
    app.setPalette(palette.dark_window_palette())
    qtbot.waitUntil(lambda: palette.DARK.failure[0] in bar.styleSheet(), timeout=5000)
    assert 'tone="error"' in label.styleSheet()
    app.setPalette(QPalette())
    qtbot.waitUntil(lambda: palette.LIGHT.failure[0] in bar.styleSheet(), timeout=5000)
