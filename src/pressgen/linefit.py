"""A second look at WeasyPrint's line breaks, fixed in the document and laid out again.

WeasyPrint breaks lines first-fit: it fills a line, breaks at the last soft
hyphen that fits, and never looks back. It has no `hyphenate-limit-lines`
and no way to prefer a break (WeasyPrint 70). Two faults a sub-editor
rejects are found in its laid-out lines:

- a hyphen ladder: a third hyphenated line in a row. The word broken at the
  end of the third line loses its soft hyphens and moves to the next line
  whole;
- a word broken across pages: the last line of a page ends with a hyphen and
  the reader turns the page for the rest of the word. That word, too, loses
  its soft hyphens;
- a loose line: justified with word spaces more than LOOSE times their
  normal width, because the next line starts with a name, which
  hyphenate.py keeps whole. As a last resort that one name gets its
  syllable breaks.

Each fix edits the parsed document (the text of the paragraph's elements),
and the document is laid out again, LAYOUTS times at most. Half the shipped
PDFs need a second layout; README's Speed section gives the cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .hyphenate import SOFT_HYPHEN, is_address

LADDER = 2
"""Most hyphenated lines in a row."""
LOOSE = 2.0
"""Word spaces wider than this many normal spaces make a loose line."""
PAGE_END_LOOSE = 3.0
"""A page's last line with word spaces wider than this is worse than a word broken across the
pages: the justification limit of the house style (bench/spacing.py, JUSTIFICATION_TARGET)."""
LAYOUTS = 4
"""Most layouts of one document, the first included: each mends what the one before showed."""

_HYPHENS = ("\u2010", "-")
"""What WeasyPrint draws at a soft hyphen's break (hyphenate-character, U+2010 by default)."""
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Line:
    element: object
    """The block element (an ElementTree node of the parsed page) whose text the line holds."""
    text: str
    lang: str | None
    """The line's language (its element's BCP-47 lang)."""
    hyphenated: bool
    spacing: float
    """Word space over the font's normal space: 1.0 in a line set tight or ragged."""
    page: int = 0
    """The page it is on, from 0."""


def laid_out_lines(document) -> Iterator[Line]:
    """The lines of a rendered WeasyPrint document, in reading order."""
    from weasyprint.formatting_structure import boxes

    def walk(box):
        if isinstance(box, boxes.MarginBox):
            return  # the running headline and the footer: not the text's lines
        if isinstance(box, boxes.LineBox):
            yield box
            return
        for child in getattr(box, "children", ()):
            yield from walk(child)

    for number, page in enumerate(document.pages):
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
            yield Line(line.element, text, line.style["lang"], text.rstrip().endswith(_HYPHENS), spacing, number)


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


def settle(render: Callable[[], object], hyphenate_name: Callable[[str, str], str]) -> object:
    """Lay the document out with ``render()``, mending its hyphen ladders, its words broken
    across pages and its loose lines before a name, LAYOUTS layouts at most.
    ``hyphenate_name(word, lang)`` gives a name's soft hyphens. A word is mended once: a
    ladder's word made whole is never given its breaks back to mend a loose line, which would
    rebuild the ladder. A word at a page's end made whole that leaves the page's last line
    looser than PAGE_END_LOOSE gets its breaks back: the broken word is the lesser evil (a
    Kazakh line went to 4.1 times its word space)."""
    document = render()
    mended: set[tuple[int, str, int]] = set()
    turned: list[tuple[object, str, int, str]] = []
    """The words at a page's end made whole in the last round, with their soft hyphens."""
    for round_ in range(LAYOUTS - 1):
        lines = list(laid_out_lines(document))
        changed = False
        for element, word, occurrence, original in turned:
            if _loose_page_end(lines, element):
                changed |= _edit_word(element, word, occurrence, lambda _, original=original: original) is not None
        turned = []
        ladders, names = _faults(lines, hyphenate_name)
        for element, name, occurrence, broken in names:
            if (id(element), name, occurrence) not in mended:
                mended.add((id(element), name, occurrence))
                changed |= _edit_word(element, name, occurrence, lambda _, broken=broken: broken) is not None
        for element, (word, occurrence), at_page_end in ladders:
            # A page's end is mended only while a layout is left to see whether it loosened the line.
            if (id(element), word, occurrence) not in mended and not (at_page_end and round_ == LAYOUTS - 2):
                mended.add((id(element), word, occurrence))
                original = _edit_word(element, word, occurrence, _unhyphenate, before=True)
                if original is not None:
                    changed = True
                    if at_page_end:
                        turned.append((element, word, occurrence, original))
        if not changed:
            break
        document = render()
    return document


def _loose_page_end(lines: list[Line], element) -> bool:
    """Whether a page's last line of ``element``, continued on the next page, is too loose."""
    return any(line.element is element and following.element is element and following.page != line.page
               and line.spacing > PAGE_END_LOOSE for line, following in zip(lines, lines[1:]))


def _faults(lines: list[Line], hyphenate_name):
    """The words to make whole (ladders and words broken across pages; one per paragraph:
    mending one re-flows the lines after it) and the loose lines before a name of a layout."""
    ladders, names, run = [], [], 0
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        following = lines[index + 1] if index + 1 < len(lines) else None
        same = previous is not None and previous.element is line.element
        run = (run + 1 if same else 1) if line.hyphenated else 0
        across_pages = line.hyphenated and following is not None and following.element is line.element \
            and following.page != line.page
        if line.hyphenated and (run > LADDER or across_pages) \
                and not any(element is line.element for element, _, _ in ladders):
            word = _broken_word(line, following)
            if word:
                ladders.append((line.element, (word, _count(_text_before(lines, index), word)), run <= LADDER))
            run = 0
        elif line.spacing > LOOSE and following is not None and following.element is line.element and line.lang:
            first = _WORD.match(following.text.lstrip())
            name = first.group(0) if first else ""
            # Kazinform.com’da starts with a capital too: an address is never broken.
            if name[:1].isupper() and not is_address(following.text.split(maxsplit=1)[0]):
                broken = hyphenate_name(name, line.lang)
                if broken != name:
                    occurrence = _count(_text_before(lines, index) + line.text, name)
                    names.append((line.element, name, occurrence, broken))
    return ladders, names


def _count(text: str, word: str) -> int:
    """How often ``word`` stands in ``text`` as a whole word.

    >>> _count("Ankara'da Ankara ve Ankaralı", "Ankara")
    2
    """
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


def _text_before(lines: list[Line], index: int) -> str:
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
    return text


def _broken_word(line: Line, following: Line | None) -> str:
    """The whole word broken at the end of a hyphenated line."""
    head = _WORD.findall(line.text.rstrip()[:-1])
    tail = _WORD.findall(following.text) if following else []
    return (head[-1] if head else "") + (tail[0] if tail else "")


def _unhyphenate(word_with_hyphens: str) -> str:
    return word_with_hyphens.replace(SOFT_HYPHEN, "")


def _edit_word(element, word: str, occurrence: int, change: Callable[[str], str], before: bool = False) -> str | None:
    """Change the ``occurrence``-th (from 0) appearance of ``word`` (soft hyphens aside) in the
    element's text; None if it is not there or the change changes nothing. Returns the new
    text, or with ``before`` the text it replaced.

    >>> from xml.etree.ElementTree import fromstring
    >>> p = fromstring("<p><b>iş bir\u00adliği</b> ve bir\u00adliği</p>")
    >>> _edit_word(p, "birliği", 1, _unhyphenate)
    'birliği'
    >>> p.find("b").text, p.find("b").tail
    ('iş bir\xadliği', ' ve birliği')
    """
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
                return match.group(0) if before else changed
            seen += 1
    return None


def _text_nodes(element) -> Iterator[tuple[object, str]]:
    """(node, 'text' or 'tail') in document order, as itertext() reads them."""
    yield element, "text"
    for child in element:
        yield from _text_nodes(child)
        yield child, "tail"
