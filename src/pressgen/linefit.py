"""A second look at WeasyPrint's line breaks, fixed in the document and laid out again.

WeasyPrint breaks lines first-fit: it fills a line, breaks at the last soft
hyphen that fits, and never looks back. It has no `hyphenate-limit-lines`
and no way to prefer a break (WeasyPrint 70). Two faults a sub-editor
rejects are found in its laid-out lines:

- a hyphen ladder: a third hyphenated line in a row. The word broken at the
  end of the third line loses its soft hyphens and moves to the next line
  whole;
- a loose line: justified with word spaces more than LOOSE times their
  normal width, because the next line starts with a name, which
  hyphenate.py keeps whole. As a last resort that one name gets its
  syllable breaks.

Each fix edits the parsed document (the text of the paragraph's elements),
and the document is laid out again, a few times at most. Most releases
need no second layout; see README's Speed section for the cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .hyphenate import SOFT_HYPHEN

LADDER = 2
"""Most hyphenated lines in a row."""
LOOSE = 2.0
"""Word spaces wider than this many normal spaces make a loose line."""
TOO_LOOSE = 2.5
"""A ladder's mending that leaves a line looser than this (and than before) tries its other words."""
LAYOUTS = 5
"""Most layouts of one document, the first included: each mends what the one before showed."""

_HYPHENS = ("\u2010", "-")
"""What WeasyPrint draws at a soft hyphen's break (hyphenate-character, U+2010 by default)."""
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Line:
    element: object
    """The block element (an lxml/ElementTree node) whose text the line holds."""
    text: str
    lang: str | None
    """The line's language (its element's BCP-47 lang)."""
    hyphenated: bool
    spacing: float
    """Word space over the font's normal space: 1.0 in a line set tight or ragged."""


def laid_out_lines(document) -> Iterator[Line]:
    """The lines of a rendered WeasyPrint document, in reading order."""
    from weasyprint.formatting_structure import boxes

    def walk(box):
        if isinstance(box, boxes.LineBox):
            yield box
            return
        for child in getattr(box, "children", ()):
            yield from walk(child)

    for page in document.pages:
        for line in walk(page._page_box):
            texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
            if not texts:
                continue
            # Soft hyphens stay in the boxes' text; the line as read has none.
            text = "".join(box.text for box in texts).replace(SOFT_HYPHEN, "")
            justified = [box for box in texts if box.justification_spacing]
            spacing = 1.0
            if justified:
                normal = _space_width(justified[0].style)
                spacing = (normal + justified[0].justification_spacing) / normal if normal else 1.0
            yield Line(line.element, text, line.style["lang"], text.rstrip().endswith(_HYPHENS), spacing)


def _space_width(style) -> float:
    """The width of a space in the style's font, as Pango shapes it."""
    from weasyprint.text.line_break import Layout, line_size

    def width(text: str) -> float:
        layout = Layout(style)
        layout.set_text(text)
        return line_size(layout.get_first_line()[0], style)[0]

    key = (tuple(style["font_family"]), style["font_size"], style["font_style"], style["font_weight"])
    if key not in _SPACES:
        _SPACES[key] = width("x x") - width("xx")
    return _SPACES[key]


_SPACES: dict[tuple, float] = {}


@dataclass(frozen=True)
class _Edit:
    """One change to a text node of the document, which can be taken back."""

    node: object
    attribute: str
    before: str

    def undo(self) -> None:
        setattr(self.node, self.attribute, self.before)


@dataclass(frozen=True)
class _Ladder:
    element: object
    words: tuple[tuple[str, int], ...]
    """The words broken at the ends of its lines, with their occurrence in the paragraph:
    the third line's first, the one to unhyphenate unless that leaves a loose line."""


def settle(render: Callable[[], object], hyphenate_name: Callable[[str, str], str]) -> object:
    """Lay the document out with ``render()``, mending its hyphen ladders and its loose lines
    before a name, LAYOUTS layouts at most. ``hyphenate_name(word, lang)`` gives a name's soft
    hyphens. A word is mended once: a ladder's word made whole is never given its breaks back
    to mend a loose line, which would rebuild the ladder."""
    layouts = 0

    def layout():
        nonlocal layouts
        layouts += 1
        return render()

    document = layout()
    mended: set[tuple[int, str, int]] = set()
    while layouts < LAYOUTS:
        lines = list(laid_out_lines(document))
        ladders, names = _faults(lines, hyphenate_name)
        ladders = [ladder for ladder in ladders if (id(ladder.element), *ladder.words[0]) not in mended]
        names = [fault for fault in names if (id(fault[0]), fault[1], fault[2]) not in mended]
        edits = [edit for edit in (_edit_word(element, name, occurrence, lambda _, broken=broken: broken)
                                   for element, name, occurrence, broken in names) if edit]
        mended.update((id(element), name, occurrence) for element, name, occurrence, _ in names)
        tried = {}
        for ladder in ladders:
            mended.update((id(ladder.element), *word) for word in ladder.words)
            tried[id(ladder.element)] = _edit_word(ladder.element, *ladder.words[0], _unhyphenate)
        if not edits and not any(tried.values()):
            break
        looseness = {id(ladder.element): _looseness(lines, ladder.element) for ladder in ladders}
        document = layout()
        for ladder in ladders:
            if layouts >= LAYOUTS:
                break
            document = _mend_loosely_mended(ladder, tried[id(ladder.element)], looseness[id(ladder.element)],
                                            document, layout, lambda: layouts < LAYOUTS)
    return document


def _mend_loosely_mended(ladder: _Ladder, edit: _Edit | None, before: float, document, render, may_render):
    """Mending a ladder moves a word whole to the next line, which may leave its line loose:
    then its other words are tried (while ``may_render()``), and the least loose layout kept."""
    allowed = max(TOO_LOOSE, before)
    best_value = _looseness(list(laid_out_lines(document)), ladder.element)
    if best_value <= allowed:
        return document
    best_word = word = ladder.words[0]
    for word in ladder.words[1:]:
        if not may_render():
            break
        if edit:
            edit.undo()
        edit = _edit_word(ladder.element, *word, _unhyphenate)
        document = render()
        value = _looseness(list(laid_out_lines(document)), ladder.element)
        if value < best_value:
            best_word, best_value = word, value
        if value <= allowed:
            return document
    if best_word != word and may_render():
        if edit:
            edit.undo()
        _edit_word(ladder.element, *best_word, _unhyphenate)
        document = render()
    return document


def _looseness(lines: list[Line], element) -> float:
    return max((line.spacing for line in lines if line.element is element), default=1.0)


def _faults(lines: list[Line], hyphenate_name):
    """The ladders (one per paragraph: mending one re-flows the lines after it) and the loose
    lines before a name of a layout."""
    ladders, names, run = [], [], 0
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        following = lines[index + 1] if index + 1 < len(lines) else None
        same = previous is not None and previous.element is line.element
        run = (run + 1 if same else 1) if line.hyphenated else 0
        if line.hyphenated and run > LADDER and not any(ladder.element is line.element for ladder in ladders):
            words = []
            for back in range(LADDER + 1):
                word = _broken_word(lines[index - back], lines[index - back + 1] if index - back + 1 < len(lines) else None)
                if word:
                    words.append((word, _text_before(lines, index - back).count_words(word)))
            if words:
                ladders.append(_Ladder(line.element, tuple(words)))
            run = 0
        elif line.spacing > LOOSE and following is not None and following.element is line.element and line.lang:
            first = _WORD.match(following.text.lstrip())
            name = first.group(0) if first else ""
            if name[:1].isupper():
                broken = hyphenate_name(name, line.lang)
                if broken != name:
                    occurrence = _text_before(lines, index).count_words(name) + _count(line.text, name)
                    names.append((line.element, name, occurrence, broken))
    return ladders, names


@dataclass(frozen=True)
class _Prefix:
    text: str

    def count_words(self, word: str) -> int:
        return _count(self.text, word)


def _count(text: str, word: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


def _text_before(lines: list[Line], index: int) -> _Prefix:
    """The paragraph's text on the lines before ``index``, hyphenated words joined again."""
    element = lines[index].element
    parts = []
    for line in reversed(lines[:index]):
        if line.element is not element:
            break
        parts.insert(0, line.text)
    text = ""
    for part in parts:
        stripped = part.rstrip()
        text += stripped[:-1] if stripped.endswith(_HYPHENS) else part + " "
    return _Prefix(text)


def _broken_word(line: Line, following: Line | None) -> str:
    """The whole word broken at the end of a hyphenated line."""
    head = _WORD.findall(line.text.rstrip()[:-1])
    tail = _WORD.findall(following.text) if following else []
    return (head[-1] if head else "") + (tail[0] if tail else "")


def _unhyphenate(word_with_hyphens: str) -> str:
    return word_with_hyphens.replace(SOFT_HYPHEN, "")


def _edit_word(element, word: str, occurrence: int, change: Callable[[str], str]) -> _Edit | None:
    """Change the ``occurrence``-th (from 0) appearance of ``word`` (soft hyphens aside) in the
    element's text; None if it is not there or the change changes nothing."""
    pattern = re.compile(rf"(?<![\w{SOFT_HYPHEN}])" + f"{SOFT_HYPHEN}?".join(map(re.escape, word))
                         + rf"(?![\w{SOFT_HYPHEN}])")
    seen = 0
    for node, attribute in _text_nodes(element):
        text = getattr(node, attribute)
        for match in pattern.finditer(text or ""):
            if seen == occurrence:
                changed = change(match.group(0))
                if changed == match.group(0):
                    return None
                setattr(node, attribute, text[:match.start()] + changed + text[match.end():])
                return _Edit(node, attribute, text)
            seen += 1
    return None


def _text_nodes(element) -> Iterator[tuple[object, str]]:
    """(node, 'text' or 'tail') in document order, as itertext() reads them."""
    yield element, "text"
    for child in element:
        yield from _text_nodes(child)
        yield child, "tail"
