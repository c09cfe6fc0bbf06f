"""releases/*.yaml -> Release records, every problem reported as file:line.

A record is written by comms staff in the release's source language. Scalars
are read as the text typed (see yamlnodes.py), so '10:30' stays a time and
'no' stays a word.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from .config import read_contacts
from .errors import Collector, PressgenError
from .projectfiles import RELEASES_DIR, OwnFiles, release_paths  # noqa: F401  (scaffold and build read them here)
from .images import check_image
from .lang import SCRIPT_NAMES, english_name, usual_script, written_script
from .model import (DEFAULT_KIND, KINDS, STYLES, Block, Config, Correction, Image, Paragraph, Quote, Release, Signature,
                    Source, Text)
from .yamlnodes import Mapping, Node, Reader, Scalar, Sequence, closest, fold, load_yaml, unindented_blocks

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESERVED_IDS = {"index": "the newsroom's front page (out/<language>/index.html)"}
"""Ids whose page would be a file of the newsroom's (the other pages are in folders of their own)."""

LIMITS = {"reference": 50, "headline": 300, "summary": 1_500, "dateline place": 100, "paragraph": 6_000, "quote": 3_000,
          "quote attribution": 300, "tag": 100,
          "signature name": 200, "signature title": 300, "note to editors": 1_500,
          "image caption": 500, "image alt text": 500, "image credit": 200}
"""The longest text of each field, in characters: far above any real release, low enough
that a pasted document is caught before it makes an 8 MB page or overflows a PDF."""
MAX_BLOCKS = 200
"""Paragraphs and quotes in one body."""
MAX_NOTES = 20
"""Notes to editors: a few short ones; more is a document of its own."""

REQUIRED = ("language", "style", "date", "place", "organisation", "headline", "body")
OPTIONAL = ("id", "kind", "reference", "summary", "image", "embargo", "tags", "signature", "notes_to_editors", "contacts",
            "version", "corrections", "withdrawn", "former_ids")
# The fields of the body's blocks and of a correction, (required, optional); schema.py
# must describe exactly these and REQUIRED/OPTIONAL (tests/test_schema.py).
QUOTE_KEYS = (("quote",), ("by", "note"))
PARAGRAPH_KEYS = (("paragraph",), ("note",))
CORRECTION_KEYS = (("date", "note"), ())
IMAGE_KEYS = (("file", "alt"), ("caption", "credit"))
SIGNATURE_KEYS = (("name",), ("title",))

EMBARGO_PATTERN = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})\s*(\S+)")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")


def load_records(root: Path, config: Config) -> tuple[list[Release], list[PressgenError]]:
    """Read every record; return the valid releases and the problems of the others.

    One bad record does not stop the others from building, so problems are
    returned rather than raised; `pressgen check` and `build` report them all.
    """
    releases: list[Release] = []
    problems: list[PressgenError] = []
    for path in release_paths(root):
        errors = Collector()
        try:
            release = load_record(path, config, errors)
        except PressgenError as exc:
            errors.extend(exc)
            release = None
        if errors:
            problems.extend(errors.errors)
            continue
        assert release is not None
        releases.append(release)
    clashes = id_clashes([(r.id, r.source.path, r.former_ids) for r in releases])
    for errors in clashes.values():
        problems.extend(errors)
    return [r for r in releases if r.id not in clashes], problems


def shared_ids(owners: list[tuple[str, Path]]) -> dict[str, list[PressgenError]]:
    """Ids that more than one record claims, with an error for each of those records.

    None of them is built: picking one would publish it over the other's outputs."""
    paths: dict[str, list[Path]] = {}
    for release_id, path in owners:
        paths.setdefault(release_id, []).append(path)
    clashes: dict[str, list[PressgenError]] = {}
    for release_id, claimants in paths.items():
        if len(claimants) < 2:
            continue
        for path in claimants:
            others = ", ".join(f"{RELEASES_DIR}/{p.name}" for p in claimants if p != path)
            line = key_line(path, "id")
            where = "" if line else " (from the file name)"
            clashes.setdefault(release_id, []).append(PressgenError(
                path, line or 1, f"release id '{release_id}'{where} is also used by {others}; give each release "
                "its own 'id' (neither is built until then)"))
    return clashes


def id_clashes(owners: list[tuple[str, Path, tuple[str, ...]]]) -> dict[str, list[PressgenError]]:
    """The ids (and former ids) that records claim against each other, with an error for each
    claimant: shared_ids and taken_former_ids of (id, record, former ids)."""
    clashes = shared_ids([(release_id, path) for release_id, path, _ in owners])
    for release_id, errors in taken_former_ids(owners).items():
        clashes.setdefault(release_id, []).extend(errors)
    return clashes


def taken_former_ids(owners: list[tuple[str, Path, tuple[str, ...]]]) -> dict[str, list[PressgenError]]:
    """Former ids (a renamed release's old pages) that are another release's id, or that more
    than one release names, with an error for each release naming them: its redirect would
    replace the other's page, or one of the two redirects the other."""
    paths = {release_id: path for release_id, path, _ in owners}
    named: dict[str, list[tuple[str, Path]]] = {}
    for release_id, path, former_ids in owners:
        for former in former_ids:
            named.setdefault(former, []).append((release_id, path))
    clashes: dict[str, list[PressgenError]] = {}
    for former, claimants in named.items():
        for release_id, path in claimants:
            line = key_line(path, "former_ids") or 1
            if former in paths:
                problem = (f"'former_ids' names '{former}', the id of {paths[former].name}; its pages cannot lead to "
                           "this release: remove it from 'former_ids', or give that release another id")
            elif len(claimants) > 1:
                others = ", ".join(p.name for _, p in claimants if p != path)
                problem = (f"'former_ids' names '{former}', which {others} names too; only one release can take over "
                           "its old pages (neither is built until then)")
            else:
                continue
            clashes.setdefault(release_id, []).append(PressgenError(path, line, problem))
    return clashes


@dataclass(frozen=True)
class Headline:
    """What the same-headline check reads of a record: check keeps it with the record's other
    findings (verdicts.py), so that an archive's records are not all read again for it."""

    id: str
    lang: str
    text: str
    """As the record has it, its spaces folded."""
    line: int | None
    date: dt.date
    path: Path

    @classmethod
    def of(cls, release: Release) -> "Headline":
        return cls(release.id, release.lang, " ".join(release.headline.value.split()), release.headline.line,
                   release.date, release.source.path)


def former_ids_with(release: Release, old: str) -> str:
    """The former_ids a renamed release's record needs, as a hint writes them: those it names,
    and ``old`` (`[first-id, old-id]`: a trial copied `[old-id]` over the list it had)."""
    return f"[{', '.join(dict.fromkeys((*release.former_ids, old)))}]"


def no_such_release(release_id: str, ids: list[str] | set[str], formers: dict[str, str] | None = None) -> str:
    """What a command asked for a release id no record has says: the id meant (a file's name,
    other capitals, a letter off), else a few of the ids there are (a trial's archive of 300
    releases printed them all on one line).

    >>> no_such_release("Hello.yaml", {"hello", "other"})
    "no release 'Hello.yaml'; did you mean 'hello'?"
    >>> no_such_release("x", [f"r{n:02d}" for n in range(12)])
    "no release 'x'; releases: r00, r01, r02, r03, r04, r05, r06, r07 and 4 more (their ids are the names of releases/*.yaml)"
    """
    known = sorted(ids)
    plain = release_id.strip().removeprefix(f"{RELEASES_DIR}/").removesuffix(".yaml").lower()
    if formers and plain in formers:
        # Renamed: the id it went out under (a trial asked for it by the id in the links sent).
        return f"no release '{release_id}'; it is '{formers[plain]}' now (its record names '{plain}' in former_ids)"
    meant = plain if plain in ids else closest(plain, tuple(known))
    if meant is not None:
        return f"no release '{release_id}'; did you mean '{meant}'?"
    if not known:
        return f"no release '{release_id}'; there is none yet (releases/ has no record)"
    shown = ", ".join(known[:8]) + (f" and {len(known) - 8} more (their ids are the names of releases/*.yaml)"
                                    if len(known) > 8 else "")
    return f"no release '{release_id}'; releases: {shown}"


def same_headlines(headlines: list[Headline], root: Path, online: frozenset[str] = frozenset()) -> list[str]:
    """A warning for each release whose headline another in the same language already has: a
    copied record whose headline was not changed, most often. The other is the one online
    (``online``: ids the last build put in out/), else the earlier by date, then by file name:
    a trial's warning named the release that had gone out, which the copy's name sorted after,
    and following it would have made its translations outdated. Not an error: a recurring
    headline ('Weekly briefing') may be meant."""
    first: dict[tuple[str, str], Headline] = {}
    warnings = []
    for headline in sorted(headlines, key=lambda h: (h.id not in online, h.date, h.path.name)):
        key = (headline.lang, headline.text)
        if key not in first:
            first[key] = headline
            continue
        earlier = first[key]
        warnings.append(f"{headline.path.relative_to(root).as_posix()}:{headline.line}: the same "
                        f"headline as {earlier.path.relative_to(root).as_posix()}:{earlier.line}; "
                        "journalists cannot tell the two releases apart: give each its own headline")
    return warnings


IN_QUOTATION_MARKS = "^[\"'“‘«„‹][\\s\\S]*[\"'”’»“›]\\.*$"
"""A quote typed with its marks, which the language's own would double: '“We are ready”',
'«Біз дайынбыз».' (a JavaScript regex too: the schema refuses it in editors)."""


def in_quotation_marks(text: str) -> bool:
    """
    >>> in_quotation_marks("“We are ready”"), in_quotation_marks("«Біз дайынбыз».")
    (True, True)
    >>> in_quotation_marks("'Nevruz' is a spring festival")
    False
    """
    return re.match(IN_QUOTATION_MARKS, text) is not None


def typed_marks(text: str) -> str:
    """The marks a quote in quotation marks was typed in, as a message shows them.

    >>> typed_marks("«Біз дайынбыз».")
    '«…»'
    """
    return f"{text[0]}…{text.rstrip('.')[-1]}"


def declared_id(path: Path) -> str:
    """The id a record gives itself ('id:' line), else its file name's: for a record too
    broken to read, whose published outputs must still be known."""
    line = key_line(path, "id")
    if line is not None:
        value = path.read_text(encoding="utf-8", errors="replace").splitlines()[line - 1].partition(":")[2]
        value = value.split("#")[0].strip().strip("'\"")
        if ID_PATTERN.match(value) and value not in RESERVED_IDS:
            return value
    return path.stem


def other_script_warnings(release: Release, root: Path, languages: tuple[str, ...]) -> list[str]:
    """A warning when a record's texts are in another alphabet than its language's: a record
    copied from another language's, whose `language:` was not changed (a Turkish text under
    `language: kk`). Its page would go out as Kazakh, and its translators be asked to translate
    it from Kazakh into Turkish. Its body tells, whatever a headline or place left from the copied
    record says (a trial's Cyrillic headline and place, left so, hid its Turkish body); then each
    of those is looked at on its own, and each tag, speaker and photo text (a trial's Kazakh tag
    'Turkiya' headed the tag's page in Latin letters). Not an error: an office may write a
    language in both alphabets."""
    expected = usual_script(release.lang)
    if expected not in SCRIPT_NAMES:
        return []
    where = release.source.path.relative_to(root).as_posix()
    name = english_name(release.lang)
    # Its body's first thousand characters tell: check looks at every record of an archive.
    sample, size = [], 0
    for block in release.body:
        sample.append(block.text.value)
        size += len(block.text.value)
        if size > 1000:
            break
    found = written_script(" ".join(sample), share=0.8)
    if found is not None and found != expected:
        others = [code for code in languages if usual_script(code) == found]
        instead = f" ({', '.join(others)})" if others else ""
        return [f"{where}:{key_line(release.source.path, 'language')}: 'language' is {release.lang} ({name}, written "
                f"in {SCRIPT_NAMES[expected]} letters), but the record's texts are in {SCRIPT_NAMES[found]} letters; if "
                f"it is written in another language, set `language:` to that one{instead}: its page would go out as "
                f"{name}, and translators would translate it as {name}"]
    warnings = []
    fields = [("headline", release.headline), ("summary", release.summary), ("place", release.place),
              *(("tag", tag) for tag in release.tags),
              *(("quote's speaker", block.by) for block in release.body if isinstance(block, Quote) and block.by),
              *((("photo's alt text", release.image.alt), ("photo's caption", release.image.caption))
                if release.image else ())]
    for field_name, text in fields:
        found = written_script(text.value, least=4) if text is not None else None
        if found is not None and found != expected:
            warnings.append(f"{where}:{text.line}: the {field_name} is in {SCRIPT_NAMES[found]} letters, and the record "
                            f"in {name} ({SCRIPT_NAMES[expected]} letters): left from a copied record, or typed in "
                            f"the other alphabet? Write it in {name}")
    return warnings


def far_date_warnings(path: Path, date: dt.date, root: Path, today: dt.date) -> list[str]:
    """A warning for a record (at ``path``) dated more than a year ahead: a slip of the year
    (2206 for 2026), which no check refuses, and which the newsroom, newest first, lists at its
    top for years."""
    if date <= today + dt.timedelta(days=366):
        return []
    years = date.year - today.year
    return [f"{path.relative_to(root).as_posix()}:{key_line(path, 'date')}: 'date' is {date.isoformat()}, {years} "
            "year(s) from today; check its year: the newsroom lists releases newest first, and would list this one at "
            "its top until then"]


LATEST_ZONE = dt.timezone(dt.timedelta(hours=14))
"""The last time zone to start a day (UTC+14): a day later than its date has come nowhere yet."""


def later_dates(release: Release) -> list[tuple[str, int | None, str]]:
    """The days a record says something already happened, for future_date_warnings: its
    withdrawal and each correction, as (what, line, YYYY-MM-DD)."""
    path = release.source.path
    dated = [("withdrawn", key_line(path, "withdrawn"), release.withdrawn.isoformat())] if release.withdrawn else []
    if release.corrections:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        start = key_line(path, "corrections") or 1
        for correction in release.corrections:
            day = correction.date.isoformat()
            line = next((n for n, text in enumerate(lines[start - 1:], start)
                         if re.search(rf"\bdate\s*:\s*['\"]?{day}", text)), start)
            dated.append(("correction", line, day))
    return dated


def future_date_warnings(path: Path, dated: list, root: Path, timezone: str | None = None,
                         now: dt.datetime | None = None) -> list[str]:
    """A withdrawal or correction dated after today (later_dates): a slip of the day (a trial's
    withdrawal notices, sent on the 7th, said 'withdrawn on December 8'). Today is the office's,
    in its ``timezone`` (as `pressgen new` and mail date what they write); without one, the
    latest on Earth, so that no office is told its today is ahead."""
    zone = zoneinfo.ZoneInfo(timezone) if timezone else LATEST_ZONE
    today = (now or dt.datetime.now(dt.timezone.utc)).astimezone(zone).date()
    anywhere = f" in the office ({timezone})" if timezone else " anywhere on Earth"
    warnings = []
    for what, line, day in dated:
        if dt.date.fromisoformat(day) <= today:
            continue
        where = f"{path.relative_to(root).as_posix()}:{line}"
        if what == "withdrawn":
            warnings.append(f"{where}: 'withdrawn' is {day}, a day that has not come yet{anywhere}; the "
                            f"release is withdrawn now, and its page and notices say it was withdrawn on {day}: "
                            "write the day it was withdrawn")
        else:
            warnings.append(f"{where}: a correction is dated {day}, a day that has not come yet{anywhere}; "
                            f"its page and mails say it was corrected on {day}: write the day of the correction")
    return warnings


def key_line(path: Path, key: str) -> int | None:
    """The line of a record's top-level ``key``, if it has one (for a valid record
    from the cache, whose lines were not kept)."""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
    return None


def _name_unindented_texts(errors: Collector, before: int, path: Path, text: str | None) -> None:
    """A text at the margin under its '- >' (or 'summary: >') that YAML read as a field of its
    own ('Opening hours: …'): what to fix is its indentation, not the empty text and the unknown
    field that the record's other errors (from ``before`` on) name at those two lines."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return
    for line, header in unindented_blocks(text):
        errors.errors[before:] = [e for e in errors.errors[before:] if e.line not in (line - 1, line)]
        errors.add(path, line, f"the text under '{header}' must be indented further than that line: put spaces "
                   "before this line (and before the lines of text after it)")


def load_record(path: Path, config: Config, errors: Collector, text: str | None = None,
                own: OwnFiles | None = None) -> Release | None:
    """Read one record; problems go to ``errors`` and the result is then None. ``own``: the
    check of links out of the project that a build keeps for all its records."""
    before = len(errors.errors)
    if text is None and (own or OwnFiles(config.root)).outside(path):
        errors.add(path, None, f"a link to {path.resolve()}, outside the project; pressgen reads only the "
                   "project's own files: copy the record here instead of linking to it")
        return None
    node = load_yaml(path, text, errors)
    written = text  # the record's text when given (a snapshot's); `text` is a reader below
    # The office's own organisation in an empty field's example, not the shipped office's.
    first = next(iter(config.organisations), None)
    reader = Reader(path, errors, {"organisation": f"organisation: {first}"} if first else None)
    record = reader.mapping(node, "the release record", example="headline: …")
    if record is None:
        return None
    reader.check_keys(record, "the release record", REQUIRED, OPTIONAL)

    release_id = _read_id(reader, record, path)
    language = _read_language(reader, record, config)
    style = reader.choice(record, "style", STYLES)
    kind = reader.choice(record, "kind", KINDS) if "kind" in record.items else DEFAULT_KIND.get(style or "")
    date = reader.date(record, "date")
    organisations = _read_organisations(reader, record, config)
    embargo = _read_embargo(reader, record)

    def text(key: str, context: str, note: str) -> Text | None:
        scalar = reader.text(record, key)
        return _limited(reader, Text(scalar.text, scalar.line, context, note)) if scalar else None

    reference = text("reference", "reference", "")
    headline = text("headline", "headline", "The release's headline.")
    summary = text("summary", "summary", "The standfirst: one or two sentences under the headline.")
    place = text("place", "dateline place", "The place in the dateline ('BAKU, April 8, 2011 –'); written in capitals by pressgen.")
    body = _read_body(reader, record, style)
    tags = []
    first_lines: dict[str, int] = {}
    for item in reader.list(record, "tags"):
        if isinstance(item, Scalar) and not item.is_null and item.text.strip():
            tag = " ".join(item.text.split())
            if tag.casefold() in first_lines:  # one tag page, listed twice on the release's page
                reader.error(item.line, f"the tag '{tag}' is there twice (first on line "
                             f"{first_lines[tag.casefold()]}); delete one")
                continue
            first_lines[tag.casefold()] = item.line
            tags.append(_limited(reader, Text(tag, item.line, "tag", "A keyword for search and PDF metadata.")))
        elif isinstance(item, Scalar):
            # An empty tag made a page with no name, and a catalog message no translator could fill.
            reader.error(item.line, "a tag is empty; write a word or phrase, or delete it")
        else:
            reader.error(item.line, "each tag must be a word or phrase")
    signature = _read_signature(reader, record)
    image = _read_image(reader, record, path.parent.parent)
    notes = _read_notes(reader, record)
    contacts = read_contacts(reader, record, "contact")
    version = _read_version(reader, record)
    withdrawn = reader.date(record, "withdrawn")
    if "withdrawn" in record.items and withdrawn is None and reader.text(record, "withdrawn") is None:
        reader.error(record.key_lines["withdrawn"], "'withdrawn' needs the date of the withdrawal, YYYY-MM-DD")
    elif withdrawn and date and withdrawn < date:
        reader.error(record.key_lines["withdrawn"],
                     f"'withdrawn' is {withdrawn.isoformat()}, before the release's date {date.isoformat()}; "
                     f"a release is withdrawn on its date or later: write 'withdrawn: {date.isoformat()}' for a "
                     "release withdrawn before its date came (or correct the date)")
    corrections = _read_corrections(reader, record)
    former_ids = _read_former_ids(reader, record, release_id)

    if len(errors.errors) > before:
        _name_unindented_texts(errors, before, path, written)
        # In the order of the file, as an editor shows it.
        errors.errors[before:] = sorted(errors.errors[before:], key=lambda e: e.line or 0)
        return None
    assert release_id and language and style and date and organisations and place and headline
    return Release(
        id=release_id,
        source=Source(path, record.line),
        lang=language,
        style=style,
        date=date,
        organisation=organisations[0],
        partners=tuple(organisations[1:]),
        place=place,
        headline=headline,
        summary=summary,
        body=tuple(body),
        embargo=embargo,
        tags=tuple(tags),
        former_ids=tuple(former_ids),
        contacts=tuple(contacts),
        version=version,
        corrections=tuple(corrections),
        withdrawn=withdrawn,
        kind=kind or DEFAULT_KIND[style],
        reference=reference.value if reference else None,
        signature=signature,
        image=image,
        notes_to_editors=tuple(notes),
    )


def _limited(reader: Reader, text: Text) -> Text:
    """``text``, with an error when it is longer than its field allows (LIMITS)."""
    limit = LIMITS.get(text.context or "")
    if limit and len(text.value) > limit:
        reader.error(text.line, f"this {text.context} is {len(text.value):,} characters long; a {text.context} is "
                     f"at most {limit:,}: shorten it")
    return text


def _read_image(reader: Reader, record: Mapping, root: Path) -> Image | None:
    if "image" not in record.items:
        return None
    entry = reader.mapping(record.items["image"], "'image'", record.key_lines["image"], example="file: images/…")
    if entry is None:
        return None
    reader.check_keys(entry, "'image'", *IMAGE_KEYS)
    file, alt = reader.text(entry, "file"), reader.text(entry, "alt")
    caption, credit = reader.text(entry, "caption"), reader.text(entry, "credit")
    if file is None or alt is None:
        return None
    found = check_image(root, file.text)
    if isinstance(found, str):
        reader.error(file.line, found)
        return None
    media_type, width, height = found

    def text(scalar: Scalar | None, context: str, note: str) -> Text | None:
        return _limited(reader, Text(scalar.text, scalar.line, context, note)) if scalar else None

    return Image(
        file.text, text(alt, "image alt text", "What the photo shows, for readers who cannot see it (the page's alt text)."),
        media_type, width, height,
        caption=text(caption, "image caption", "The caption printed under the photo."),
        credit=text(credit, "image credit", "Who took or owns the photo; printed after 'Photo:'."),
    )


def _read_notes(reader: Reader, record: Mapping) -> list[Text]:
    items = reader.list(record, "notes_to_editors")
    if len(items) > MAX_NOTES:
        reader.error(record.key_lines["notes_to_editors"], f"'notes_to_editors' has {len(items)} notes; a release "
                     f"has at most {MAX_NOTES}: link to a document with the rest")
        return []
    notes = []
    for item in items:
        if not isinstance(item, Scalar) or item.is_null or not item.text.strip():
            reader.error(item.line, "each note to editors must be a text (a line starting with '- ')")
            continue
        notes.append(_limited(reader, Text(fold(item, breaks=True), item.line, "note to editors",
                                           "A note to editors after the end mark: background for journalists.")))
    return notes


def _read_signature(reader: Reader, record: Mapping) -> Signature | None:
    if "signature" not in record.items:
        return None
    node = record.items["signature"]
    if isinstance(node, Scalar) and not node.is_null:
        reader.error(node.line, "'signature' needs its parts on lines of their own: 'name:' and, under it, "
                     "'title:' (e.g. 'name: Düsen Kaseinov')")
        return None
    entry = reader.mapping(record.items["signature"], "'signature'", record.key_lines["signature"],
                           example="name: Düsen Kaseinov")
    if entry is None:
        return None
    reader.check_keys(entry, "'signature'", *SIGNATURE_KEYS)
    name, title = reader.text(entry, "name"), reader.text(entry, "title", breaks=True)
    if name is None:
        return None
    return Signature(
        _limited(reader, Text(name.text, name.line, "signature name",
                              "The name of who signs the release, as your language writes it.")),
        _limited(reader, Text(title.text, title.line, "signature title",
                              "The signatory's title, printed under the name.")) if title else None,
    )


def _read_version(reader: Reader, record: Mapping) -> int | None:
    scalar = reader.text(record, "version")
    if scalar is None:
        return None
    if not scalar.text.isdigit() or int(scalar.text) < 1:
        reader.error(scalar.line, f"'version' must be a whole number from 1 up, got '{scalar.text}'")
        return None
    return int(scalar.text)


def _read_corrections(reader: Reader, record: Mapping) -> list[Correction]:
    corrections = []
    for item in reader.list(record, "corrections"):
        entry = reader.mapping(item, "a correction")
        if entry is None:
            continue
        reader.check_keys(entry, "a correction", *CORRECTION_KEYS)
        date, note = reader.date(entry, "date"), reader.text(entry, "note")
        if date and note:
            corrections.append(Correction(date, Text(note.text, note.line, "correction",
                                                     "A correction notice: what was corrected in the release.")))
    return corrections


def _read_id(reader: Reader, record: Mapping, path: Path) -> str | None:
    scalar = reader.text(record, "id")
    value, line = (scalar.text, scalar.line) if scalar else (path.stem, 1)
    if not ID_PATTERN.match(value):
        what = "'id'" if scalar else f"the file name '{path.name}'"
        reader.error(line, f"{what} must give an id of lower-case letters, digits and hyphens (e.g. 'turksoy-isesco-agreement'), got '{value}'")
        return None
    if value in RESERVED_IDS:
        clash = f"the name of {RESERVED_IDS[value]}, which would take the release's page's place"
        reader.error(line, f"'id' '{value}' is {clash}; choose another id" if scalar else
                     f"the file name '{path.name}' gives the id '{value}', {clash}; rename the file or give the release an 'id'")
        return None
    return value


def _read_former_ids(reader: Reader, record: Mapping, release_id: str | None) -> list[str]:
    """The ids a release had before it was renamed (each once): their pages lead to its own."""
    found: list[str] = []
    node = record.items.get("former_ids")
    if isinstance(node, Scalar) and not node.is_null:
        reader.error(node.line, f"'former_ids' must be a list, such as 'former_ids: [{node.text.strip()}]'")
        return found
    for item in reader.list(record, "former_ids"):
        value = item.text.strip() if isinstance(item, Scalar) and not item.is_null else ""
        if value in RESERVED_IDS:
            reader.error(item.line, f"'former_ids' names '{value}', the name of {RESERVED_IDS[value]}, which no "
                         "release can have had; remove it")
        elif not ID_PATTERN.match(value):
            reader.error(item.line, "each of 'former_ids' must be an id the release had before, of lower-case letters, "
                         f"digits and hyphens (e.g. 'turksoy-isesco-agreement'), got '{value}'")
        elif value == release_id:
            reader.error(item.line, f"'former_ids' names the release's own id '{value}'; list only the ids it had before")
        elif value not in found:
            found.append(value)
    return found


def _read_language(reader: Reader, record: Mapping, config: Config) -> str | None:
    scalar = reader.text(record, "language")
    if scalar is None:
        return None
    if scalar.text not in config.languages:
        # A language taken out of pressgen.yaml: how to publish the release again (a trial's was told the list alone).
        back = (f"; if the office took '{scalar.text}' out of `languages`, put it back to publish this release again"
                if config.root and any((config.root / folder / scalar.text).is_dir() for folder in ("published", "out"))
                else "")
        reader.error(scalar.line, f"unknown language '{scalar.text}'; this office publishes in {', '.join(config.languages)} "
                                  f"(pressgen.yaml){back}")
        return None
    return scalar.text


def _read_organisations(reader: Reader, record: Mapping, config: Config) -> list[str]:
    """One organisation's key, or the list of a joint release's, leading one first."""
    node = record.items.get("organisation")
    if not isinstance(node, Sequence):
        scalar = reader.text(record, "organisation")
        return [key for key in [_organisation_key(reader, scalar, config)] if key]
    if not node.items:
        reader.error(node.line, "'organisation' lists no organisation; give one key, or several for a joint release")
    keys: list[str] = []
    for item in node.items:
        scalar = item if isinstance(item, Scalar) and not item.is_null else None
        if scalar is None:
            reader.error(item.line, "each organisation of a joint release must be a key from pressgen.yaml")
        elif scalar.text in keys or config.organisation_key(scalar.text) in keys:
            reader.error(item.line, f"organisation '{scalar.text}' is listed twice")
        elif key := _organisation_key(reader, scalar, config):
            keys.append(key)
    return keys if len(keys) == len(node.items) else []


def _organisation_key(reader: Reader, scalar: Scalar | None, config: Config) -> str | None:
    if scalar is None:
        return None
    key = config.organisation_key(scalar.text)  # a former key is its organisation's (a rename)
    if key is None:
        reader.error(scalar.line, config.unknown_organisation(scalar.text))
        return None
    return key


def _read_embargo(reader: Reader, record: Mapping) -> dt.datetime | None:
    scalar = reader.text(record, "embargo")
    if scalar is None:
        return None
    moment = parse_embargo(scalar.text)
    if isinstance(moment, str):
        reader.error(scalar.line, f"'embargo' {moment}")
        return None
    return moment


def parse_embargo(text: str) -> dt.datetime | str:
    """A timezone-aware moment, or the reason the text is not one.

    >>> parse_embargo("2011-04-08 10:00 Asia/Baku").isoformat()
    '2011-04-08T10:00:00+05:00'
    >>> parse_embargo("2011-04-08 10:00 +06:00").isoformat()
    '2011-04-08T10:00:00+06:00'
    >>> parse_embargo("2011-04-08 25:00 UTC")
    "must be 'YYYY-MM-DD HH:MM Area/City' (e.g. '2011-04-08 10:00 Asia/Baku'), got '2011-04-08 25:00 UTC'"
    """
    usage = f"must be 'YYYY-MM-DD HH:MM Area/City' (e.g. '2011-04-08 10:00 Asia/Baku'), got '{text}'"
    match = EMBARGO_PATTERN.fullmatch(text.strip())
    if not match:
        return usage
    day, hour, minute, zone_name = match.groups()
    try:
        naive = dt.datetime.fromisoformat(day).replace(hour=int(hour), minute=int(minute))
    except ValueError:
        return usage
    offset = _OFFSET.fullmatch(zone_name)
    if offset:
        sign = -1 if offset[1] == "-" else 1
        zone: dt.tzinfo = dt.timezone(sign * dt.timedelta(hours=int(offset[2]), minutes=int(offset[3])))
    elif zone_name in ("UTC", "Z"):
        zone = dt.timezone.utc
    else:
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return f"has an unknown timezone '{zone_name}'; use an IANA name such as Asia/Almaty or Europe/Istanbul, or an offset such as +06:00"
    return naive.replace(tzinfo=zone)


def _read_body(reader: Reader, record: Mapping, style: str | None = None) -> list[Block]:
    body: list[Block] = []
    items = reader.list(record, "body")
    if "body" in record.items and not items and not isinstance(record.items["body"], Scalar):
        reader.error(record.key_lines["body"], "'body' is empty; add at least one paragraph")
    if len(items) > MAX_BLOCKS:
        reader.error(record.key_lines["body"], f"'body' has {len(items)} paragraphs and quotes; a release has at "
                     f"most {MAX_BLOCKS}: split it into several releases")
        return body
    for item in items:
        block = _read_block(reader, item, style)
        if block:
            body.append(block)
            for text in (block.text, getattr(block, "by", None)):
                if text is not None:
                    _limited(reader, text)
    if body and not any(isinstance(block, Paragraph) for block in body):
        reader.error(record.key_lines["body"], "'body' has only quotes; add a paragraph, which the dateline opens")
    return body


SPEAKER_NOTES = {
    "statement": "Who said the quote: name, then title.",
    # A wire item's 'by' is the verb and the speaker (said Name.): a trial's note said name and
    # title, and its translation, so written, printed the quote with no 'said'.
    "wire": "Verb and speaker, as the language's press style has them (said Name.).",
}


def _read_block(reader: Reader, item: Node, style: str | None = None) -> Block | None:
    if isinstance(item, Scalar):
        if item.is_null or not item.text.strip():
            reader.error(item.line, "an empty paragraph in 'body'; remove the '-' line")
            return None
        return Paragraph(Text(fold(item, breaks=True), item.line, "paragraph"))
    block = reader.mapping(item, "a body block")
    if block is None:
        return None
    if "quote" in block.items:
        reader.check_keys(block, "a quote", *QUOTE_KEYS)
        words, by, note = reader.text(block, "quote", breaks=True), reader.text(block, "by"), reader.text(block, "note")
        if words is None:
            return None
        if in_quotation_marks(words.text):
            reader.error(words.line, f"the quote is written in its quotation marks ({typed_marks(words.text)}); "
                         "leave them out: each language adds its own")
            return None
        note_text = note.text if note else "Quoted words, without quotation marks: pressgen adds the language's own."
        return Quote(
            Text(words.text, words.line, "quote", note_text),
            Text(by.text, by.line, "quote attribution", SPEAKER_NOTES.get(style or "", SPEAKER_NOTES["statement"]))
            if by else None,
        )
    if "paragraph" in block.items:
        reader.check_keys(block, "a paragraph", *PARAGRAPH_KEYS)
        words, note = reader.text(block, "paragraph", breaks=True), reader.text(block, "note")
        if words is None:
            return None
        return Paragraph(Text(words.text, words.line, "paragraph", note.text if note else ""))
    keys = list(block.items)
    guess = next((match for key in keys if (match := closest(key, ("quote", "paragraph")))), None)
    hint = f"; did you mean '{guess}'?" if guess else ""
    reader.error(block.line, "a body block must be a paragraph (plain text, or 'paragraph:' with 'note:') or a quote "
                 f"('quote:' with 'by:'), got {', '.join(repr(k) for k in keys)}{hint}")
    return None
