"""A catalog's header entry (msgid ""): what the office fills in, what a translator's tool keeps.

Babel writes its placeholders into a new catalog (`Project-Id-Version: PROJECT VERSION`,
`Last-Translator: FULL NAME <EMAIL@ADDRESS>`, `PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE`),
which GNU `msgfmt --check` warns about, and its writer drops every header it does not know
(Poedit's X-Generator, Weblate's X-…). pressgen writes the header itself, as GNU msgmerge
merges one:

- the source's fields come from the office: Project-Id-Version, Report-Msgid-Bugs-To and
  POT-Creation-Date, which changes only when the catalog's messages do, so that an update
  with nothing new writes nothing;
- the translator's fields (PO-Revision-Date, Last-Translator, Language-Team) are filled only
  while they are missing or a placeholder, and every other field is kept as written, in its
  order, with Plural-Forms from CLDR.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from babel.dates import format_datetime
from babel.messages.pofile import normalize

from .pocheck import lex_string

OFFICE_FIELDS = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date")
TRANSLATOR_FIELDS = ("PO-Revision-Date", "Last-Translator", "Language-Team")
_PLACEHOLDERS = ("PROJECT", "VERSION", "FULL NAME", "EMAIL@ADDRESS", "YEAR-MO-DA", "LL@li.org")


@dataclass(frozen=True)
class HeaderFill:
    """What the office says about one catalog."""

    project: str
    """Project-Id-Version: 'TÜRKSOY turksoy-isesco-agreement', or the organisations for messages.po."""
    contact: str
    """Report-Msgid-Bugs-To: where a translator reports a problem with a source text ('' if nobody)."""
    team: str
    """Language-Team until a translator's tool sets one: 'Turkish <press@turksoy.example>'."""
    replaces_team: tuple[str, ...]
    """The Language-Team pressgen wrote before it knew the office ('Turkish') or while the office
    had `init`'s example contact ('Turkish <press@example.org>'): replaced too."""


def creation_stamp(now: dt.datetime | None = None) -> str:
    """POT-Creation-Date as gettext writes it; SOURCE_DATE_EPOCH, if set, is the time (as in
    reproducible builds), else ``now``, else the current time.

    >>> creation_stamp(dt.datetime(2026, 12, 4, 18, 40, 59, tzinfo=dt.timezone.utc))
    '2026-12-04 18:40+0000'
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    # The pattern Babel's own catalog writer uses for this field (CLDR, fixed English locale).
    return format_datetime(now, "yyyy-MM-dd HH:mmZ", locale="en")


def _is_placeholder(value: str | None) -> bool:
    return value is None or not value.strip() or any(p in value for p in _PLACEHOLDERS)


def merge_header(written: list[tuple[str, str]], babel: list[tuple[str, str]], fill: HeaderFill,
                 created: str) -> list[tuple[str, str]]:
    """The header to write: ``written`` (the file's, [] for a new catalog) in its order, the
    office's fields from ``fill`` with ``created`` as POT-Creation-Date, and from ``babel``
    (Catalog.mime_headers) Plural-Forms and whatever the file lacks.

    >>> fill = HeaderFill("OC hello", "press@office.example", "Turkish <press@office.example>", ("Turkish",))
    >>> poedit = [("Project-Id-Version", "hello VERSION"), ("Last-Translator", "Ayşe <a@x.example>"),
    ...           ("Language-Team", "Turkish"), ("X-Generator", "Poedit 3.4.2")]
    >>> for name, value in merge_header(poedit, [("Plural-Forms", "nplurals=2; plural=(n != 1);")], fill,
    ...                                 "2026-12-04 18:40+0000"):
    ...     print(f"{name}: {value}")
    Project-Id-Version: OC hello
    Last-Translator: Ayşe <a@x.example>
    Language-Team: Turkish <press@office.example>
    X-Generator: Poedit 3.4.2
    Plural-Forms: nplurals=2; plural=(n != 1);
    Report-Msgid-Bugs-To: press@office.example
    POT-Creation-Date: 2026-12-04 18:40+0000
    PO-Revision-Date: 2026-12-04 18:40+0000
    """
    fields = dict(written)
    own = {"Project-Id-Version": fill.project, "Report-Msgid-Bugs-To": fill.contact, "POT-Creation-Date": created}
    defaults = {"PO-Revision-Date": created, "Last-Translator": "", "Language-Team": fill.team}
    for name, value in babel:
        # Generated-By names the tool that made the catalog: a file from Poedit does not get one.
        # Babel's ends with a line break, which wrote an empty header line that the next update,
        # reading the field back without it, removed again: a diff of nothing.
        if name == "Plural-Forms" or (name not in fields and not (written and name == "Generated-By")):
            fields[name] = value.rstrip("\n")
    fields.update(own)
    for name, value in defaults.items():
        current = fields.get(name)
        if _is_placeholder(current) or (name == "Language-Team" and current in fill.replaces_team):
            fields[name] = value
    return list(fields.items())


_HEADER_MSGID = re.compile(r'^msgid ""', re.MULTILINE)


def read_header(text: str) -> list[tuple[str, str]]:
    r"""The header fields of a catalog that passed pocheck, in the order written ([] if none).

    >>> read_header('#| msgid ""\n\nmsgid ""\nmsgstr ""\n"Language: kk\\n"\n\nmsgid "a"\nmsgstr ""\n"X: y\\n"\n')
    [('Language', 'kk')]
    """
    # The header is the first entry, which a blank line ends: the messages after it are not split.
    start = _HEADER_MSGID.search(text)
    end = text.find("\n\n", start.end()) if start else -1
    lines = (text[:end] if end >= 0 else text).split("\n")
    span = _header_span(lines)
    if span is None:
        return []
    lines = lines[span[0]:span[1]]
    strings = [line for line in lines[1:] if line.startswith('"')]
    value = "".join(lex_string(line.strip())[0] or "" for line in strings)
    fields = []
    for line in value.split("\n"):
        name, colon, field_value = line.partition(":")
        if colon and name.strip():
            fields.append((name.strip(), field_value.strip()))
    return fields


def plural_forms_line(text: str) -> int | None:
    r"""The line of the header's Plural-Forms field, or None: looked for in the lines the header
    entry and the comments above it may take (the first msgctxt, or other keyword, ends them).

    >>> plural_forms_line('msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
    4
    """
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith('"Plural-Forms:'):
            return number
        if not line.startswith(("#", '"', "msgid", "msgstr")) and line.strip():
            return None
    return None


def with_header(text: str, fields: list[tuple[str, str]], width: int) -> str:
    """``text`` (a whole .po file) with its header entry's msgstr written from ``fields``,
    wrapped as Babel wraps it; the rest of the file, comments included, stays as it is."""
    lines = text.split("\n")
    span = _header_span(lines)
    if span is None:
        return text
    value = "".join(f"{name}: {field_value}\n" for name, field_value in fields)
    entry = ['msgid ""', "msgstr " + normalize(value, width=width)]
    return "\n".join(lines[:span[0]] + "\n".join(entry).split("\n") + lines[span[1]:])


def _header_span(lines: list[str]) -> tuple[int, int] | None:
    """Lines [start, end) of the header entry, from its msgid to its msgstr's last string."""
    index = 0
    while index < len(lines) and (lines[index].startswith("#") or not lines[index].strip()):
        index += 1
    if index == len(lines) or lines[index].strip() != 'msgid ""':
        return None
    start, index = index, index + 1
    while index < len(lines) and lines[index].startswith('"'):
        if lines[index].strip() != '""':
            return None  # a msgid that is not empty: a message, not the header
        index += 1
    if index == len(lines) or not lines[index].startswith("msgstr "):
        return None
    index += 1
    while index < len(lines) and lines[index].startswith('"'):
        index += 1
    return start, index
