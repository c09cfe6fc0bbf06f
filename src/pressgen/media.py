"""The media list: who receives releases, read from a CSV a spreadsheet or CRM exports.

    name,email,outlet,language,lists,opt_out
    Ayşe Yılmaz,ayse.yilmaz@gazete.example,Gazete,tr,culture;turkey,
    John Smith,john.smith@wire.example,Wire,en,culture,2026-11-03

A journalist who asked not to be mailed stays on the list (so the office knows
not to add them again) with 'yes' or the date of the request in opt_out:
`mail` skips them and names them.

Both `pressgen check` (build.py) and `pressgen mail` read it through
load_media_list, so that whatever would stop `mail` is found by `check` first,
before anything is written or sent. Every problem is a PressgenError with a
file and a line: a bad row names its line of the media list; a media_list path
that is not a file of the project names its line of pressgen.yaml.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .conflicts import conflict_left
from .errors import Collector, PressgenError
from .model import Config
from .projectfiles import relative_name
from .yamlnodes import Mapping, load_yaml

COLUMNS = ("name", "email", "outlet", "language", "lists")
OPT_OUT = "opt_out"
"""The optional column of those who asked not to be mailed: 'yes' or the date they asked."""
_READ = COLUMNS + (OPT_OUT,)
_LABELS = {"name": "the name", "email": "the email address", "outlet": "the outlet", "language": "the language",
           "lists": "the lists", OPT_OUT: "opt_out"}
_STAYS_IN = ("", "no")
# RFC 5322's dot-atom on both sides, in ASCII: what every SMTP server takes and what the
# email package writes into To without quoting. It refuses quoted local parts and
# address literals ('a@[1.2.3.4]'), which the header writer would mangle, and letters
# beyond ASCII, which need SMTPUTF8 end to end.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
ADDRESS_PATTERN = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_LOOSE_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
# What str.splitlines() splits on: any of these in a header starts a new line for some reader.
_LINE_BREAKS = set("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_EXCEL = "save the file as UTF-8 (in Excel: CSV UTF-8)"
_NEWLINE = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    outlet: str
    language: str
    lists: tuple[str, ...]
    row: int
    """Line of the media list where the journalist's row starts, for messages about them."""
    opted_out: str | None = None
    """'yes' or the date (YYYY-MM-DD) the journalist asked not to be mailed; None: they receive."""


def load_media_list(path: Path, config: Config) -> list[Recipient]:
    """Read a CSV as exported from a spreadsheet or CRM; every bad row is reported with its line.

    Raises PressgenError for anything that would keep a message from being composed or sent:
    a path outside the project, a file that is not UTF-8 CSV, a bad row."""
    path = _media_file(path, config)
    data = path.read_bytes()
    text = _decode(path, data)
    conflict = conflict_left(path, text, relative_name(config.root, path))
    if conflict is not None:
        raise PressgenError(path, *conflict)
    rows = _rows(path, text)
    if not rows:
        raise PressgenError(path, 1, f"the media list is empty; it needs a header row: {','.join(COLUMNS)}")
    header_line, header_fields = rows[0]
    header = [_column(name) for name in header_fields]
    missing = [c for c in ("name", "email", "language") if c not in header]
    if missing:
        raise PressgenError(path, header_line,
                            f"the header lacks the column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    for name in header:
        # Columns pressgen does not read are the office's (notes, phone); one a letter away
        # from one it reads is a slip that would leave, say, every list empty.
        near = difflib.get_close_matches(name, [c for c in _READ if c not in header], n=1, cutoff=0.75)
        if name not in _READ and near:
            raise PressgenError(path, header_line, f"the header has a column '{name}'; did you mean '{near[0]}'? "
                                f"(pressgen reads {', '.join(_READ)}, and leaves other columns alone)")
    errors = Collector()
    recipients: list[Recipient] = []
    seen: dict[str, int] = {}
    for line, fields in rows[1:]:
        if len(fields) > len(header):
            # The values of this row would be read under the wrong columns.
            errors.add(path, line, f"has {len(fields)} fields where the header has {len(header)}; put a field that "
                       "holds a comma in quotes (\"Smith, John\"), or name the extra column in the header")
            continue
        # Columns we do not read (notes, phone numbers) may hold anything, line breaks included.
        values = {key: value.strip() for key, value in zip(header, fields) if key in _READ}
        if not any(values.values()):
            continue  # a spreadsheet's trailing ',,,,' row: nobody there
        problem = next((p for p in (_control(values.get(c, ""), c) for c in _READ) if p), None)
        if problem:
            errors.add(path, line, problem)
            continue
        email, language = values.get("email", ""), values.get("language", "")
        problem = _address_problem(email, values.get("name", ""))
        if problem:
            errors.add(path, line, problem)
            continue
        if language not in config.languages:
            errors.add(path, line, f"unknown language '{language}' for {email}; use one of {', '.join(config.languages)}")
            continue
        if email.lower() in seen:
            errors.add(path, line, f"{email} is already on line {seen[email.lower()]}; list each journalist once")
            continue
        opt_out = values.get(OPT_OUT, "")
        if opt_out.lower() not in _STAYS_IN + ("yes",) and not _is_date(opt_out):
            errors.add(path, line, f"opt_out of {email} must be empty, 'no', 'yes' or the date they asked not to "
                       f"be mailed (YYYY-MM-DD), got '{opt_out}'")
            continue
        seen[email.lower()] = line
        lists = tuple(t.strip() for t in re.split(r"[;,|]", values.get("lists", "")) if t.strip())
        recipients.append(Recipient(values.get("name", ""), email, values.get("outlet", ""), language, lists, line,
                                    opted_out=None if opt_out.lower() in _STAYS_IN else opt_out))
    errors.raise_if_any()
    if not recipients:
        # As a filtered spreadsheet exports it: `mail` said 'Nothing to send.', which reads as
        # 'everyone already has it' (found by a trial).
        raise PressgenError(path, header_line, "the media list has no journalists, only its header; export it again "
                            "with the journalists' rows (a spreadsheet filtered to nobody exports the header alone)")
    return recipients


@dataclass(frozen=True)
class ListSlip:
    """A list name only one journalist's row has, a letter or two from one other rows share:
    `--list film` leaves out the journalist whose row says 'flim'."""

    row: int
    """The line of that journalist's row."""
    name: str
    """The list name as the row writes it."""
    meant: str
    """The list name other rows share, nearest to it."""
    others: int
    """How many rows have ``meant``."""

    def warning(self, media_list: Path, root: Path) -> str:
        return PressgenError(media_list, self.row, (
            f"the list '{self.name}' is on this row alone, and '{self.meant}' on {self.others} other rows; did you "
            f"mean '{self.meant}'? `--list {self.meant}` leaves this journalist out: correct it in the lists column "
            f"(or, for a list of its own, give it a name further from '{self.meant}')")).format(root)


def misspelt_lists(recipients: list[Recipient]) -> list[ListSlip]:
    """The list names that look like slips for another: on one row only, one or two letters
    (or only capitals, or the dot of a Turkish i) from a name two or more other rows have.

    `--list` takes a journalist whose row has the list's name letter for letter, so a slip
    drops them from it without a word (a trial's `flim` among a dozen `film`). Who opted out
    is never mailed: their lists leave nobody out, and are not counted."""
    rows: dict[str, list[Recipient]] = {}
    for recipient in recipients:
        for name in dict.fromkeys(recipient.lists) if not recipient.opted_out else ():
            rows.setdefault(name, []).append(recipient)
    shared = {name: len(on) for name, on in rows.items() if len(on) > 1}
    slips = []
    for name, on in rows.items():
        if len(on) > 1:
            continue
        near = [(distance, -count, other) for other, count in shared.items()
                if other not in on[0].lists and (distance := _list_distance(name, other)) is not None]
        if near:
            _, count, meant = min(near)
            slips.append(ListSlip(on[0].row, name, meant, -count))
    return sorted(slips, key=lambda slip: (slip.row, slip.name))


def _list_distance(name: str, other: str) -> int | None:
    """How many letters apart two list names are, if near enough to be one mistyped: any
    difference of capitals alone (Turkish İ, I, ı and i alike), one letter in short names,
    two from five letters on; names of one or two letters (tr, en) only by their capitals.

    >>> [_list_distance("flim", "film"), _list_distance("Film", "film"), _list_distance("KÜLTÜR", "kultur")]
    [1, 0, 2]
    >>> [_list_distance("SİNEMA", "sınema"), _list_distance("tv", "tr"), _list_distance("film", "museums")]
    [0, None, None]
    """
    a, b = _fold(name), _fold(other)
    distance = _edits(a, b)
    shorter = min(len(a), len(b))
    if distance == 0 or (shorter >= 3 and distance <= (1 if shorter <= 4 else 2)):
        return distance
    return None


def _fold(name: str) -> str:
    """A list name with capitals, accents' encoding and Turkish i's dot set aside, to compare."""
    return unicodedata.normalize("NFC", name).translate(_TURKISH_I).casefold()


_TURKISH_I = str.maketrans({"İ": "i", "I": "i", "ı": "i"})


def _edits(a: str, b: str) -> int:
    """Letters inserted, deleted, changed or swapped with the next (Damerau's optimal string
    alignment): 'flim' is one slip from 'film', not two.

    >>> _edits("flim", "film"), _edits("kültür", "kultur"), _edits("film", "")
    (1, 2, 4)
    """
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]


def _column(name: str) -> str:
    """A header cell as a column name. 'Opt-out' and 'opt out' are read as opt_out: a column
    misread there would mail those who asked not to be.

    >>> [_column(name) for name in ("Email", " Opt-out", "opt out", "OPT_OUT")]
    ['email', 'opt_out', 'opt_out', 'opt_out']
    """
    column = name.strip().lower()
    return OPT_OUT if re.sub(r"[\s-]+", "_", column) == OPT_OUT else column


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10  # YYYY-MM-DD only, not the week dates fromisoformat also reads


def _media_file(path: Path, config: Config) -> Path:
    """The media list, if it is a regular file inside the project (a link may point elsewhere
    inside it). The list is the office's own data: a path such as /etc/passwd, or a link out
    of the project, is a mistake in pressgen.yaml, and reading it would mail whatever it holds."""
    root = config.root.resolve()
    given = config.mail.media_list if config.mail else path.name
    target = path.resolve()
    problem = None
    if not target.is_relative_to(root):
        if path.is_symlink() or any(p.is_symlink() for p in path.parents if p.is_relative_to(root) and p != root):
            problem = (f"{given} is a link to {target}, outside the project; keep the media list itself "
                       "in the project folder")
        else:
            problem = f"{given} is outside the project; keep the media list in the project folder, e.g. media.csv"
    elif not target.exists():
        export = f"export the media list from your spreadsheet as CSV, with the columns {', '.join(COLUMNS)}"
        if path.is_symlink():
            problem = f"{given} is a link to {target}, which does not exist; {export}, and save it there"
        else:
            problem = f"there is no {given} in the project; {export}, and save it as {given}"
    elif target.is_dir():
        problem = f"{given} is a folder, not a CSV file"
    elif not target.is_file():
        # A pipe or a device: reading it could block or never end.
        problem = f"{given} is not a regular file; export the media list to a CSV file"
    if problem is None:
        return target
    where, line = _config_line(config)
    raise PressgenError(where, line, f"media_list: {problem}")


def _config_line(config: Config) -> tuple[Path | None, int | None]:
    """pressgen.yaml's line of 'media_list', or of 'mail' when the default media.csv applies."""
    if config.path is None:
        return None, None
    try:
        node = load_yaml(config.path)
    except PressgenError:
        return config.path, None
    if isinstance(node, Mapping) and "mail" in node.items:
        mail = node.items["mail"]
        if isinstance(mail, Mapping) and "media_list" in mail.key_lines:
            return config.path, mail.key_lines["media_list"]
        return config.path, node.key_lines.get("mail")
    return config.path, None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 text, with or without Excel's BOM; anything else is named, with where it starts."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise PressgenError(path, 1, "this is a spreadsheet workbook (.xlsx or .xls), not CSV; "
                            "export it as CSV (in Excel: Save As, CSV UTF-8)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PressgenError(path, 1, f"not UTF-8 (UTF-16, as Excel's 'Unicode Text' writes); {_EXCEL}")
    data = data.removeprefix(b"\xef\xbb\xbf")  # Excel's CSV UTF-8 starts with a BOM
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        breaks = list(_NEWLINE.finditer(data, 0, exc.start))
        line_start = breaks[-1].end() if breaks else 0
        # Everything before the first bad byte is valid UTF-8: count its characters.
        column = len(data[line_start:exc.start].decode("utf-8")) + 1
        raise PressgenError(path, len(breaks) + 1,
                            f"not UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); {_EXCEL}") from None


def _rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """Each non-empty CSV record with the line it starts on (a quoted cell may span lines)."""
    lines = _Lines(re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text))
    reader = csv.reader(lines, dialect=_dialect(lines.items))
    rows = []
    while True:
        start = lines.read + 1
        try:
            fields = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise PressgenError(path, start, f"not CSV ({exc}); export the media list as CSV") from None
        if fields:
            rows.append((start, fields))


def _dialect(lines: list[str]) -> type[csv.Dialect]:
    """The separator that splits the header into the expected columns: a spreadsheet in a
    Turkish or Kazakh locale exports with ';', some CRMs with tabs. csv.Sniffer guesses from
    the whole sample and raises on text it cannot make sense of; the header is enough."""
    header = next((line for line in lines if line.strip()), "")

    def columns(delimiter: str) -> int:
        fields = next(csv.reader([header], delimiter=delimiter), [])
        return sum(1 for f in fields if f.strip().lower() in COLUMNS)

    delimiter = max((",", ";", "\t"), key=columns)  # the first of equals: ','

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


class _Lines:
    """The lines of the file, counting how many the csv reader has taken."""

    def __init__(self, items: list[str]):
        self.items = items
        self.read = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.read >= len(self.items):
            raise StopIteration
        self.read += 1
        return self.items[self.read - 1]


def _control(value: str, column: str) -> str | None:
    """A line break or another control character would split or corrupt a mail header.

    >>> _control("Ayşe\\nYılmaz", "name")
    'the name contains a line break; keep each journalist on one line (a line break inside a cell, or a quote (") left open?)'
    >>> _control("Gazete\\x00", "outlet")
    'the outlet contains the control character U+0000; remove it in the spreadsheet'
    """
    for char in value:
        if char in _LINE_BREAKS:
            return (f"{_LABELS[column]} contains a line break; keep each journalist on one line "
                    "(a line break inside a cell, or a quote (\") left open?)")
        if unicodedata.category(char) == "Cc":
            return f"{_LABELS[column]} contains the control character U+{ord(char):04X}; remove it in the spreadsheet"
    return None


def is_address(email: str) -> bool:
    """An address every SMTP server takes and the email package writes without quoting.

    >>> is_address("press@mfa.example"), is_address("press@mfa"), is_address("basın@mfa.example")
    (True, False, False)
    """
    return ADDRESS_PATTERN.match(email) is not None


def _address_problem(email: str, name: str = "") -> str | None:
    """What is wrong with a row's address, and what to do about it; None if it is fine.

    >>> _address_problem("", "Emma Brown")
    "the email address is empty; fill in Emma Brown's address, or delete the row"
    >>> _address_problem("emma.brown @times.example")
    "'emma.brown @times.example' has a space in it; remove it: emma.brown@times.example"
    """
    if is_address(email):
        return None
    if not email:
        # A cell left empty in the spreadsheet: "'' is not an address" told a trial's office nothing.
        whose = f"{name}'s" if name else "the journalist's"
        return f"the email address is empty; fill in {whose} address, or delete the row"
    unspaced = "".join(char for char in email if not char.isspace())
    if unspaced != email and is_address(unspaced):
        # A space typed or pasted into the cell (a non-breaking one too, from a web page or a
        # word processor): the address without it is the one meant.
        spaces = sum(char.isspace() for char in email)
        return (f"'{email}' has {'a space' if spaces == 1 else 'spaces'} in it; "
                f"remove {'it' if spaces == 1 else 'them'}: {unspaced}")
    if _LOOSE_ADDRESS.match(email) and not email.isascii():
        local, _, domain = email.rpartition("@")
        if local.isascii():
            try:
                ascii_domain = domain.encode("idna").decode("ascii")
            except UnicodeError:
                pass
            else:
                return f"'{email}' has letters beyond ASCII in its domain; write it as {local}@{ascii_domain}"
        return f"'{email}' has letters beyond ASCII, which mail servers do not all accept; use an ASCII address"
    return f"'{email}' is not an email address; correct it to the journalist's address, such as name@outlet.example"
