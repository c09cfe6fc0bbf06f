"""What was published: the last published text of every translated version.

    published/<lang>/<id>.yaml

Once a language version of a release has been published, a later change to
the source must not take it offline: until the translation catches up, the
site keeps serving the version that went out. `out/` is a build product
(anyone may delete it), so the store is a tracked part of the project, next
to releases/ and locales/, and a reviewer sees in `git diff` what was
published when.

A snapshot holds the source record exactly as it was (so the version is
rebuilt by the same loader and templates as any other) and the translation
of each of its texts. `pressgen build` writes it when it publishes a version
whose texts differ from the last snapshot, and stamps `outdated_since` the
first time it finds the version outdated; nothing else writes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog

from .errors import Collector, PressgenError
from .fsutil import write_atomic
from .lang import babel_locale, english_name
from .model import Config, Release
from .conflicts import conflict_line, conflicts_below, is_unmerged, ours_or_theirs, take_a_side
from .projectfiles import PUBLISHED_DIR, RELEASES_DIR, relative_name
from .records import key_line, load_record
from .vcs import git_entries, git_output
from .translate import Reviewer, changed_from, closest, localize_release, message_label
from .yamlnodes import error_mark, refuse_aliases


_HEADER = """\
# The {name} version of '{id}' as last published: the source record
# as it was, and its translation. Written by `pressgen build`; commit it with the
# release. While the translation catches up with a change to the record, the site
# serves this version. To take it offline, withdraw the release.
"""


_ORGANISATION_LINE = re.compile(r"(?m)^(organisation:[ \t]*)(.*)$")
_KEY = re.compile(r"[a-z0-9_-]+")


def rekeyed(record: str, organisation_key: Callable[[str], str | None]) -> str:
    """A record's YAML with each organisation key of its 'organisation' line (one key, or a
    joint release's [list]) as today's (``organisation_key``: Config.organisation_key): an
    organisation renamed with former_keys publishes nothing new.

    >>> rekeyed("date: 2011-04-08\\norganisation: [a, b]  # joint\\n", {"a": "c"}.get)
    'date: 2011-04-08\\norganisation: [c, b]  # joint\\n'
    """
    def line(found: re.Match) -> str:
        value, hash_, comment = found.group(2).partition(" #")
        value = _KEY.sub(lambda key: organisation_key(key.group()) or key.group(), value)
        return found.group(1) + value + hash_ + comment
    return _ORGANISATION_LINE.sub(line, record, count=1)


def organisation_keys(record: str) -> list[str]:
    """The keys a record's YAML names in its 'organisation' line.

    >>> organisation_keys("organisation: [a, b]  # joint\\n")
    ['a', 'b']
    """
    found = _ORGANISATION_LINE.search(record)
    return _KEY.findall(found.group(2).partition(" #")[0]) if found else []


def without_organisation(record: str) -> str:
    """A record's YAML with its 'organisation' line's value left out (what else it says)."""
    return _ORGANISATION_LINE.sub(r"\1", record, count=1)


@functools.lru_cache(maxsize=1024)
def record_meaning(record: str) -> str:
    """What a record's YAML says, less its top-level ``id`` and ``former_ids``: its data as
    written (every value a string), in one canonical form. Not its text: a comment added, a
    folded paragraph wrapped over other lines, keys in another order publish nothing new (a
    trial's comment republished every translation with a new date). A record that cannot be
    read so is taken as written.

    >>> record_meaning("id: b\\nformer_ids: [a]\\ndate: 2011-04-08  # checked\\n")
    '{"date":"2011-04-08"}'
    >>> record_meaning("body:\\n  - >\\n    One\\n    two.\\n") == record_meaning("body:\\n- >-\\n    One two.\\n") \\
    ...     == record_meaning("body:\\n- paragraph: 'One two.'\\n")
    True
    """
    try:
        data = yaml.load(record, Loader=_Loader)
    except yaml.YAMLError:
        return record
    if not isinstance(data, dict):
        return record
    data = {key: _as_read(value) for key, value in data.items() if key not in ("id", "former_ids")}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _as_read(value):
    """A record's value as the record reader takes it: a text without the spaces and line end
    around it (a block's `>` or `>-`, a quoted or a plain scalar), a paragraph written
    `paragraph: …` as the text alone."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    if isinstance(value, dict):
        if list(value) == ["paragraph"]:
            return _as_read(value["paragraph"])
        return {key: _as_read(item) for key, item in value.items()}
    return value


_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@functools.lru_cache(maxsize=1 << 16)
def snapshot_path(root: Path, lang: str, release_id: str) -> Path:
    # Asked for each version by several stages of a check (a Path made each time: 5 % of one at 10,000 releases).
    return root / PUBLISHED_DIR / lang / f"{release_id}.yaml"


@dataclass(frozen=True)
class Translation:
    context: str | None
    source: str
    text: str


@dataclass(frozen=True)
class Snapshot:
    """One published version: enough to render it again exactly as it went out."""

    path: Path
    release_id: str
    lang: str
    published: dt.datetime
    """When this text was first published (the build's clock, UTC)."""
    record: str
    """The source record's YAML, as it was when this version was published."""
    translations: tuple[Translation, ...]
    outdated_since: dt.datetime | None = None
    """When a build first found the source changed and the translation behind it."""
    former_ids: tuple[str, ...] = ()
    """The ids it went out under before its release was renamed, oldest first."""

    @property
    def content(self) -> str:
        """A hash of what was published, whatever the dates say: not the record's id and former
        ids, which change where the pages are and what leads to them, not what they say (a
        release renamed with its file, whose id is its name, is the same publication too)."""
        parts = [record_meaning(self.record),
                 *(f"{t.context}\x1e{t.source}\x1e{t.text}" for t in self.translations)]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def catalog(self) -> Catalog:
        catalog = Catalog(locale=babel_locale(self.lang), fuzzy=False)
        for t in self.translations:
            catalog.add(t.source, t.text, context=t.context)
        return catalog

    def release(self, config: Config, record_path: Path, current: Release | None) -> Release:
        """The published version, translated, with the office's own decisions of today
        (a withdrawal, a moved embargo, its id and former ids) taken from the ``current`` record."""
        # A withdrawn one is served as withdrawn: withdrawing it again is no way out.
        source = self.source(config, record_path, "" if current is not None and current.withdrawn else
                             "; to stop serving it, withdraw the release", current)
        translated, gaps = localize_release(source, self.lang, self.catalog(), self.path, _Published(self.lang))
        if gaps:
            raise self.cut_short(source=source)
        if current is not None:
            # Its id and former ids too: a renamed release's snapshot holds its record as it was
            # before, and the pages at its former ids lead to it in every language online.
            translated = replace(translated, id=current.id, former_ids=current.former_ids,
                                 withdrawn=current.withdrawn, embargo=current.embargo)
        return translated

    def source(self, config: Config, record_path: Path, then: str = "; to stop serving it, withdraw the release",
               current: Release | None = None) -> Release:
        """The source record it holds, read as if at ``record_path``; one that cannot be read
        (damaged inside, or pressgen.yaml changed since) is an error at the snapshot's line. An
        organisation it names that pressgen.yaml no longer has is named with the key today's
        record (``current``) has, as the one it was likely renamed to."""
        source, errors = _read_record(config, record_path, self.record)
        if errors or source is None:
            first = errors.errors[0] if errors.errors else PressgenError(None, None, "unreadable")
            # The record's lines are counted within it: name the snapshot's line, not the
            # release's (which may be fine).
            line = self._record_start() + first.line if first.line else None
            # And so are the lines its message names ('first on line 5'), as a trial found them mixed.
            first = PressgenError(first.path, first.line, re.sub(
                r"\b(on line|lines?) (\d+)\b", lambda m: f"{m[1]} {self._record_start() + int(m[2])}", first.message))
            if _of_the_project(first):
                # The file is whole: what it names is gone from the project, and is what to put
                # back (a trial was told to restore the file, which changed nothing).
                raise NoLongerRebuilt(self.path, line, f"the published version can no longer be rebuilt "
                                      f"({_without_advice(first)}); {_put_back(first, config, current)}{then}")
            raise PressgenError(self.path, line, f"the published version can no longer be rebuilt "
                                f"({first.message}); restore this file with `git checkout "
                                f"{published_name(self.path)}`{then}")
        return source

    def check_whole(self, config: Config, record_path: Path, then: str = "") -> None:
        """That the record it holds can be read and each of its texts has its translation: one
        cut short after a line from before snapshots were counted, or damaged inside its record
        (still YAML), is an error, not a version to replace with today's (a trial's were, and
        went out again with today's date)."""
        source, errors = _read_record(config, record_path, self.record)
        if errors or source is None:
            # A photo or an organisation the project no longer has is not this file's damage:
            # its version is replaced, or its last pages kept, as a build decides.
            if errors.errors and all(_of_the_project(error) for error in errors.errors):
                return
            self.source(config, record_path, then)  # raises, at the snapshot's line
        have = {(t.context, t.source) for t in self.translations}
        if any((text.context, text.value) not in have for text in source.texts()):
            raise self.cut_short(then, source)

    def cut_short(self, then: str = "", source: Release | None = None) -> PressgenError:
        """The error of a snapshot a text of whose record (``source``) has no translation: cut
        after a line, or an entry's source edited."""
        if source is not None:
            # An entry of a text its record does not have: its source edited by hand (a trial's was
            # named at the file's last line, as cut short).
            texts = {(text.context, text.value) for text in source.texts()}
            stray = next((number for number, t in enumerate(self.translations, 1) if (t.context, t.source) not in texts),
                         None)
            if stray is not None:
                return PressgenError(self.path, _entry_line(self.path, stray, "source"), "this record of a published version is "
                                     f"damaged: its translation {stray} is of a text its record does not have (its "
                                     f"'source', or the record above, edited by hand?); restore it with {checkout_command(self.path)}"
                                     f"{then}")
        try:
            lines = len(self.path.read_bytes().splitlines()) or None
        except OSError:
            lines = None
        return PressgenError(self.path, lines, "this record of a published version has lost a translation (a text "
                             "of the record it holds has none in it: cut short, or an entry lost); restore it with "
                             f"{checkout_command(self.path)}{then}")

    def _record_start(self) -> int:
        """The snapshot's line of 'record: |', after which the record's first line comes."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 0
        return next((n for n, line in enumerate(lines, 1) if line.startswith("record:")), 0)

    def changed(self, current: Release) -> list[str]:
        """The current record's texts that this translation was not made from, and the texts it
        was made from that the record no longer has (a paragraph deleted: its page online still
        shows it; a trial's went unsaid while an office text held the version back)."""
        known = {(t.context, t.source) for t in self.translations}
        now = {(text.context, text.value) for text in current.texts()}
        seen: set[tuple[str | None, str]] = set()
        labels = []
        edited: set[tuple[str | None, str]] = set()
        for text in current.texts():
            key = (text.context, text.value)
            if key not in known and key not in seen:
                seen.add(key)
                # What changed in it, against the published text of the same field most like it.
                earlier = [t.source for t in self.translations if t.context == text.context and (t.context, t.source) not in now]
                change = changed_from(text.value, earlier)
                edited |= {(text.context, source) for source in closest(text.value, earlier)}
                labels.append(message_label(text.value, text.context) + (f" ({change})" if change else ""))
        labels += [f"{message_label(t.source, t.context)} (removed)" for t in self.translations
                   if (t.context, t.source) not in now and (t.context, t.source) not in edited]
        return labels

    def dumps(self) -> bytes:
        data: dict = {"release": self.release_id}
        if self.former_ids:
            data["former_ids"] = list(self.former_ids)
        count = str(len(self.translations))
        # Its count near the top and last, as the messages' record has them: a file cut after a
        # line is still YAML (a trial's cut snapshot was taken for a new version and replaced).
        data.update({"language": self.lang, "count": count, "published": _iso(self.published)})
        if self.outdated_since:
            data["outdated_since"] = _iso(self.outdated_since)
        data["record"] = self.record
        data["translations"] = [{"context": t.context, "source": t.source, "translation": t.text}
                                for t in self.translations]
        data["end"] = count
        header = _HEADER.format(name=english_name(self.lang), id=self.release_id)
        body = yaml.serialize(yaml_node(data), Dumper=Dumper, allow_unicode=True, width=88)
        return (header + body).encode("utf-8")


class _Published(Reviewer):
    """The published text passed every check when it went out; it is not judged again."""

    def gaps(self, catalog, path, msgid, context):
        if catalog.get(msgid, context) is None:
            return super().gaps(catalog, path, msgid, context)
        return []


def snapshot_of(release: Release, translated: Release, record_text: str, path: Path,
                published: dt.datetime) -> Snapshot:
    """The snapshot of a ready version: each source text with its translation, once."""
    translations: dict[tuple[str | None, str], Translation] = {}
    for source, text in zip(release.texts(), translated.texts()):
        translations.setdefault((source.context, source.value), Translation(source.context, source.value, text.value))
    return Snapshot(path, release.id, translated.language, published, record_text, tuple(translations.values()))


def checkout_command(path: Path) -> str:
    """The git command that restores a file of published/ as committed, in backquotes; while a
    merge leaves it unmerged, the one that takes a side (a trial's 'git checkout' was refused:
    'path is unmerged')."""
    name = published_name(path)
    if is_unmerged(path):
        return ours_or_theirs(path, name)
    return f"`git checkout {name}`"


def published_name(path: Path) -> str:
    """A file of published/ as git names it from the project's folder: what `git checkout` restores."""
    parts = path.parts
    start = max((i for i, part in enumerate(parts) if part == PUBLISHED_DIR), default=len(parts) - 1)
    return "/".join(parts[start:])


def read_published(path: Path, what: str) -> dict | None:
    """The YAML of a file of published/ (``what`` it is a record of, for its error), None if
    there is none; an unreadable one is an error with its line."""
    try:
        raw = path.read_bytes()
        if conflict := conflict_line(raw):
            # Two branches each published (two translators' fixes): `git checkout` alone fails on
            # an unmerged file (a trial's advice did), and YAML would name a later line.
            raise PressgenError(path, conflict,
                                f"a merge conflict is left in this record of {what} (<<<<<<< … >>>>>>>); "
                                f"{take_a_side(path, published_name(path))}; then build" + conflicts_below(raw))
        # pressgen writes no aliases: one here was added by hand, and nested ones expand to gigabytes.
        refuse_aliases(path, raw.decode("utf-8"))
        data = yaml.load(raw, Loader=Loader)
        if twice := _twice(raw):
            # YAML takes the last of two: a trial's merge that kept both sides' lines served the
            # later text with the earlier side's date, and nothing was said.
            key, line, first = twice
            raise PressgenError(path, line, f"cannot read this record of {what}: duplicate key '{key}' (first on line "
                                            f"{first}), as when a merge keeps the lines of both sides; keep one side "
                                            f"whole and delete the other, or restore it with {checkout_command(path)}")
        return data
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        # Cut inside a character, or saved in another encoding: its line, in words.
        raise PressgenError(path, raw[:exc.start].count(b"\n") + 1,
                            f"cannot read this record of {what} (not UTF-8 here: cut short, or saved in another "
                            f"encoding); restore it with {checkout_command(path)}") from None
    except (OSError, yaml.YAMLError) as exc:
        mark = error_mark(exc) if isinstance(exc, yaml.MarkedYAMLError) else None
        raise PressgenError(path, mark.line + 1 if mark else None,
                            f"cannot read this record of {what} ({getattr(exc, 'problem', exc)}); "
                            f"restore it with {checkout_command(path)}") from None


_KEY_LINE = re.compile(rb"^(- |  )?([A-Za-z_]+):")


def _twice(raw: bytes) -> tuple[str, int, int] | None:
    """The first key a file of published/ has twice in one mapping (the file's own, or one of
    its translations'), with its line and the first's. pressgen writes each once, at the start of
    a line, a translation's indented by two (their texts' further lines by four, the record's
    lines before the translations by two).

    >>> _twice(b"release: x\\npublished: '1'\\ncount: '2'\\npublished: '0'\\n")
    ('published', 4, 2)
    >>> _twice(b"record: |\\n  published: no\\ntranslations:\\n- source: a\\n  translation: b\\n- source: c\\n")
    >>> _twice(b"translations:\\n- source: a\\n  translation: b\\n  translation: c\\n")
    ('translation', 4, 3)
    """
    top: dict[bytes, int] = {}
    entry: dict[bytes, int] = {}
    listed = False
    for number, line in enumerate(raw.split(b"\n"), 1):
        match = _KEY_LINE.match(line)
        if match is None or (match[1] == b"  " and not listed):
            continue
        if match[1] == b"- ":
            entry = {}
        seen = top if match[1] is None else entry
        if match[2] in seen:
            return match[2].decode(), number, seen[match[2]]
        seen[match[2]] = number
        if match[1] is None:
            listed = match[2] == b"translations"
    return None


Damaged = Callable[..., PressgenError]
"""damaged(what, line=None): the error of a file of published/ that is not what pressgen wrote."""


def translations_in(path: Path, data: dict, damaged: Damaged) -> list[tuple[str | None, str, str]]:
    """The (context, source, translation) of a file of published/, whose count pressgen
    writes first and last: a file cut after a line is still YAML. One without a count was
    written before pressgen counted (0.18.0 for a version, 0.17 for the labels)."""
    listed = data.get("translations") or []
    if not isinstance(listed, list):
        raise damaged("is damaged (it is not what pressgen writes)", key_line(path, "translations"))
    if "count" in data:
        count = str(data["count"]) if data["count"] is not None else ""
        if not count.isdigit():
            raise damaged(f"is damaged: its count '{count}' is not a number of translations", key_line(path, "count"))
        if "end" not in data:
            raise damaged(f"is cut short: it should end with `end: '{count}'`",
                          len(path.read_bytes().splitlines()) or None)
        if str(data["end"]) != count:
            raise damaged(f"is damaged: its count '{count}' and its end '{data['end']}' differ", key_line(path, "end"))
        if len(listed) < int(count):
            raise damaged(f"has lost entries: it should hold {count} translations, and holds {len(listed)}",
                          key_line(path, "count"))
        if len(listed) > int(count):
            raise damaged(f"is damaged: it holds {len(listed)} translations, not the {count} its count says",
                          key_line(path, "count"))
    found = []
    for number, item in enumerate(listed, 1):
        missing = [name for name in ("source", "translation") if not isinstance(item, dict) or name not in item]
        if missing:
            raise damaged(f"is damaged: its translation {number} has no '{missing[0]}'", _entry_line(path, number))
        wrong = next((name for name in ("context", "source", "translation")
                      if not isinstance(item.get(name, ""), str) and not (name == "context" and item[name] is None)),
                     None)
        if wrong:  # pressgen writes texts only; a list would be printed as one (a trial's ['АНКАРА'])
            raise damaged(f"is damaged: its translation {number} has a {type(item[wrong]).__name__} for its "
                          f"'{wrong}', where a text belongs", _entry_line(path, number))
        context = item.get("context")
        found.append((context, item["source"], item["translation"]))
    return found


def _entry_line(path: Path, number: int, field: str | None = None) -> int | None:
    """The line where the file's translation ``number`` (from 1) starts, or its ``field``: for
    its error only."""
    try:
        root = yaml.compose(path.read_bytes(), Loader=Loader)
        listed = next(value for key, value in root.value if key.value == "translations")
        entry = listed.value[number - 1]
        if field is not None:
            entry = next((key for key, _ in entry.value if key.value == field), entry)
        return entry.start_mark.line + 1
    except (OSError, yaml.YAMLError, AttributeError, StopIteration, IndexError, TypeError):
        return None


def read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot at ``path``, or None if there is none; a damaged file is an error."""
    data = read_published(path, "a published version")
    if data is None and not path.exists():
        return None

    def damaged(what: str, line: int | None = None) -> PressgenError:
        return PressgenError(path, line, f"this record of a published version {what}; restore it with "
                             f"{checkout_command(path)}")

    if data is None:
        raise damaged("is empty")  # a trial's emptied one was taken for none, and failed an assert
    if not isinstance(data, dict):
        raise damaged("is damaged (it is not what pressgen writes)")
    if "language" in data and str(data["language"]) != path.parent.name:
        # Another language's, copied: its text would be served as this language's (a trial).
        raise damaged(f"is of language '{data['language']}', not '{path.parent.name}'", key_line(path, "language"))
    translations = tuple(Translation(*found) for found in translations_in(path, data, damaged))
    # 'translations' comes last: a file cut inside its record has none.
    missing = next((name for name in ("release", "language", "published", "record", "translations")
                    if name not in data), None)
    if missing:
        raise damaged(f"is damaged: it has no '{missing}'")
    for name in ("published", "outdated_since"):
        try:
            if data.get(name) is not None or name == "published":
                _moment(data[name])
        except (TypeError, ValueError) as exc:
            raise damaged(f"is damaged: its '{name}' is no moment ({exc})", key_line(path, name)) from None
    try:
        snapshot = Snapshot(
            path, str(data["release"]), str(data["language"]), _moment(data["published"]), str(data["record"]),
            translations, _moment(data["outdated_since"]) if data.get("outdated_since") else None,
            tuple(str(former) for former in data.get("former_ids") or ()),
        )
    except (TypeError, ValueError) as exc:
        raise damaged(f"is damaged ({exc})") from None
    return snapshot


def deleted_from_git(root: Path) -> frozenset[Path]:
    """The files of published/ that git tracks and the working tree has lost (deleted, or
    lost in a merge): what `git checkout` restores. None outside git, or without it."""
    return frozenset(root / name for name in git_entries(root, "ls-files", "--deleted", "-z", "--", PUBLISHED_DIR))


def restore_command(root: Path, path: Path, name: str | None = None) -> str | None:
    """The command that restores a file of published/ (or the file ``name``, relative to the
    project) from git: its last version committed, `git checkout <commit> -- <path>`, which
    works whether its deletion is committed or not (and so when a build's stamp says it again
    later); None outside git, or if git never had it."""
    name = name or published_name(path)
    commit = _last_commit(root, name)
    return f"git checkout {commit} -- {name}" if commit else None


def _last_commit(root: Path, name: str) -> str | None:
    """The commit of the last version git has of the file ``name`` (relative to the project)."""
    found = git_output(root, "log", "-n", "1", "--format=%h", "--diff-filter=ACMRT", "--", name)
    return (found or "").strip() or None




def _withdrawn_in_git(root: Path, commit: str, name: str) -> str | None:
    """The `withdrawn:` date of the record ``name`` as ``commit`` has it, or None."""
    text = git_output(root, "show", f"{commit}:./{name}")
    try:
        data = yaml.load(text, Loader=yaml.BaseLoader) if text else None  # dates as written
    except yaml.YAMLError:
        return None
    withdrawn = data.get("withdrawn") if isinstance(data, dict) else None
    return withdrawn if isinstance(withdrawn, str) and withdrawn.strip() else None


def went_out_under(path: Path) -> tuple[str, ...]:
    """The ids the snapshot at ``path`` went out under before its own (none without one, or if
    it cannot be read: a damaged one is named when it is read to be served)."""
    try:
        snapshot = read_snapshot(path)
    except PressgenError:
        return ()
    return snapshot.former_ids if snapshot is not None else ()


def former_ids_of(path: Path) -> tuple[str, ...]:
    """The ids the file at ``path`` went out under, read from its head alone (pressgen writes
    them there, one '- id' a line, before its record): none if it has none, is not there, or
    is not as pressgen writes it (its damage is named when it is read to be served)."""
    try:
        with path.open("rb") as file:
            head = file.read(4096).decode("utf-8", "replace")
    except OSError:
        return ()
    found = re.search(r"(?m)^former_ids:\n((?:- [a-z0-9-]+\n)+)", head.split("\nrecord:", 1)[0] + "\n")
    return tuple(line[2:] for line in found.group(1).splitlines()) if found else ()


def write_snapshot(snapshot: Snapshot) -> None:
    write_atomic(snapshot.path, snapshot.dumps())


def stale_snapshots(root: Path, translated: set[tuple[str, str]], ids: set[str], languages: Iterable[str]) -> list[Path]:
    """Snapshots of a live release (``ids``) that no version of it can serve any more: the one
    of the language the record is now written in. ``translated`` holds (language, id) of every
    translated version. Not those of a language taken out of pressgen.yaml (``languages``: the
    office's), the record of what went out in it while it is paused (unlisted_language_warnings):
    a trial's were deleted, and went out anew with today's date when the language came back."""
    languages = set(languages)
    return [path for path in _snapshot_files(root)
            if path.stem in ids and path.parent.name in languages and (path.parent.name, path.stem) not in translated]


def unlisted_language_warnings(root: Path, languages: Iterable[str], out: Path | None = None) -> list[str]:
    """Of each folder of published/ in a language pressgen.yaml no longer lists: its versions are
    offline, and their record stays until the office decides. ``out``: said before a build (check,
    status), which says their pages there go offline with the next build while they are there."""
    folder = root / PUBLISHED_DIR
    listed = set(languages)
    warnings = []
    for lang_folder in sorted(folder.iterdir()) if folder.is_dir() else ():
        count = sum(1 for _ in lang_folder.glob("*.yaml")) if lang_folder.is_dir() else 0
        if count and lang_folder.name not in listed:
            name = relative_name(root, lang_folder)
            pages = out / lang_folder.name if out is not None else None
            offline = (f"their pages in {relative_name(root, pages)}/ go offline with the next build"
                       if pages is not None and next(pages.glob("*.html"), None) else "their pages are offline")
            warnings.append(f"{name}/: {count} published version(s) in '{lang_folder.name}', which pressgen.yaml no "
                            f"longer lists in `languages`: {offline}; put '{lang_folder.name}' back to "
                            f"serve them again as they went out, or delete {name}/ if the language is gone for good")
    return warnings


def orphan_snapshots(root: Path, ids: set[str]) -> dict[str, list[Path]]:
    """The snapshots of each id no record has (``ids``: every record's, broken ones included).
    Never removed by a build: a release renamed with its headline changed cannot be told from
    one deleted, and what went out is the office's record (the build names them instead)."""
    orphans: dict[str, list[Path]] = {}
    for path in _snapshot_files(root):
        if path.stem not in ids:
            orphans.setdefault(path.stem, []).append(path)
    return orphans


def orphan_warnings(root: Path, ids: set[str], former: Mapping[str, str]) -> list[str]:
    """The warning of each release's published versions whose record is gone (none of ``ids``),
    which build, check and status say until the office acts. Those of an id a renamed release
    went out under (``former``: old id -> id) are said only where the release has its own
    already: an old copy a merge or a checkout brought back (a trial's build told the office
    to name in former_ids an id its record named already)."""
    warnings = []
    remembered: dict[str, str] | None = None
    for release_id, paths in orphan_snapshots(root, ids).items():
        these = "these files" if len(paths) > 1 else "this file"
        now = former.get(release_id)
        if now is None:
            # Or an id a release's own published files remember it went out under, its record
            # not naming it (renamed twice): read only when there is an orphan to place.
            if remembered is None:
                remembered = {old: path.stem for path in _snapshot_files(root) if path.stem in ids
                              for old in former_ids_of(path)}
            now = remembered.get(release_id)
        if now is None:
            # Its pages go with the record: a trial read "if it is gone for good" as if they were online still.
            # Deleted by mistake, git has it back (a trial was given every way out but that one).
            record = f"{RELEASES_DIR}/{release_id}.yaml"
            commit = _last_commit(root, record) if not (root / record).exists() else None
            restore = f"git checkout {commit} -- {record}"
            # Withdrawn already, as git last had it: putting `withdrawn:` back is no news to it.
            withdrawn = _withdrawn_in_git(root, commit, record) if commit else None
            if withdrawn:
                offline = (f", online and marked since the release was withdrawn (its record said `withdrawn: "
                           f"{withdrawn}`); to keep them so, restore the record with `{restore}`")
                retract = ""
            else:
                offline = f"; if it was deleted by mistake, restore it with `{restore}`" if commit else ""
                retract = "to retract it with its pages kept and marked, put its record back with `withdrawn:`; "
            warnings.append(f"{', '.join(relative_name(root, path) for path in paths)}: no record has the id "
                            f"'{release_id}' any more, and a build takes its pages offline{offline}; if the release "
                            f"was renamed, name '{release_id}' in its record's `former_ids` (what was published "
                            f"follows it); {retract}if it is gone for good, delete {these}")
            continue
        copies = [path for path in paths if snapshot_path(root, path.parent.name, now).exists()]
        if copies:
            these = "these files" if len(copies) > 1 else "this file"
            served = ", ".join(relative_name(root, snapshot_path(root, path.parent.name, now)) for path in copies)
            warnings.append(f"{', '.join(relative_name(root, path) for path in copies)}: an old copy from before "
                            f"'{release_id}' was renamed '{now}' (a merge or a checkout brought it back); what went "
                            f"out is in {served}, which the build serves: delete {these}")
    return warnings


def _snapshot_files(root: Path) -> list[Path]:
    folder = root / PUBLISHED_DIR
    return sorted(folder.glob("*/*.yaml")) if folder.is_dir() else []


class SnapshotPredecessors:
    """The snapshots a renamed release was published under, in each language: those of the
    ids its record names as former (``former_ids``), else an orphan snapshot (no record has
    its id) whose source record has the release's headline: the same release under a new
    id, as orphans.Predecessors finds its catalogs; or, for a version published before the
    headline changed, one under the same id as another language's so found. Orphans are read on the first question
    only, and only when there are any."""

    def __init__(self, root: Path, config: Config, ids: set[str]):
        self._root, self._config = root, config
        self.orphans = [path for paths in orphan_snapshots(root, ids).values() for path in paths]
        self._all = list(self.orphans)  # the orphans as found: a caller removes those it took
        self._headlines: dict[Path, str | None] = {}

    def find(self, lang: str, release: Release) -> Path | None:
        """The snapshot ``release`` was last published under in ``lang``, under another id; None if none."""
        mine = [path for path in self.orphans if path.parent.name == lang]
        for former in release.former_ids:
            path = snapshot_path(self._root, lang, former)
            if path in mine:
                return path
        # Renamed again, its record naming the first id only: the snapshot that went out under
        # it remembers it (a trial's second rename took the published versions offline).
        named = set(release.former_ids)
        same = [path for path in mine if named & set(went_out_under(path))] if named else []
        same = same or [path for path in mine if self._headline(path, release.source.path) == release.headline.value]
        if not same:
            # Published before its headline was edited (its translation outdated since): its
            # language's snapshot under the id where another language's has today's headline
            # is the same release's (a trial's Kazakh version went offline with the rename).
            siblings = {path.stem for path in self._all if path.parent.name != lang
                        and self._headline(path, release.source.path) == release.headline.value}
            same = [path for path in mine if path.stem in siblings]
        # Renamed twice, with both old snapshots kept: the one published last.
        return max(same, key=lambda path: (read_snapshot(path).published, path.name)) if same else None

    def _headline(self, path: Path, record_path: Path) -> str | None:
        """The headline of the source record a snapshot holds, read as if at ``record_path``
        (its photo is looked for in that project), None if it cannot be read."""
        if path not in self._headlines:
            try:
                snapshot = read_snapshot(path)
                source = load_record(record_path, self._config, Collector(), text=snapshot.record) if snapshot else None
            except PressgenError:
                source = None  # a damaged snapshot is named when it is read to be served
            self._headlines[path] = source.headline.value if source is not None else None
        return self._headlines[path]


class NoLongerRebuilt(PressgenError):
    """A published version whose file is whole, but whose record names a photo or an organisation
    the project no longer has: what to put back, not a file to restore (status says so)."""


def _of_the_project(error: PressgenError) -> bool:
    """Whether a published record's error comes from the project of today, not from its text:
    a photo gone from images/ (images.check_image) or an organisation gone from pressgen.yaml."""
    return error.message.startswith(("'file' ", "the photo ", "unknown organisation"))


def of_the_project(error: PressgenError) -> bool:
    """Whether a snapshot's error is what the project no longer has (Snapshot.source), not damage."""
    return isinstance(error, NoLongerRebuilt)


def _without_advice(error: PressgenError) -> str:
    """What a record's error says is wrong, without what it tells the record's writer to do."""
    if error.message.startswith("unknown organisation"):
        return error.message.partition("; if you renamed")[0]
    return error.message.split("; ")[0]


def _put_back(error: PressgenError, config: Config, current: Release | None) -> str:
    """What to put back for a published version's pages to be made again (_of_the_project): an
    organisation, or how to name its old key (under the one today's record, ``current``, names);
    a photo with the command that restores it from git (a trial's was deleted, and committed)."""
    if error.message.startswith("unknown organisation"):
        key = error.message.split("'")[1]
        hint = config.rename_hint(key, current.organisation if current is not None else None, known=True)
        return f"put organisation '{key}' back in pressgen.yaml, or, {hint}: its pages online are made from it"
    root = config.root
    photo = next((word.strip("'") for word in error.message.split() if word.startswith(("images/", "'images/"))),
                 "the photo")
    command = restore_command(root, root / photo, photo) if root is not None and photo != "the photo" else None
    return f"put {photo} back in images/ as it was{f' (`{command}`)' if command else ''}: its pages online show it"


def _read_record(config: Config, record_path: Path, text: str | None = None) -> tuple[Release | None, Collector]:
    """A record (``text``, or the file at ``record_path``) and the errors it has."""
    errors = Collector()
    try:
        source = load_record(record_path, config, errors, text=text)
    except PressgenError as exc:  # a syntax error
        errors.extend(exc)
        source = None
    return source, errors


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _moment(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line texts (the record) as literal blocks, so diffs read like the record;
    libyaml's emitter where PyYAML has it (an archive writes thousands of these)."""


def yaml_node(value: object) -> yaml.Node:
    """The YAML node of a snapshot's data (dicts, lists, strings, None), made here rather than
    by PyYAML's representer, which took a cold build of 1,000 releases 0.3 s: the serializer
    still quotes each string that would read as another type ('yes', '12')."""
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null")
    if isinstance(value, str):
        return yaml.ScalarNode("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)
    if isinstance(value, list):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [yaml_node(item) for item in value], flow_style=False)
    if isinstance(value, dict):
        return yaml.MappingNode("tag:yaml.org,2002:map", [(yaml_node(k), yaml_node(v)) for k, v in value.items()],
                                flow_style=False)
    raise TypeError(f"a snapshot holds no {type(value).__name__}")
