"""Which characters the theme's fonts can draw, known before any PDF is rendered.

pdf.py refuses a PDF for which a system font stood in (the PDF would differ from
machine to machine). `pressgen check` renders no PDF, and a build learns of it only
after the version's page and ninjs item are written. So both ask here first: a text
with a character that no font of the theme has is a mistake at its line, and the
version's outputs stay as they were.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from . import theme

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
_NOT_DRAWN = {"Cc", "Cf", "Zs", "Zl", "Zp"}
"""Spaces, line breaks and format characters (soft hyphens, joiners): no glyph of their own."""


def theme_fonts(root: Path) -> tuple[Path, ...]:
    """The theme's font files."""
    return tuple(path for rel, path in theme.asset_files(root).items() if rel.lower().endswith(FONT_SUFFIXES))


def drawable(root: Path) -> frozenset[int]:
    """The code points the theme's fonts cover; empty if the theme ships no font (then
    system fonts are the design, and nothing is refused)."""
    fonts = theme_fonts(root)
    return _code_points(fonts, tuple(path.stat().st_mtime_ns for path in fonts))


def as_ranges(points: frozenset[int]) -> list[list[int]]:
    """Code points as [first, last] runs, as a cache keeps them.

    >>> as_ranges(frozenset({65, 66, 67, 1179, 1180})), from_ranges([[65, 67], [1179, 1180]]) == {65, 66, 67, 1179, 1180}
    ([[65, 67], [1179, 1180]], True)
    """
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return runs


def from_ranges(runs: list[list[int]]) -> frozenset[int]:
    return frozenset(point for first, last in runs for point in range(first, last + 1))


@lru_cache(maxsize=8)
def _code_points(fonts: tuple[Path, ...], stamps: tuple[int, ...]) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # WeasyPrint's own font library, read only when needed

    points: set[int] = set()
    for path in fonts:
        try:
            with TTFont(path, lazy=True) as font:
                points.update(font.getBestCmap() or {})
        except Exception:  # noqa: BLE001  # a damaged font: WeasyPrint names it when it renders
            continue
    return frozenset(points)


def unreadable_font(path: Path) -> str | None:
    """Why WeasyPrint could not load this font file (a download saved as an HTML page, a
    truncated copy), or None for a font it reads."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            font.getBestCmap()
    except Exception as exc:  # noqa: BLE001  # fontTools raises many kinds on damaged files
        return str(exc) or type(exc).__name__
    return None


def undrawable(text: str, points: frozenset[int]) -> str | None:
    """The first character of ``text`` that no font of the theme has.

    >>> undrawable("Қасейінов, İstanbul’da «ТҮРКСОЙ»", frozenset(map(ord, "Қасейінов, İstanbul’da «ТҮРКСОЙ»")))
    >>> undrawable("Hello ᚠ", frozenset(map(ord, "Hello")))
    'ᚠ'
    """
    # Most texts have every character: one search in C finds that (a set of the text's
    # characters, then their code points, cost 3 % of a cold build).
    if _outside(points).search(text) is None:
        return None
    return next((c for c in text if ord(c) not in points and unicodedata.category(c) not in _NOT_DRAWN), None)


@lru_cache(maxsize=8)
def _outside(points: frozenset[int]) -> re.Pattern[str]:
    """A pattern that finds a character not in ``points`` (the fonts' code points, as ranges).

    >>> _outside(frozenset(map(ord, "abcx-"))).findall("a-b-c d^x")
    [' ', 'd', '^']
    """
    ranges, start, end = [], None, None
    for point in sorted(points):
        if end is not None and point == end + 1:
            end = point
            continue
        if start is not None:
            ranges.append((start, end))
        start = end = point
    if start is not None:
        ranges.append((start, end))
    spans = "".join(re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                    for low, high in ranges)
    return re.compile(f"[^{spans}]" if spans else "[\\s\\S]")
