"""Text that came from a file (a path, a name, a label, a metadata value) made safe to show or to export.

A checkpoint's metadata or a file's name may hold terminal escapes (ESC, BEL),
carriage returns, or bidirectional overrides that make one name look like
another. :func:`printable` shows each of them as an escape (``\\x1b``,
``\\u202e``) instead, so what the terminal or the window shows is what the file
holds. :func:`inert_cell` keeps a spreadsheet from reading an exported cell as
a formula.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the invisible characters that reorder or join text
_HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_FORMULA = ("=", "+", "-", "@")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, lines: bool = False) -> str:
    """``text`` with every control or invisible formatting character shown as an escape.

    ``lines``: line breaks (and tabs) stay, for text of several lines the program wrote itself.
    """
    text = str(text)
    if lines:
        return "\n".join(_HIDDEN.sub(lambda m: "\t" if m.group() == "\t" else _escape(m), t) for t in text.split("\n"))
    return _HIDDEN.sub(_escape, text)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def inert_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that begins ``=``, ``+``, ``-`` or ``@`` gets a leading ``'``.

    Numbers (``-0.5``, ``+1e3``) are left as they are: a spreadsheet reads them as numbers either way.
    """
    stripped = text.lstrip()
    if stripped.startswith(_FORMULA) and not _number(stripped):
        return "'" + text
    return text
