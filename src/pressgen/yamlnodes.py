"""YAML read as a tree of nodes that remember their line, never as raw Python values.

PyYAML's loader applies YAML 1.1 resolution: ``10:30`` becomes 630, ``no``
becomes False, ``2011-04-08`` a date. We compose the node tree instead, keep
every scalar as the text the user typed, and let the schema (records.py,
config.py) decide what the text must be. Marks are 0-based; lines here are
1-based, as editors show them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from .conflicts import conflict_left
from .errors import Collector, PressgenError, PressgenErrors
from .projectfiles import RELEASES_DIR


# libyaml's C parser composes ~10x faster and keeps the same marks; PyYAML without
# libyaml falls back to the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1_000_000
"""A record or config is a few kilobytes; past this, something else was saved under its name."""

# Control characters other than tab and line breaks, and the non-characters: invisible in
# an editor, they break PDFs, feeds and mail headers (they come from word processors).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
"""C0 and C1 controls, and the invisible ones that reorder or split the text a reader sees (the
bidi overrides, embeddings and isolates, a zero-width space): a trial's U+202E printed a headline
backwards in the PDF ('no loohcs remmus snepo')."""


@dataclass(frozen=True)
class Scalar:
    text: str
    line: int
    quoted: bool = False
    """True for '…' and "…" scalars: `""` is then an empty text, not a missing value."""
    literal: bool = False
    """True for a literal block (`|`), whose line breaks the writer meant: a signature
    block, an address. Other scalars fold theirs into spaces."""

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Sequence:
    items: list["Node"]
    line: int


@dataclass(frozen=True)
class Mapping:
    items: dict[str, "Node"]
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    """The line of each key, for errors about the key itself."""


Node = Union[Scalar, Sequence, Mapping]

_KINDS = {Scalar: "text", Sequence: "a list", Mapping: "a mapping"}


def describe(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"'{node.text}'"
    return _KINDS[type(node)]


def load_yaml(path: Path, text: str | None = None, errors: Collector | None = None) -> Node | None:
    """Compose ``path`` into nodes; a syntax error raises PressgenError.

    A duplicate key (or a merge key) is added to ``errors`` and the first value is
    kept, so the file's other problems are found in the same run; without
    ``errors`` it raises."""
    if text is None:
        text = read_text(path)
    # Before YAML reads it: a conflict's markers read as YAML errors whose hints led away from it.
    conflict = conflict_left(path, text, f"{RELEASES_DIR}/{path.name}" if path.parent.name == RELEASES_DIR else path.name)
    if conflict is not None:
        raise PressgenError(path, *conflict)
    _refuse_control_characters(path, text)
    refuse_aliases(path, text)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = error_mark(exc)
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        hint = _hint(problem, text, mark, exc.context)
        # Text not indented under its '- >' is read as more fields, which PyYAML may find wrong
        # lines later: the line to fix is the text's.
        if mark is not None and (unindented := _unindented_block(text, mark.line)):
            line, header = unindented
            hint = (f"; the text under '{header}' must be indented further than that line: put spaces before "
                    "this line (and before the lines of text after it)")
        raise PressgenError(path, line, f"YAML syntax error: {problem}{hint}") from None
    except yaml.YAMLError as exc:
        raise PressgenError(path, None, f"YAML error: {exc}") from None
    if root is None:
        return None
    found = Collector()
    node = _convert(root, path, found)
    if errors is None:
        found.raise_if_any()
    else:
        errors.errors.extend(found.errors)
    return node


def read_text(path: Path) -> str:
    """A project file as text: UTF-8, of a sensible size, or an error naming the line."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PressgenError(path, None, f"is {size:,} bytes; a record or config is at most {MAX_FILE_BYTES:,} "
                            "(a press release is a few thousand): is this the right file?")
    return decode_utf8(path, path.read_bytes())


def decode_utf8(path: Path, data: bytes) -> str:
    """The text of a project file, or an error naming the line of its first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PressgenError(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
                            "save the file as UTF-8") from None


def _refuse_control_characters(path: Path, text: str) -> None:
    found = []
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines: it breaks at \v and \x1c too
        match = _CONTROL.search(line)
        if match:
            found.append(PressgenError(path, number, f"a control character (U+{ord(match.group()):04X}) at column "
                                       f"{match.start() + 1}; delete it: only tabs and line breaks may stand "
                                       "between the words (it often comes from copying out of a word processor)"))
    if len(found) == 1:
        raise found[0]
    if found:
        raise PressgenErrors(found)


def refuse_aliases(path: Path, text: str) -> None:
    """Aliases (*name) repeat a node; nested, a few lines expand to gigabytes. A record
    never needs one, so none is read."""
    if "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise PressgenError(path, event.start_mark.line + 1, f"an alias (*{event.anchor}) repeats another "
                                    "part of the file; pressgen does not read aliases: write the text out")
    except yaml.YAMLError:
        return  # compose reports the syntax error with its hint


_CORE = "tag:yaml.org,2002:"
_CORE_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")}


def _convert(node: yaml.Node, path: Path, errors: Collector) -> Node:
    line = node.start_mark.line + 1
    if node.tag not in _CORE_TAGS:
        # '!!python/object:…' or '!custom': silently dropping it would publish what follows it.
        tag = node.tag.replace(_CORE, "!!") if node.tag.startswith(_CORE) else node.tag
        errors.add(path, line, f"a YAML tag ({tag}) is not read; remove it: pressgen reads every value as "
                   "the text you typed")
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, line, quoted=node.style in ("'", '"', "|", ">"), literal=node.style == "|")
    if isinstance(node, yaml.SequenceNode):
        return Sequence([_convert(item, path, errors) for item in node.value], line)
    items: dict[str, Node] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            errors.add(path, key_line, "a key must be a plain word, not a list or mapping")
            continue
        key = key_node.value
        if key == "<<":
            errors.add(path, key_line, "merge keys (<<) are not supported; write the fields out")
            continue
        if key in items:
            errors.add(path, key_line, f"duplicate key '{key}' (first on line {key_lines[key]}); keep one")
            continue
        items[key] = _convert(value_node, path, errors)
        key_lines[key] = key_line
    return Mapping(items, line, key_lines)


FILL_IN = {
    "date": ("the release's date", "date: 2011-04-08"),
    "place": ("the city of the dateline", "place: Baku"),
    "headline": ("the release's headline", ""),
    "language": ("the language the record is written in", "language: en"),
    "style": ("the house style", "style: statement"),
    "organisation": ("the key of an organisation in pressgen.yaml", "organisation: turksoy"),
    "email": ("the contact's address", "email: press@example.org"),
}
"""What a field left empty takes (a required one, or a contact's email), and an example, for its message."""


def empty_field(key: str, examples: dict[str, str] | None = None) -> str:
    """The message of a field with nothing after its colon (``examples``: the project's own,
    by key, in place of FILL_IN's).

    >>> empty_field("date")
    "'date' is empty; write the release's date after the colon, as in 'date: 2011-04-08'"
    >>> empty_field("organisation", {"organisation": "organisation: kazinform"}).endswith("as in 'organisation: kazinform'")
    True
    """
    what, example = FILL_IN.get(key, ("its value", ""))
    example = (examples or {}).get(key, example)
    return f"'{key}' is empty; write {what} after the colon" + (f", as in '{example}'" if example else "")


class Reader:
    """Typed access to a node tree, collecting every problem with its line.

    Each getter returns None after recording an error, so a schema can read a
    whole file and report all of its problems in one run.
    """

    def __init__(self, path: Path, errors: Collector, examples: dict[str, str] | None = None):
        self.path = path
        self.errors = errors
        self.examples = examples
        """What an empty field's message gives as an example, by key, where the project has its own (empty_field)."""

    def error(self, line: int | None, message: str) -> None:
        self.errors.add(self.path, line, message)

    def mapping(self, node: Node | None, what: str, line: int = 1, example: str = "name: …") -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        if node is None:
            self.error(line, f"{what} is empty; expected fields such as '{example}'")
        else:
            self.error(node.line, f"{what} must be a mapping of 'field: value' lines, got {describe(node)}")
        return None

    def check_keys(self, mapping: Mapping, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        allowed = required + optional
        for key, line in mapping.key_lines.items():
            if key not in allowed:
                hint = closest(key, allowed)
                self.error(line, f"unknown field '{key}' in {where}" + (f"; did you mean '{hint}'?" if hint else f"; expected one of: {', '.join(allowed)}"))
        for key in required:
            if key not in mapping.items:
                self.error(mapping.line, f"{where} is missing the required field '{key}'")
            elif _is_null(mapping.items[key]):  # 'headline:' with nothing after it
                self.error(mapping.key_lines[key], empty_field(key, self.examples))

    def text(self, mapping: Mapping, key: str, breaks: bool = False) -> Scalar | None:
        """A field that must be text; None when absent (check_keys reports required ones).

        With ``breaks``, a literal block (`|`) keeps its line breaks (see fold)."""
        node = mapping.items.get(key)
        if node is None or _is_null(node):
            return None
        if not isinstance(node, Scalar):
            self.error(node.line, f"'{key}' must be text, got {describe(node)}")
            return None
        text = fold(node, breaks)
        if not text:
            self.error(node.line, empty_field(key, self.examples))
            return None
        return Scalar(text, node.line, node.quoted, node.literal)

    def list(self, mapping: Mapping, key: str) -> list[Node]:
        node = mapping.items.get(key)
        if node is None or _is_null(node):
            return []
        if not isinstance(node, Sequence):
            # 'tags: music, dance': the list it means, in brackets.
            # One item alone too, of a list of words ('former_keys: ala', a trial's): a list of one.
            hint = (f"; write {key}: [{', '.join(part.strip() for part in node.text.split(','))}]"
                    if isinstance(node, Scalar) and not node.quoted
                    and ("," in node.text or (key in _WORD_LISTS and node.text.strip())) else "")
            self.error(node.line, f"'{key}' must be a list (lines starting with '- '), got {describe(node)}{hint}")
            return []
        return node.items

    def date(self, mapping: Mapping, key: str) -> dt.date | None:
        node = self.text(mapping, key)
        if node is None:
            return None
        return parse_date(node.text, lambda message: self.error(node.line, f"'{key}' {message}"))

    def choice(self, mapping: Mapping, key: str, choices: tuple[str, ...]) -> str | None:
        node = self.text(mapping, key)
        if node is None:
            return None
        if node.text not in choices:
            self.error(node.line, f"'{key}' must be one of {', '.join(choices)}, got '{node.text}'")
            return None
        return node.text


def fold(scalar: Scalar, breaks: bool = False) -> str:
    """A scalar's text as one message for translators: runs of spaces and line breaks
    folded into one space. With ``breaks``, a literal block keeps a line break between
    its lines (blank lines included, as one), which catalogs carry as '\\n'.

    >>> fold(Scalar("Düsen  Kaseinov\\n\\nSecretary General\\n", 1, literal=True), breaks=True)
    'Düsen Kaseinov\\nSecretary General'
    >>> fold(Scalar("Düsen Kaseinov\\nSecretary General", 1))
    'Düsen Kaseinov Secretary General'
    """
    if breaks and scalar.literal:
        return "\n".join(" ".join(line.split()) for line in scalar.text.splitlines() if line.strip())
    return " ".join(scalar.text.split())


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.is_null


DATE_PATTERN = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

_WORD_LISTS = ("tags", "languages", "former_ids", "former_keys")
"""The fields that list words (not contacts or paragraphs): one word alone is a list of one."""


def error_mark(exc: yaml.MarkedYAMLError):
    """Where a YAML error is, for the person who made it. PyYAML marks the point where it
    gave up: for a quote or bracket left open, or a line that is not 'key: value' (a
    merge conflict's '<<<<<<<'), that is a later line, often the end of the file; the
    context mark is the line that opened it.

    >>> error_mark(_error("a: 1\\n<<<<<<< HEAD\\nb: 2\\n")).line + 1
    2
    >>> error_mark(_error("a: 1\\nb: c: d\\n")).line + 1
    2

    A tab is where it is, though PyYAML was scanning a paragraph that began lines above:

    >>> error_mark(_error("body:\\n  - >\\n    text\\n\\t- quote: x\\n")).line + 1
    4
    """
    context = exc.context or ""
    if "tab character" in (exc.problem or ""):
        return exc.problem_mark or exc.context_mark
    if exc.context_mark and context.startswith(("while scanning", "while parsing a flow")):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _error(text: str) -> yaml.MarkedYAMLError:
    try:
        yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return exc
    raise AssertionError("valid YAML")


def _hint(problem: str, text: str, mark, context: str | None = None) -> str:
    """What to do about PyYAML's commonest complaints, in a comms officer's words."""
    if context == "while scanning a quoted scalar":
        return ("; a text on this line opens a quote that is never closed: end it with the same mark (\" or ') "
                "it starts with")
    if "cannot start any token" in problem and mark is not None and text[mark.index:mark.index + 1] == "\t":
        return " (a tab); indent with spaces, not tabs"
    # PyYAML names the tab itself when it breaks a block's indentation ('found a tab character
    # where an indentation space is expected', '… that violates indentation').
    if "tab character" in problem:
        return "; indent with spaces, not tabs"
    if "found another document" in problem:
        # A '---' line, as a copy of two records pasted into one file has (a trial's message said nothing more).
        return ("; a '---' line starts a second record in this file, which holds one release: delete the "
                "'---' line, and move what follows it to a record of its own")
    if "mapping values are not allowed" in problem:
        return "; check the indentation of this line, or put quotes around a text that contains ': '"
    if problem == "did not find expected ',' or ']'" and mark is not None \
            and (item := _QUOTED_ITEM.search(text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else "")):
        whole, other = item[1].strip(), "'" if item[2] == '"' else '"'
        fix = f" ({other}{whole}{other})" if other not in whole else ""
        return ("; an item in [ ] that starts with a quotation mark ends where that mark closes: put the whole item "
                f"in quotes of the other kind{fix}, or write the list one '- ' item a line")
    if problem == "did not find expected node content" and mark is not None \
            and _EMPTY_FLOW_ITEM.search(text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""):
        return "; a list in [ ] has an empty item (a comma with nothing before it): remove that comma"
    if problem.startswith(("did not find expected key", "did not find expected '-'")) and mark is not None \
            and (fix := _quoted_whole(text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else "")):
        return f"; a text that starts with a quotation mark ends where that mark closes: put the whole text in quotes: {fix}"
    # PyYAML's words for a line indented unlike those above it ('expected <block end>, but found
    # '<block sequence start>'', 'did not find expected key').
    if problem.startswith(("expected <block end>", "did not find expected key", "did not find expected '-'")):
        return ("; this line is indented unlike the lines above it: line it up with them (the fields of one "
                "level start in the same column, and so do the '- ' of a list's items)")
    return ""


_QUOTED_ITEM = re.compile(r"""[\[,]\s*((['"])[^'"]*\2[^,\]]+)""")
"""An item of a [ ] list that starts with a quotation and goes on after it ('kültür' haftası)."""
_EMPTY_FLOW_ITEM = re.compile(r"[\[,]\s*,")


def _unindented_block(text: str, line: int) -> tuple[int, str] | None:
    r"""(line, '- >') of the first line of a folded or literal text that is not indented past
    its header, at or up to ten lines above ``line`` (0-based), where PyYAML gave up; else None.

    >>> _unindented_block("body:\n  - >\n  Text: of it.\ntags: [a]\n", 3)
    (3, '- >')
    """
    for number in range(min(line, len(text.splitlines()) - 1), max(0, line - 10), -1):
        if header := _block_above(text, number):
            return number + 1, header
    return None


_BLOCK_HEADER = re.compile(r"( *)((?:- +|[\w-]+: +)?[>|][+-]?[0-9]?) *(?:#.*)?")


def _block_above(text: str, line: int) -> str:
    r"""'- >' when the line above ``line`` opens a folded or literal text ('- >', 'note: |')
    and ``line`` is not indented past it, which YAML then reads as a key without its colon.

    >>> _block_above("body:\n  - >\n  Text of it.\n", 2)
    '- >'
    >>> _block_above("body:\n  - >\n    Text of it.\n", 2)
    ''
    """
    lines = text.splitlines()
    if not 1 <= line < len(lines):
        return ""
    return _unindented_below(lines[line - 1], lines[line])


def _unindented_below(above: str, below: str) -> str:
    """'- >' when ``above`` opens a folded or literal text and ``below`` is not indented past it."""
    header = _BLOCK_HEADER.fullmatch(above)
    if header and below.strip() and len(below) - len(below.lstrip(" ")) <= len(header[1]):
        return header[2]
    return ""


def unindented_blocks(text: str) -> list[tuple[int, str]]:
    r"""(line, '- >') of each text whose first line is not indented past its '- >' (or
    'summary: >'): valid YAML when the line reads as a field ('Note: …' at the margin), which
    the record then gets as an empty text and an unknown field.

    >>> unindented_blocks("summary: >\nNote: the text.\nbody:\n  - >\n    Indented.\n")
    [(2, 'summary: >')]
    """
    lines = text.splitlines()
    return [(number + 1, header) for number in range(1, len(lines))
            if (header := _unindented_below(lines[number - 1], lines[number]))]


_QUOTED_THEN_MORE = re.compile(r"""(\s*(?:-\s+)?(?:[\w-]+:\s+)?)((?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")[ \t]*[^\s#].*?)(\s+#.*)?""")


def _quoted_whole(line: str) -> str:
    """The line with its text in quotes whole, when the text starts with a quotation (a Turkish
    headline often does) and goes on after it, which YAML reads as a quoted text and then
    something it cannot place; else ''.

    >>> print(_quoted_whole("headline: 'Kültür haftası' İstanbul'da açıldı"))
    headline: "'Kültür haftası' İstanbul'da açıldı"
    >>> print(_quoted_whole('  - "Nevruz" bayramı'))
      - '"Nevruz" bayramı'
    >>> _quoted_whole("headline: 'Kültür haftası'  # a comment")
    ''
    >>> print(_quoted_whole("headline: 'Kültür haftası' açıldı  # to check"))
    headline: "'Kültür haftası' açıldı"  # to check
    """
    match = _QUOTED_THEN_MORE.fullmatch(line.rstrip())
    if not match:
        return ""
    value, comment = match[2], match[3] or ""
    if '"' not in value and "\\" not in value:
        return f'{match[1]}"{value}"{comment}'
    return match[1] + "'" + value.replace("'", "''") + "'" + comment


def parse_date(text: str, fail) -> dt.date | None:
    """Parse YYYY-MM-DD strictly; call ``fail(message)`` and return None otherwise.

    >>> parse_date("2011-04-08", print)
    datetime.date(2011, 4, 8)
    >>> parse_date("2011-13-08", print)
    must be YYYY-MM-DD, got '2011-13-08'
    >>> parse_date("2024-02-30", print)
    must be a real day, got '2024-02-30': that month has no day 30
    >>> parse_date("2026-12-8", print)  # a digit short, or the day first as Turkey and Kazakhstan write it
    must be YYYY-MM-DD, got '2026-12-8'; write '2026-12-08'
    >>> parse_date("08.12.2026", print)
    must be YYYY-MM-DD, got '08.12.2026'; write '2026-12-08'
    """
    match = DATE_PATTERN.fullmatch(text)
    try:
        if match:
            return dt.date(*map(int, match.groups()))
    except ValueError:
        if 1 <= int(match.group(2)) <= 12:
            fail(f"must be a real day, got '{text}': that month has no day {int(match.group(3))}")
            return None
    fail(f"must be YYYY-MM-DD, got '{text}'" + (f"; write '{meant}'" if (meant := _date_meant(text)) else ""))
    return None


def _date_meant(text: str) -> str | None:
    """The day a date written a digit short (2026-12-8) or day first with dots (08.12.2026, as
    Turkish and Kazakh offices write it) means, as YYYY-MM-DD; None for anything less certain."""
    short = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    parts = short.groups() if short else dotted.groups()[::-1] if dotted else None
    try:
        return dt.date(*map(int, parts)).isoformat() if parts else None
    except ValueError:
        return None


def closest(word: str, candidates: tuple[str, ...]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return matches[0] if matches else None
