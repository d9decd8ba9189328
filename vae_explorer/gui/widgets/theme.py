"""Light or dark: the window follows the system's colour scheme, and every panel follows the window.

:func:`install` keeps the palette in step with the system's colour scheme (or the
one the user asked for). Panels call :func:`follow` with a function that applies a
:class:`~.palette.Theme`: it runs at once and again whenever the palette turns
light or dark. :func:`style_plot` does that for a pyqtgraph plot's background,
axes, title and legend, and :func:`use_style_sheet` for the few widgets that
``resources/style.qss`` styles (the message bar, notices, toned labels).

The style sheet is set on those widgets, not on the app: an app-wide one makes Qt
style every widget through it, which took the window three times as long to build.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from string import Template

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from vae_explorer.core.io.resources import resource
from vae_explorer.gui.widgets import palette
from vae_explorer.gui.widgets.palette import Theme

SCHEMES = ("auto", "light", "dark")


class _Follower(QObject):
    """Calls ``apply(theme)`` on its widget's palette changes that change the theme."""

    def __init__(self, widget: QWidget, apply: Callable[[Theme], None]) -> None:
        super().__init__(widget)
        self._apply = apply
        self._theme: Theme | None = None
        widget.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        theme = palette.current()
        if theme is not self._theme:
            self._theme = theme
            self._apply(theme)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()
        return False


def follow(widget: QWidget, apply: Callable[[Theme], None]) -> None:
    """Call ``apply(theme)`` now, and again each time the palette turns light or dark, while ``widget`` lives."""
    _Follower(widget, apply)


def style_plot(plot: pg.PlotWidget) -> None:
    """Draw ``plot`` on the window's base colour with the theme's axes, title and legend, now and after a change."""

    def apply(theme: Theme) -> None:
        plot.setBackground(QGuiApplication.palette().color(QPalette.ColorRole.Base))
        item = plot.getPlotItem()
        for name in ("left", "bottom"):
            item.getAxis(name).setPen(palette.pen(theme.axis))
            item.getAxis(name).setTextPen(palette.pen(theme.axis_text))
        item.titleLabel.setAttr("color", theme.title)
        item.titleLabel.setText(item.titleLabel.text)
        if item.legend is not None:
            item.legend.setLabelTextColor(theme.title)

    follow(plot, apply)


class _StyledWidgets(QWidget):
    """Never shown: the widgets that carry the style sheet, restyled when the palette turns light or dark.

    A widget styled by a sheet holds a palette of its own, so it hears of no change;
    a top-level widget that is never shown does.
    """

    def __init__(self) -> None:
        super().__init__()
        self.widgets: dict[int, QWidget] = {}
        self.theme = palette.current()
        follow(self, self._restyle)

    def add(self, widget: QWidget) -> None:
        key = id(widget)
        if key not in self.widgets:
            self.widgets[key] = widget
            widget.destroyed.connect(lambda *_: self.widgets.pop(key, None))
            widget.setStyleSheet(style_sheet(self.theme))

    def _restyle(self, theme: Theme) -> None:
        self.theme = theme
        for widget in list(self.widgets.values()):
            widget.setStyleSheet(style_sheet(theme))


_styled: list[_StyledWidgets] = []  # made with the first styled widget, once there is an application


def use_style_sheet(widget: QWidget) -> None:
    """Style ``widget`` and its children with ``resources/style.qss`` for the theme, now and after each change."""
    if not _styled:
        _styled.append(_StyledWidgets())
    _styled[0].add(widget)


def set_tone(label: QWidget, tone: str) -> None:
    """Colour a label's text as the style sheet's ``tone``: ``error``, ``muted``, ``small-error``, ``small-muted``."""
    use_style_sheet(label)
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)


@lru_cache(maxsize=4)
def style_sheet(theme: Theme) -> str:
    """``resources/style.qss`` with the theme's colours filled in."""
    names = {"error": palette.ERROR, "muted": palette.MUTED}
    for box in ("warning", "failure"):
        names.update(zip((f"{box}_bg", f"{box}_fg", f"{box}_border"), getattr(theme, box), strict=True))
    return Template(resource("style.qss").read_text(encoding="utf-8")).substitute(names)


class _AppTheme(QObject):
    """The app's side: the palette for the scheme asked for."""

    def __init__(self, app: QApplication, scheme: str) -> None:
        super().__init__(app)
        self.setObjectName("vae-explorer-theme")
        self.app = app
        self.scheme = "auto"
        self.own_palette = False  # the palette is one this object set, not the system's
        app.styleHints().colorSchemeChanged.connect(lambda scheme: self.set_scheme(self.scheme))
        self.set_scheme(scheme)

    def wanted_dark(self) -> bool | None:
        """Dark or light as asked, or as the system says; None when neither says."""
        if self.scheme != "auto":
            return self.scheme == "dark"
        system = self.app.styleHints().colorScheme()
        return None if system == Qt.ColorScheme.Unknown else system == Qt.ColorScheme.Dark

    def set_scheme(self, scheme: str) -> None:
        self.scheme = scheme
        if self.own_palette:  # start again from the system's palette
            self.own_palette = False
            self.app.setPalette(QPalette())
        dark = self.wanted_dark()
        if dark is not None and dark != palette.is_dark(self.app.palette()):
            # the style does not follow the scheme: set the palette ourselves
            self.own_palette = True
            light = QPalette(QColor(palette.LIGHT_WINDOW_BUTTON))
            self.app.setPalette(palette.dark_window_palette() if dark else light)


def install(app: QApplication, scheme: str = "auto") -> None:
    """Follow the colour scheme: ``auto`` (the system's), ``light`` or ``dark``."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown colour scheme {scheme!r}: use {', '.join(SCHEMES)}")
    existing = app.findChild(_AppTheme, "vae-explorer-theme")
    if existing is None:
        _AppTheme(app, scheme)
    elif scheme != existing.scheme:
        existing.set_scheme(scheme)
