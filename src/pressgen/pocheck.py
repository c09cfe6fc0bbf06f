"""What GNU msgfmt rejects and Babel does not: a strict lexer for .po files.

Babel's read_po is lenient. It reads '#|' lines as plain comments, so a broken
previous msgid passes; it keeps the first of two entries with the same msgctxt
and msgid; it takes `msgstr "Bakü` (no closing quote) as 'Bak'; it leaves an
escape it does not know, such as `\\q`, in the text. GNU `msgfmt --check`, and
with it msgcat, msgmerge, Poedit and Weblate, reject such a file. This module
lexes the file's lines as GNU gettext does and reports what it would reject,
so that every reader of a catalog (build, check, status, catalogs update)
refuses the same files GNU gettext refuses.

It is pure Python and reads each line once: an archive has 20,000 catalogs.

It is stricter than GNU gettext where Babel would read a valid file wrongly:
several strings on one line (`msgid "a" "b"`), a backslash at the end of a line,
octal and hex escapes (`\\101`, `\\x41`), text after the closing quote. No tool
pressgen's translators use writes these.

Format strings (`#, python-format`) are not checked here: qa.py compares the
placeholders of each translation, message by message, and reports a dropped or
added one without making the rest of the catalog unreadable.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .conflicts import conflict_line, conflicts_below

_UNTERMINATED = "a string that does not end on its line"
REWRITE = "run `pressgen catalogs update` to rewrite it, or fix the quotes"

_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(\[(\d+)\])?")
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
CONFLICT_LEFT = "a merge conflict is left in this catalog (<<<<<<< … >>>>>>>)"


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


@dataclass
class Problem:
    line: int
    """1-based."""
    message: str
    mendable: bool = False
    """Rewriting the file repairs it (`catalogs update` reads the file anyway): a broken
    '#|' line (the previous msgid, only shown to the translator), or an obsolete entry
    that repeats an active one."""
    conflict: bool = False
    """What a merge conflict left (read_catalog says the way out that fits the file in git)."""


@dataclass
class _Entry:
    line: int
    obsolete: bool
    flags: set[str]
    fields: dict[str, list[str]] = field(default_factory=dict)
    """'msgctxt', 'msgid', 'msgid_plural', 'msgstr', 'msgstr[0]', … -> string parts."""
    plural_lines: dict[int, int] = field(default_factory=dict)
    broken: bool = False
    """A line of it has a problem already: report no more about it."""

    def text(self, name: str) -> str | None:
        parts = self.fields.get(name)
        return None if parts is None else "".join(parts)


_PLAIN_STRING = re.compile(r'"([^"\\]*)"')
_ESCAPED_STRING = re.compile(r'"((?:[^"\\]|\\[ntbrfva\\"])*)"')
_ESCAPE = re.compile(r"\\(.)")


def _unescape(match: re.Match) -> str:
    return _ESCAPES[match.group(1)]


def lex_string(text: str) -> tuple[str | None, str, str]:
    """Lex one PO string at the start of `text`: (value or None, problem, rest of the line)."""
    if not text.startswith('"'):
        return None, "expected a string in double quotes", text
    simple = _PLAIN_STRING.match(text)
    if simple:  # most strings have no escape: one regex instead of a loop per character
        return simple.group(1), "", text[simple.end():]
    escaped = _ESCAPED_STRING.match(text)
    if escaped:  # and most others only valid ones (a header's \n, a quote's \"): a regex too
        return _ESCAPE.sub(_unescape, escaped.group(1)), "", text[escaped.end():]
    out = []
    i, n = 1, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            return "".join(out), "", text[i + 1:]
        if c == "\\":
            if i + 1 >= n:
                return None, "a backslash at the end of the line; write '\\\\' for a backslash, or end the string with '\"'", ""
            e = text[i + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
                continue
            if e in "01234567x":
                return None, (f"the escape '\\{e}…' is valid C but pressgen (Babel) does not read it; "
                              "write the character itself"), ""
            return None, f"invalid escape '\\{e}'; write '\\\\' for a backslash, '\\\"' for a quote, '\\n' for a line break", ""
        out.append(c)
        i += 1
    return None, _UNTERMINATED, ""


_ONE_PLAIN_STRING = re.compile(r'"([^"\\]*)"\s*')


def _line_strings(text: str) -> tuple[str | None, str]:
    """The one string a keyword or continuation line holds: (value, '') or (None, problem)."""
    alone = _ONE_PLAIN_STRING.fullmatch(text)
    if alone:  # most lines: one string without escapes, nothing after it
        return alone.group(1), ""
    value, problem, rest = lex_string(text)
    if problem:
        return None, problem
    rest = rest.strip()
    several = False
    while rest.startswith('"'):
        _, problem, rest = lex_string(rest)
        if problem:
            return None, problem
        several, rest = True, rest.strip()
    if rest:
        return None, (f"text after the closing quote ('{rest[:20]}'); write a quote inside the text as \\\"")
    if several:
        return None, "several strings on one line, which Babel misreads; put each string on a line of its own"
    return value, ""


def _field_line(data: bytes, name: str) -> int | None:
    """The line of the header field ``name``, looked for in the file's first lines."""
    start = f'"{name}:'.encode()
    for number, line in enumerate(data.split(b"\n")[:60], 1):
        if line.startswith(start):
            return number
    return None


def _plural_forms_line(data: bytes) -> int | None:
    """The line of the header's Plural-Forms field (poheader.plural_forms_line, on the bytes)."""
    from .poheader import plural_forms_line

    return plural_forms_line(data.decode("utf-8", "replace").replace("\r\n", "\n"))


def check_po(data: bytes) -> list[Problem]:
    """Problems GNU msgfmt --check would report (and a few it would miss but Babel misreads).

    >>> for problem in check_po('msgid ""\\nmsgstr ""\\n\\nmsgid "a"\\nmsgstr "Bakü\\n'.encode()):
    ...     print(problem.line, problem.message)
    5 invalid msgstr line: a string that does not end on its line; end it with '"' (write a quote inside the text as \\")
    """
    if data.startswith(b"\xef\xbb\xbf"):
        # GNU msgfmt 0.21 stops at it with a bare 'syntax error'; Babel would read it as a keyword.
        return [Problem(1, "the file starts with a byte order mark (BOM), which GNU gettext rejects; save it as "
                        "UTF-8 without BOM (in Notepad: 'UTF-8', not 'UTF-8 with BOM')")]
    conflict = conflict_line(data)
    if conflict:
        # Two translators' edits of one message, merged: GNU msgfmt would say 'syntax error' at
        # the marker, and pressgen said 'unknown keyword' (a trial).
        return [Problem(conflict, f"{CONFLICT_LEFT}: keep the translation you want between the marker lines and "
                        "delete the rest" + conflicts_below(data), conflict=True)]
    match = _CHARSET.search(data)
    charset = match.group(1).decode("ascii") if match else "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        return []  # read_catalog reports an unknown charset with its own message
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8") and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            # Every byte decodes in a single-byte charset, so the texts would silently
            # read as 'ÄŸ' and match no msgid: say what happened instead.
            line = data[:match.start()].count(b"\n") + 1 if match else 1
            return [Problem(line, f"the header says charset={charset}, but the file is UTF-8 (as Poedit and "
                            "Weblate save it); change the header to charset=UTF-8")]
    problems: list[Problem] = []
    entries: list[_Entry] = []
    state = "idle"  # idle, prev, msgctxt, msgid, msgid_plural, msgstr
    current: _Entry | None = None
    flags: set[str] = set()
    last: str | None = None  # the field continuation strings add to
    prev_seen: list[str] = []
    first_broken: bool | None = None  # whether the file's first entry, most often its header, has a problem

    def add(line: int, message: str, mendable: bool = False) -> None:
        problems.append(Problem(line, message, mendable))
        if current is not None and not mendable:
            current.broken = True

    def finish() -> None:
        nonlocal current, state, last, flags, first_broken
        if current is not None:
            if first_broken is None and not current.obsolete:
                first_broken = current.broken
            if current.broken:
                pass
            elif state in ("msgctxt", "prev") or "msgid" not in current.fields:
                add(current.line, "an entry without msgid; every entry needs msgid and msgstr")
            elif "msgstr" not in current.fields and not current.plural_lines:
                what = "msgstr[0]" if "msgid_plural" in current.fields else "msgstr"
                add(current.line, f"msgid without {what}; add `{what} \"\"` under it")
            else:
                entries.append(current)
            # The flags read so far were this entry's; the next entry's come after.
            flags = set()
        current, state, last = None, "idle", None

    lines = data.split(b"\n")
    # A UTF-8 file is decoded, and searched for control characters, in one go; line by line
    # only when it has a problem to place on its line. (UTF-8 never has a newline byte
    # inside a character, so its lines are the same either way.)
    decoded = _utf8_lines(data) if charset.lower().replace("_", "-") in ("utf-8", "utf8") else None
    for number, raw in enumerate(lines, 1):
        if decoded is not None:
            line = decoded[number - 1]
        else:
            try:
                line = raw.decode(charset)
            except UnicodeDecodeError:
                add(number, f"not valid {charset}; save the file as {charset}")
                continue
        control = _CONTROL.search(line.removesuffix("\r")) if decoded is None else None
        if control:
            # GNU gettext lets most of them through; a page, a feed or a mail header does not.
            add(number, f"a control character (U+{ord(control.group()):04X}) at column {control.start() + 1}; "
                "delete it: a translation holds plain text (it often comes from copying out of a word processor)")
            continue
        line = line.strip()
        if not line:
            continue
        obsolete = previous = False
        if line.startswith("#"):
            if line.startswith("#~"):
                obsolete, line = True, line[2:]
                if line.startswith("|"):
                    previous, line = True, line[1:]
                line = line.strip()
                if not line:
                    continue
            elif line.startswith("#|"):
                previous, line = True, line[2:].strip()
                if not line:
                    continue
            else:
                if state == "prev":
                    add(number, "a comment between '#|' lines and their msgid; '#,' flags and other comments "
                                "go above the '#|' lines")
                    continue
                finish()
                if line.startswith("#,"):
                    flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
                continue
        what = "'#|' line" if previous else "string line"
        # A keyword, or a continuation string.
        if line.startswith('"'):
            value, problem = _line_strings(line)
            if problem:
                add(number, f"invalid {what}: {_fix(problem, previous)}", previous)
                continue
            if previous:
                if state != "prev" or current is None or current.obsolete != obsolete:
                    add(number, f"invalid '#|' line: a string without '#| msgid' above it; {REWRITE}", True)
                continue
            if current is None or last is None or state == "prev":
                add(number, "a string that belongs to no msgid or msgstr; "
                            "a string continues the keyword line above it")
                continue
            if current.obsolete != obsolete:
                add(number, "inconsistent use of '#~': mark every line of an obsolete entry with '#~', or none")
                continue
            current.fields[last].append(value)
            continue
        word, _, rest = line.partition(" ")
        keyword = _KEYWORD.fullmatch(word)
        if keyword is None:
            shown = re.split(r'[\s"]', line, maxsplit=1)[0][:30]
            if previous:
                add(number, f"invalid '#|' line: unknown keyword '{shown}'; {REWRITE}", True)
            elif re.match(r"(msgctxt|msgid_plural|msgid|msgstr)\b", line):
                add(number, f"'{shown}' must be followed by one space and its string in quotes")
            else:
                add(number, f"unknown keyword '{shown}'; a line is a comment (#), a keyword "
                            "(msgctxt, msgid, msgid_plural, msgstr) or a string in quotes")
            continue
        name, index = keyword.group(1), keyword.group(3)
        value, problem = _line_strings(rest.strip())
        if not previous:
            what = f"{word} line"
        if problem:
            add(number, f"invalid {what}: {_fix(problem, previous)}", previous)
        if previous:
            if name == "msgstr" or index is not None:
                add(number, f"invalid '#|' line: '{word}' has no previous form; {REWRITE}", True)
                continue
            # #| msgctxt, #| msgid, #| msgid_plural: in that order, right above the entry.
            order = ["msgctxt", "msgid", "msgid_plural"]
            if state != "prev":
                if state not in ("idle", "msgstr"):
                    add(number, f"invalid '#|' line inside an entry; {REWRITE}", True)
                    continue
                finish()
                current = _Entry(number, obsolete, flags)
                state, prev_seen = "prev", []
            if name in prev_seen or (prev_seen and order.index(name) < order.index(prev_seen[-1])) or \
                    (name == "msgid_plural" and "msgid" not in prev_seen):
                add(number, f"invalid '#|' line: '#| {name}' out of order (msgctxt, msgid, msgid_plural); {REWRITE}", True)
                continue
            prev_seen.append(name)
            continue
        # The entry that '#|' lines opened, or a msgid under its msgctxt, goes on.
        goes_on = (state == "prev" and name in ("msgctxt", "msgid")) or (state == "msgctxt" and name == "msgid")
        if state == "prev" and not goes_on:
            add(number, f"'{word}' right after '#|' lines; the entry starts with msgctxt or msgid")
            current, state = None, "idle"
            continue
        if name in ("msgctxt", "msgid"):
            if not goes_on:
                finish()
                current = _Entry(number, obsolete, flags)
            assert current is not None
            if current.obsolete != obsolete:
                add(number, "inconsistent use of '#~': mark every line of an obsolete entry with '#~', or none")
            current.fields[name] = [value or ""]
            if name == "msgid":
                current.line = number
            state, last = name, name
            continue
        if current is None or state in ("idle", "msgctxt"):
            add(number, f"'{word}' without a msgid above it; every entry needs msgid then msgstr")
            continue
        if current.obsolete != obsolete:
            add(number, "inconsistent use of '#~': mark every line of an obsolete entry with '#~', or none")
        if name == "msgid_plural":
            if state != "msgid":
                add(number, "msgid_plural must follow the msgid")
                continue
            current.fields[name] = [value or ""]
            state, last = name, name
            continue
        # msgstr, msgstr[N]
        plural = "msgid_plural" in current.fields
        if index is None:
            if plural:
                add(number, "an entry with msgid_plural needs msgstr[0], msgstr[1], …, not msgstr")
                continue
            if state == "msgstr":
                add(number, "a second msgstr in one entry; keep one")
                continue
        else:
            if not plural:
                add(number, f"'{word}' without msgid_plural; write msgstr, or add the msgid_plural")
                continue
            expected = len(current.plural_lines)
            if int(index) != expected or index != str(int(index)):
                add(number, f"'{word}' where msgstr[{expected}] belongs; number the plural forms 0, 1, 2, …")
                continue
            current.plural_lines[int(index)] = number
        current.fields[word] = [value or ""]
        state, last = "msgstr", word
    if state == "prev":
        add(current.line if current else len(lines), f"invalid '#|' lines at the end of the file, with no entry under them; {REWRITE}", True)
        current, state = None, "idle"
    finish()
    # A header with a broken line is reported at that line, not as missing too (and first, at line
    # 1: a trial's translator was sent to `catalogs update`, which left the file as it was).
    problems.extend(_check_entries(entries, header_broken=bool(first_broken), data=data))
    return sorted(problems, key=lambda p: p.line)


def _utf8_lines(data: bytes) -> list[str] | None:
    """The file's lines if it is valid UTF-8 without control characters (a CR before the
    newline apart), else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text.replace("\r\n", "\n")):
        return None
    return text.split("\n")


def _check_entries(entries: list[_Entry], header_broken: bool = False, data: bytes = b"") -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str | None, str], _Entry] = {}
    header = None
    for entry in entries:
        key = (entry.text("msgctxt"), entry.text("msgid") or "")
        if key in seen:
            first = seen[key]
            context = f" (msgctxt '{key[0]}')" if key[0] is not None else ""
            shown = _short(key[1]) if key[1] else '"" (the header)'
            if first.obsolete != entry.obsolete:
                problems.append(Problem(entry.line, f"msgid {shown}{context} is both an entry and an obsolete "
                                                    f"one (#~, line {(entry if entry.obsolete else first).line}); "
                                                    "run `pressgen catalogs update` to drop the obsolete one",
                                        mendable=True))
            else:
                problems.append(Problem(entry.line, f"msgid {shown}{context} again (first on line {first.line}); "
                                                    "keep one of the two entries"))
            continue
        seen[key] = entry
        if key == (None, "") and not entry.obsolete:
            header = entry
    if header is None and header_broken:
        return problems
    if header is None:
        problems.append(Problem(1, 'no header entry (msgid "" with Language, Content-Type and Plural-Forms); '
                                   "copy it from another catalog, or run `pressgen catalogs update`", mendable=True))
        return problems
    fields = dict(line.split(":", 1) for line in (header.text("msgstr") or "").split("\n") if ":" in line)
    forms = fields.get("Plural-Forms")
    # At the line you would fix (a trial was sent to the header's first line); `catalogs update`
    # writes the language's own in its place (mendable), as each message says.
    at = (_plural_forms_line(data) or header.line) if forms is not None else header.line
    nplurals = 2
    plurals = [e for e in entries if "msgid_plural" in e.fields and not e.obsolete]
    if forms is not None:
        found = re.search(r"nplurals\s*=\s*(\d+)", forms)
        expression = re.search(r"plural\s*=\s*([^;]+)", forms)
        if not found or not expression:
            problems.append(Problem(at, f"Plural-Forms '{forms.strip()}' lacks nplurals= or plural=; "
                                        "run `pressgen catalogs update` to write it", mendable=True))
        else:
            nplurals = int(found.group(1))
            try:
                worst = _largest_form(expression.group(1).strip())
            except (ValueError, ZeroDivisionError, RecursionError):
                problems.append(Problem(at, f"invalid plural expression '{expression.group(1).strip()}' in "
                                            "Plural-Forms; run `pressgen catalogs update` to write it", mendable=True))
            else:
                if worst >= nplurals:
                    problems.append(Problem(at, f"Plural-Forms says nplurals={nplurals}, but its expression gives "
                                                f"form {worst} too (forms are counted from 0); run `pressgen catalogs "
                                                "update` to write it", mendable=True))
    elif plurals:
        problems.append(Problem(plurals[0].line, "a message has plural forms but the header has no Plural-Forms; "
                                                 "run `pressgen catalogs update` to add it"))
    for name in ("POT-Creation-Date", "PO-Revision-Date"):
        value = fields.get(name, "").strip()
        stamp = re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}[+-](\d{2})(\d{2})", value)
        if stamp and (int(stamp.group(1)) >= 24 or int(stamp.group(2)) >= 60):
            # Babel's reader stopped at it with Python's words, at a line of its own (a trial).
            problems.append(Problem(_field_line(data, name) or header.line, f"{name} '{value}' has a time zone offset of "
                                    f"a day or more, which pressgen (Babel) cannot read; write it as +HHMM, such as "
                                    f"'{value[:16]}+0300'"))
    for entry in entries:
        if entry.obsolete or entry is header:
            continue
        if "msgid_plural" in entry.fields and len(entry.plural_lines) != nplurals:
            problems.append(Problem(entry.line, f"{len(entry.plural_lines)} plural form(s) where Plural-Forms says "
                                                f"nplurals={nplurals}; give msgstr[0] to msgstr[{nplurals - 1}]"))
            continue
        if "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy entries out, unchecked
        msgid = entry.text("msgid") or ""
        sources = [("msgid", msgid)] + ([("msgid_plural", entry.text("msgid_plural"))] if "msgid_plural" in entry.fields else [])
        targets = [(name, entry.text(name)) for name in entry.fields if name.startswith("msgstr")]
        if not all(text for _, text in targets):
            continue  # untranslated
        for other, text in sources[1:] + targets:
            for edge, test in (("begin", str.startswith), ("end", str.endswith)):
                if test(msgid, "\n") != test(text, "\n"):
                    problems.append(Problem(entry.line, f"'msgid' and '{other}' do not both {edge} with a line break "
                                                        f"(\\n); make the translation {edge} as the source does"))
    return problems


@lru_cache(maxsize=64)
def _largest_form(expression: str) -> int:
    """The largest plural form a Plural-Forms expression gives for 0–999: computed once per
    expression, as every catalog of a language has the same (an archive has thousands)."""
    plural = gettext.c2py(expression)
    return max(plural(n) for n in range(1000))


def _fix(problem: str, previous: bool) -> str:
    """What to do about a string that does not lex."""
    if problem == _UNTERMINATED:
        return f"{problem}; {REWRITE}" if previous else f"{problem}; end it with '\"' (write a quote inside the text as \\\")"
    return f"{problem}; or run `pressgen catalogs update` to rewrite it" if previous else problem


def _short(text: str) -> str:
    text = text.replace("\n", "\\n")
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"
