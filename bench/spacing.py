"""Justification quality, read from the PDF itself: how wide the word spaces of
each justified body line are, against the font's normal space.

A justified line is stretched by widening its spaces; a sub-editor sees a line
whose spaces are twice the normal width as a gap. The figure per line is its
mean word space (from the end of one word's last glyph to the start of the next
word's first glyph) divided by the width of the space glyph in that font and
size. Only body lines that reach the right edge of the column are counted: the
last line of a paragraph is set ragged and ends short of it.

Used by bench/run.py (the table) and by the tests (the target, on real renders).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

BODY_FONTS = ("Pressgen-Serif", "Pressgen-Serif-Italic")
"""The body's faces (paragraphs and quotes), without the subset prefix."""
SPACES = (" ", "\u00a0")
EDGE = 0.75
"""Points a justified line's last glyph may end short of the column's right edge."""


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    ratio: float
    """Mean word space of the line over the font's normal space (1.0: not stretched)."""


def _face(fontname: str) -> str:
    return fontname.split("+", 1)[-1]


def justified_lines(path: Path) -> list[Line]:
    """Every justified body line of the PDF at ``path``, with its word-space ratio."""
    import pdfplumber

    lines: list[Line] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            body = [c for c in page.chars if _face(c["fontname"]) in BODY_FONTS]
            if not body:
                continue
            size = statistics.mode(round(c["size"], 2) for c in body)
            rows: dict[float, list[dict]] = {}
            for char in body:
                if round(char["size"], 2) == size:
                    rows.setdefault(round(char["top"], 1), []).append(char)
            right = max(max(c["x1"] for c in row if c["text"] not in SPACES) for row in rows.values()
                        if any(c["text"] not in SPACES for c in row))
            for row in rows.values():
                line = _measure(sorted(row, key=lambda c: c["x0"]), right, number)
                if line:
                    lines.append(line)
    return lines


def _measure(chars: list[dict], right: float, page: int) -> Line | None:
    glyphs = [c for c in chars if c["text"] not in SPACES]
    if not glyphs or glyphs[-1]["x1"] < right - EDGE:
        return None
    ratios, previous, space = [], None, None
    for char in chars:
        if char["text"] in SPACES:
            space = space or char
            continue
        if space is not None and previous is not None:
            normal = space["x1"] - space["x0"]
            ratios.append((char["x0"] - previous["x1"]) / normal)
        previous, space = char, None
    if not ratios:
        return None
    text = "".join(c["text"] for c in chars)
    return Line(page, " ".join(text.split()), sum(ratios) / len(ratios))


@dataclass(frozen=True)
class Spread:
    lines: int
    median: float
    p95: float
    worst: Line

    def __str__(self) -> str:
        return f"median {self.median:.2f}, p95 {self.p95:.2f}, max {self.worst.ratio:.2f} ({self.lines} lines)"


def spread(lines: list[Line]) -> Spread:
    ratios = sorted(line.ratio for line in lines)
    p95 = ratios[min(len(ratios) - 1, round(0.95 * (len(ratios) - 1)))]
    return Spread(len(ratios), statistics.median(ratios), p95, max(lines, key=lambda line: line.ratio))


def by_language(out: Path) -> dict[str, Spread]:
    """The spread of every PDF under ``out/<lang>/``, per language."""
    result = {}
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        lines = [line for pdf in sorted(folder.glob("*.pdf")) for line in justified_lines(pdf)]
        if lines:
            result[folder.name] = spread(lines)
    return result


if __name__ == "__main__":
    import sys

    for lang, figures in by_language(Path(sys.argv[1] if len(sys.argv) > 1 else "out")).items():
        print(f"{lang}: {figures}\n    worst (page {figures.worst.page}): {figures.worst.text}")
