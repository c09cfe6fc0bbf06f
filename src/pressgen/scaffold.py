"""`pressgen init` and `pressgen new`: a press office, and a release, to start from.

`init` copies the example office in example_office/ (pressgen.yaml, a release with its
Turkish and Kazakh catalogs) and lets `catalogs update` add the current template
labels, so the office builds in every language as made. `new` writes a record
that passes `pressgen check` as written, its fields to fill commented.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import textwrap
import unicodedata
import zoneinfo
from pathlib import Path

import yaml
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location

from . import theme
from .catalogs import LOCALES_DIR, update_catalogs
from .config import CONFIG_NAME, EXAMPLE_BASE_URL, EXAMPLE_CONTACT, load_config
from .errors import PressgenError, UsageError
from .fsutil import write_atomic
from .lang import babel_locale
from .mailfolder import SENT_LOG_MERGE
from .model import STYLES, Config, Release, Source
from .projectfiles import PUBLISHED_DIR
from .records import (LATEST_ZONE, LIMITS, RELEASES_DIR, declared_id, far_date_warnings, future_date_warnings, key_line,
                      later_dates, load_records, other_script_warnings, release_paths)
from .schema import FILES, SCHEMA_DIR, write_schemas
from .slug import slugify, unique_id
from .yamlnodes import Scalar, load_yaml, parse_date

EXAMPLE_OFFICE = Path(__file__).resolve().parent / "example_office"

GITIGNORE = """\
# Build products: `pressgen build` makes them again. Commit published/ (what went out) and
# mail/*/sent.log (who was sent what); messages for review are made again by `pressgen mail`.
out/
.pressgen/
mail/*/*.eml
# What a build cut short leaves half-written (published/.<id>.yaml.<process>-<n>.tmp): the next build removes it.
.*.tmp
"""

GITATTRIBUTES = f"""\
# A sent log only grows, a line a message that went out: where two clones each mailed, a merge
# keeps the lines of both (git's union), and no journalist is mailed twice for a side taken.
{SENT_LOG_MERGE}
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com) runs `pressgen check` before each commit, so a broken
# record or catalog never reaches the repository. Turn it on once per clone:
#   pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: pressgen-check
        name: pressgen check
        entry: pressgen check
        language: system        # the pressgen you build with
        pass_filenames: false   # it checks the whole office
        files: ^(pressgen\\.yaml|media\\.csv|releases/|locales/|templates/|published/)
"""


VSCODE_EXTENSIONS = """\
{
  "recommendations": ["redhat.vscode-yaml"]
}
"""

VSCODE_SETTINGS = f"""\
{{
  "yaml.schemas": {{
    "./{SCHEMA_DIR}/{FILES['release']}": "{RELEASES_DIR}/*.yaml",
    "./{SCHEMA_DIR}/{FILES['config']}": "{CONFIG_NAME}"
  }}
}}
"""
"""For records written without `pressgen new`'s modeline."""


def _office_readme() -> str:
    # The example office has no templates/ of its own: these are the bundled ones.
    templates = "\n".join(f"- `{name}`" for name in theme.theme_files(EXAMPLE_OFFICE)
                          if not name.startswith("assets/fonts/"))
    return f"""\
# Press office

Made by `pressgen init`. Releases are in `releases/`, their translations in `locales/`,
the office (languages, organisations, contacts) in `pressgen.yaml`.

```sh
pressgen new "Headline of the release"   # writes releases/<id>.yaml: fill in its fields
pressgen check                           # finds mistakes, with file and line
pressgen catalogs update                 # hands the new texts to the translators
pressgen build                           # out/<lang>/<id>.html and .pdf
```

## Your own look

pressgen builds with its bundled templates. To change one, copy it from pressgen's
`templates/` folder (on the computer that ran `pressgen init`: `{theme.BUNDLED_TEMPLATES}`)
into this office's `templates/`, at the same path, and edit the copy; pressgen uses yours
instead. pressgen's README ("Templates and house style") says what each one holds. Logos go in
`templates/assets/` (`logo: assets/logo.svg` in `pressgen.yaml`). The templates:

{templates}

## Editors and checks

`schemas/` holds the JSON Schema of records and of `pressgen.yaml`: with the YAML extension
(redhat.vscode-yaml, which VS Code offers when it opens this folder: `.vscode/`) fields are
completed and checked as you type. `.pre-commit-config.yaml`
runs `pressgen check` before each commit (`pre-commit install`).
"""


def init_office(target: Path) -> list[Path]:
    """Make a new press office in ``target`` (new or empty); return the files written.

    The office is made in a hidden folder beside ``target`` and moved into place, so a
    failure leaves nothing half-made behind."""
    # Usage errors (exit 2, as for any argument that cannot be): the folder named is wrong.
    if target.is_file():
        raise UsageError(f"{target}: is a file; pressgen init makes a new office in a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"{target}: is not empty; pressgen init makes a new office in a new or empty "
                         "folder and never overwrites anything: name another folder")
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        _fill_office(staging)
        if target.is_dir():
            # Filled, not replaced: it may be the shell's current folder ('pressgen init .').
            for entry in staging.iterdir():
                entry.rename(target / entry.name)
            staging.rmdir()
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in target.rglob("*") if p.is_file())


def _fill_office(root: Path) -> None:
    shutil.copytree(EXAMPLE_OFFICE, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    for name, text in ((".gitignore", GITIGNORE), (".gitattributes", GITATTRIBUTES),
                       (".pre-commit-config.yaml", PRE_COMMIT_CONFIG),
                       ("README.md", _office_readme()), (".vscode/extensions.json", VSCODE_EXTENSIONS),
                       (".vscode/settings.json", VSCODE_SETTINGS)):
        write_atomic(root / name, text.encode("utf-8"))
    write_schemas(root)
    config = load_config(root)
    releases, problems = load_records(config.root, config)
    assert not problems, problems  # the example office is tested to build
    # The labels of the installed pressgen's templates, with their bundled translations.
    update_catalogs(config.root, config, releases)


PLACEHOLDERS = {
    "en": ("The lead paragraph: who, what, when and where. pressgen opens it with the dateline.",
           "Write the next paragraph here."),
    "tr": ("Giriş paragrafı: kim, ne, ne zaman, nerede. pressgen onu tarih satırıyla açar.",
           "Sonraki paragrafı buraya yazın."),
    "kk": ("Кіріспе абзац: кім, не, қашан және қайда. pressgen оны дата жолымен ашады.",
           "Келесі абзацты осында жазыңыз."),
}
"""The body's placeholder paragraphs in the record's language (English for others)."""

WIRE_SPEAKERS = {"en": "said Name.", "tr": "dedi Ad Soyad.", "kk": "деді Аты-жөні."}
"""How a wire item's quote meets its speaker, as the record writes it (the language's press style:
README, Language notes); a statement names the speaker and title. A trial's Kazakh wire item
followed 'by: Name, title' and went out with no 'деді'."""

PLACES = {"en": "City", "tr": "Şehir", "kk": "Қала"}
"""The dateline place `new` writes for an office without a timezone (pressgen.yaml), whose
city would otherwise be the place most of its releases are from."""


def placeholder_warnings(release: Release, root: Path) -> list[str]:
    """A warning for each paragraph still as `new` wrote it. The record passes `check` as
    written, so that an editor does not flag a release just begun; but a build would publish
    the placeholder in the source language, newsroom and feed included."""
    placeholders = {" ".join(text.split()) for texts in PLACEHOLDERS.values() for text in texts}
    where = release.source.path.relative_to(root).as_posix()
    place = [f"{where}:{release.place.line}: the place `pressgen new` wrote, '{release.place.value}', is still there, "
             "and a build prints it in the dateline; write where the release is from"
             ] if release.place.value in PLACES.values() else []
    return place + [f"{where}:{block.text.line}: the placeholder paragraph `pressgen new` wrote is still there, and "
                    "a build publishes it; write the release's own text in its place, or delete it"
                    for block in release.body
                    if block.kind == "paragraph" and " ".join(block.text.value.split()) in placeholders]


def record_warnings(release: Release, root: Path, languages: tuple[str, ...], timezone: str | None = None) -> list[str]:
    """What a record passes check with but should not go out so: placeholders `new` wrote, else
    texts in another alphabet than its language's (of placeholders, that says nothing more); a
    date years ahead; a withdrawal or correction dated after today."""
    return [*timeless_record_warnings(release, root, languages),
            *far_date_warnings(release.source.path, release.date, root, dt.date.today()),
            *future_date_warnings(release.source.path, later_dates(release), root, timezone)]


def timeless_record_warnings(release: Release, root: Path, languages: tuple[str, ...]) -> list[str]:
    """record_warnings but the date's, which follows today's: what check keeps with the record."""
    return [*(placeholder_warnings(release, root) or other_script_warnings(release, root, languages)),
            *embargo_before_date_warnings(release, root)]


def embargo_before_date_warnings(release: Release, root: Path) -> list[str]:
    """An embargo that lifts before the release's own date: a slip of its day or year (a
    trial's 2026-12-01 for 2026-12-08), which holds nothing back once it is past: the release
    is listed, and mailed, at once."""
    # Before the date anywhere on Earth (UTC+14 is the latest): an embargo written in UTC at 23:00
    # on the eve of a release dated in Almaty is on its day there.
    if release.embargo is None or release.embargo.astimezone(LATEST_ZONE).date() >= release.date:
        return []
    path = release.source.path
    return [f"{path.relative_to(root).as_posix()}:{key_line(path, 'embargo')}: the embargo lifts on "
            f"{release.embargo.date().isoformat()}, before the release's date ({release.date.isoformat()}); check the "
            "day and year of each: an embargo already past holds nothing back, and the release is listed and mailed at once"]


def office_placeholder_warnings(config: Config) -> list[str]:
    """A warning for the newsroom address and press contact `init` wrote, while still there:
    the pages, feeds and mails would send readers and replies to example.org."""
    if config.path is None:
        return []
    lines = config.path.read_text(encoding="utf-8", errors="replace").split("\n")
    where = config.path.name

    def line_of(text: str) -> str:
        number = next((n for n, line in enumerate(lines, 1) if text in line.partition("#")[0]), None)
        return f"{where}:{number}" if number else where

    warnings = []
    if config.base_url == EXAMPLE_BASE_URL:
        warnings.append(f"{line_of(EXAMPLE_BASE_URL)}: base_url is still the example's ({EXAMPLE_BASE_URL}), and "
                        "pages, feeds and mails link there; put your newsroom's address")
    if any(contact.email == EXAMPLE_CONTACT for org in config.organisations.values() for contact in org.contacts):
        warnings.append(f"{line_of(EXAMPLE_CONTACT)}: {EXAMPLE_CONTACT} is still the example's press contact, "
                        "printed on every release and where journalists' replies go; put your press office's")
    return warnings


def _record_text(release: dict[str, str], timezone: str) -> str:
    """The new record: fields to fill, each with a short comment, and the optional ones commented out."""
    lead, more = PLACEHOLDERS.get(release["language"], PLACEHOLDERS["en"])
    lines = [
        (f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{FILES['release']}", ""),
        (f"language: {release['language']}", "the language you write it in"),
        (f"style: {release['style']}", "statement (a press release) or wire (a news agency item)"),
        (f"organisation: {release['organisation']}", "who publishes it: a key from pressgen.yaml"),
        (f"date: {release['date']}", "YYYY-MM-DD"),
        (f"place: {release['place']}", "the dateline place; pressgen writes it in capitals"),
        (f"headline: {release['headline']}", ""),
        ("# summary: One or two sentences under the headline.", ""),
        ("body:", "paragraphs and quotes, in order"),
        ("  - >", ""),
        *((f"    {line}", "") for line in textwrap.wrap(lead, 72)),
        ("  # - quote: Words quoted, without quotation marks", ""),
        (f"  #   by: {WIRE_SPEAKERS.get(release['language'], WIRE_SPEAKERS['en'])}"
         if release["style"] == "wire" else "  #   by: Name, title",
         "the verb and the speaker, as your agency's copy has them" if release["style"] == "wire" else ""),
        ("  - >", ""),
        *((f"    {line}", "") for line in textwrap.wrap(more, 72)),
        ("# signature:", "who signs it: a block after the body"),
        ("#   name: Name", ""),
        ("#   title: Title", ""),
        ("# notes_to_editors:", "short notes for journalists, after the end mark"),
        ("#   - Background for journalists, not for publication.", ""),
        ("# kind: statement", "the label at the top: press release, statement, media advisory or news"),
        ('# reference: "109"', "the organisation's number for it, printed \"No. 109\""),
        ("# image:", "a photo under the headline, a JPEG or PNG in the images/ folder"),
        ("#   file: images/photo.jpg", ""),
        ("#   alt: What the photo shows, for who cannot see it", ""),
        ("#   caption: Where and when it was taken", ""),
        ("#   credit: Who took it", ""),
        ("# tags: [culture]", "keywords for search and PDF metadata"),
        (f"# embargo: {release['date']} 10:00 {timezone}", "not to be published before this moment"),
    ]
    width = max(len(field) for field, comment in lines if comment) + 2
    return "".join(f"{field.ljust(width)}# {comment}\n" if comment else f"{field}\n" for field, comment in lines)


def _default_place(config: Config, language: str) -> str:
    """The city of the office's timezone in ``language`` ('Europe/Istanbul': Istanbul, İstanbul,
    Стамбұл), where most of its releases are from."""
    if not config.timezone:
        return PLACES.get(language, PLACES["en"])
    return get_timezone_location(get_timezone(config.timezone), locale=babel_locale(language), return_city=True)


def new_release(root: Path, headline: str, *, style: str = "statement", organisation: str | None = None,
                language: str | None = None, date: dt.date | None = None) -> Path:
    """Write ``releases/<id>.yaml`` for ``headline`` and return its path.

    The id is the headline in ASCII, made unique; the date is today in the office's
    timezone (pressgen.yaml), unless ``date`` is given."""
    config = load_config(root)
    headline = " ".join(headline.split())
    if not headline:
        raise UsageError("the headline is empty: pressgen new \"Headline of the release\"")
    if len(headline) > LIMITS["headline"]:
        raise UsageError(f"the headline is {len(headline):,} characters long; a headline is at most "
                         f"{LIMITS['headline']:,}: shorten it")
    if style not in STYLES:
        raise UsageError(f"unknown style '{style}'; use one of {', '.join(STYLES)}")
    # Before the options are questioned: with the release already there, none of them matters.
    same = _record_with_headline(config.root, headline)
    if same is not None:
        raise PressgenError(same.path, same.line, f"already has the headline '{headline}'; edit that release, "
                            "or give the new one a headline of its own")
    organisation = _choose_organisation(config, organisation)
    language = language or config.languages[0]
    if language not in config.languages:
        raise UsageError(f"unknown language '{language}'; this office publishes in {', '.join(config.languages)} "
                         f"({CONFIG_NAME})")
    _check_script(headline, language, config.languages)
    zone = zoneinfo.ZoneInfo(config.timezone) if config.timezone else None
    date = date or dt.datetime.now(zone).date()
    taken = _taken_ids(config.root)
    release_id = unique_id(slugify(headline), taken)
    path = config.root / RELEASES_DIR / f"{release_id}.yaml"
    text = _record_text({"language": language, "style": style, "organisation": organisation,
                         "date": date.isoformat(), "place": yaml_text(_default_place(config, language)),
                         "headline": yaml_text(headline)}, config.timezone or "UTC")
    write_schemas(config.root)
    # A file that appeared since the id was chosen is never overwritten.
    if path.exists():
        raise PressgenError(path, None, "already exists; run pressgen new again")
    write_atomic(path, text.encode("utf-8"))
    return path


_SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic"}
"""CLDR script codes, by the word Unicode's character names start with (upper-cased)."""


def _script(language: str) -> str | None:
    """The script ``language`` is written in, from CLDR's likely subtags: kk → Cyrillic."""
    subtags = get_global("likely_subtags").get(language.replace("-", "_"), "").split("_")
    return next((_SCRIPTS[tag] for tag in subtags if tag in _SCRIPTS), None)


def _check_script(headline: str, language: str, languages: tuple[str, ...] | list[str]) -> None:
    """Refuse a headline with no letter in its language's script: a Kazakh headline left in the
    office's first language, English, would be sent to be 'translated' into Kazakh."""
    expected = _script(language)
    scripts = {unicodedata.name(char, "").split(" ")[0].title() for char in headline if char.isalpha()}
    if not scripts and not any(char.isdigit() for char in headline):
        # '!!!' made releases/release.yaml (a trial). A year alone ('2026') may be a headline.
        raise UsageError(f"the headline '{headline}' has no letter: give the release's headline, in quotes, as in "
                         "pressgen new \"Foundation opens its summer school\"")
    if expected is None or not scripts or expected in scripts:
        return
    fits = [code for code in languages if _script(code) in scripts]
    hint = f"; name its language: {' or '.join(f'--lang {code}' for code in fits)}" if fits else ""
    raise UsageError(f"the headline is in {' and '.join(sorted(scripts))} letters, but {language} is written in "
                     f"{expected}{hint}")


def _record_with_headline(root: Path, headline: str) -> Source | None:
    """Where a record already has ``headline`` (spacing aside): `new` run twice by mistake
    would otherwise start a second release that `check` cannot tell from a real one."""
    for path in release_paths(root):
        try:
            text = path.read_text(encoding="utf-8")
            node = load_yaml(path, text) if headline.split()[0] in text else None
        except (OSError, UnicodeError, PressgenError):
            continue  # a broken record is `check`'s to report
        value = getattr(node, "items", {}).get("headline")
        if isinstance(value, Scalar) and " ".join(value.text.split()) == headline:
            return Source(path, value.line)
    return None


def _taken_ids(root: Path) -> set[str]:
    """Ids of the records, and of what a deleted record may have left: a catalog, a published
    version. A new release never inherits another's translations or place in the newsroom."""
    taken = {declared_id(path) for path in release_paths(root)}
    taken.update(path.stem for path in (root / LOCALES_DIR).glob("*/releases/*.po"))
    taken.update(path.stem for path in (root / PUBLISHED_DIR).glob("*/*.yaml"))
    return taken


def _choose_organisation(config: Config, organisation: str | None) -> str:
    keys = list(config.organisations)
    if organisation is None:
        if len(keys) == 1:
            return keys[0]
        if not keys:
            raise UsageError(f"{CONFIG_NAME} has no organisations yet; add one under 'organisations'")
        raise UsageError(f"this office has several organisations; choose one with --org: {', '.join(keys)}")
    # A former key names its organisation of today (former_keys), as in a record.
    now = config.organisation_key(organisation)
    if now is None:
        raise UsageError(config.unknown_organisation(organisation))
    return now


def yaml_text(text: str) -> str:
    """``text`` as a YAML value that reads back as itself: plain where YAML allows, else quoted.

    >>> yaml_text("Türkiye ve Kazakistan kültür haftası açıldı")
    'Türkiye ve Kazakistan kültür haftası açıldı'
    >>> yaml_text("TÜRKSOY: a new season #2")
    '"TÜRKSOY: a new season #2"'
    >>> yaml_text("No")
    'No'
    """
    try:
        node = load_yaml(Path("headline"), f"headline: {text}\n")
    except PressgenError:
        node = None
    value = getattr(node, "items", {}).get("headline")
    if isinstance(value, Scalar) and not value.quoted and value.text == text:
        return text
    return yaml.dump(text, allow_unicode=True, default_style='"', width=10_000).strip()


def parse_day(text: str) -> dt.date:
    """A --date option: YYYY-MM-DD, as in records."""
    problems: list[str] = []
    day = parse_date(text, problems.append)
    if day is None:
        raise UsageError(f"--date {problems[0]}")
    return day
