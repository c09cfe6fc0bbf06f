"""What the last build knew, so the next one renders only what changed.

Every output is keyed on a hash of everything that shapes it: the record and the
photo it names, its catalog in that language, the template and office catalogs,
the templates, stylesheets, fonts and images, pressgen.yaml, pressgen's version, and which
languages of the release are published (the page links to them). Hashing
file bytes costs far less than parsing, so an unchanged archive is checked
without reading a single record or catalog.

The cache lives in <project>/.pressgen/: cache.json, with one table of outputs per
output folder, and cache-parts/, the versions and the releases' own files in 256
parts read as they are needed (BuildCache). It is safe to delete; a corrupt or
foreign one is ignored with a warning, never trusted. It is written atomically,
after the outputs it describes. It names the project's own folders and files
relative to the project, so a project that is moved or copied (with its
.pressgen/) keeps its cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import orjson

from . import __version__, collector, stamp, theme
from .catalogs import glossary_path, messages_path, release_catalog_path, rendered_digest
from .feedtexts import FEED_TEXTS_DIR, FeedTexts
from .fsutil import write_if_changed, write_unsynced
from .model import Config
from .projectfiles import CACHE_DIR, COMPILED_DIR, PUBLISHED_DIR, RELEASES_DIR, relative_name

FORMAT = 6
"""3: output folders and the files of problems are named relative to the project.
4: listings carry their digest (outputs.listing); their feed texts are kept apart (FeedTexts).
5: versions and the releases' own files in parts (Table), what pages were listed as apart.
6: the feed texts in one database (feedtexts.py), not a file each."""

RACY_NS = 2_000_000_000
"""Files younger than this are hashed by content in the next build too."""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_content_hash(digest: str) -> bool:
    """Whether a file's digest (Fingerprints.file) is the hash of what it holds: not '-' (no
    file), nor what stands for a link out of the project or a file that cannot be read."""
    return len(digest) == 64 and not digest.startswith(("outside", "unreadable"))


def file_sha(path: Path) -> str:
    try:
        data = path.read_bytes()
        return sha(_as_rendered(data) if path.suffix == ".po" else data)
    except FileNotFoundError:
        return "-"
    except OSError as exc:
        # A folder where a file should be: the stage that reads it names the problem.
        return f"unreadable: {exc.strerror}"


_BOOKKEEPING = re.compile(rb'"(Project-Id-Version|Report-Msgid-Bugs-To|POT-Creation-Date|PO-Revision-Date|'
                          rb'Last-Translator|Language-Team|X-[A-Za-z0-9-]+): ((?:[^"\\\x00-\x1f\x7f]|\\[tbrfva\\"])*)'
                          rb'\\n"\r?')
"""A header line holding one of the fields that say who translated a catalog, when, with what
tool and for whom, and nothing else: nothing a page or PDF shows. Plural-Forms, Content-Type
and Language count."""


def _as_rendered(catalog: bytes) -> bytes:
    """A catalog as far as what it renders goes: the values of its header's bookkeeping fields
    left out. A new press contact in pressgen.yaml is written by `catalogs update` into every
    catalog's header, and a translator's tool stamps the date and its name on every save:
    neither renders a page again. Only lines of the header entry (`msgid ""` first) that hold
    one such field alone, with a value Babel and check read without complaint, are changed,
    and every line stays where it was, since the problems kept with a version name their lines."""
    lines = catalog.split(b"\n")
    first = next((number for number, line in enumerate(lines) if line.startswith(b"msgid")), None)
    if first is None or [line.rstrip(b"\r") for line in lines[first:first + 2]] != [b'msgid ""', b'msgstr ""']:
        return catalog
    for number in range(first + 2, len(lines)):
        if not lines[number].startswith(b'"'):
            break
        if (field := _BOOKKEEPING.fullmatch(lines[number])) and _read_alike(field[1], field[2]):
            lines[number] = b'"' + field[1] + b":"
    return b"\n".join(lines)


def _read_alike(name: bytes, value: bytes) -> bool:
    """Whether any value of the field reads the same as this one (a malformed one makes the
    catalog unreadable: that change must count)."""
    try:
        text = value.decode("utf-8")
        # Nothing check refuses (a C1 control, an invisible one that reorders the text), which a
        # value hidden from the hash would let a broken catalog pass as the one before (a trial's
        # 'OFFICE\yilmaz' in Last-Translator, which the escapes above now refuse, passed so).
        if _REFUSED.search(text):
            return False
        if name in (b"PO-Revision-Date", b"POT-Creation-Date") and text != "YEAR-MO-DA HO:MI+ZONE":
            dt.datetime.strptime(text[:16], "%Y-%m-%d %H:%M")
            offset = text[16:]
            # Babel's reader refuses an offset of a day or more ('+2500').
            if offset and not (re.fullmatch(r"[+-]\d{4}", offset) and int(offset[1:3]) < 24 and int(offset[3:]) < 60):
                return False
    except ValueError:
        return False
    return True


_REFUSED = re.compile("[\x80-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def combine(*parts: object) -> str:
    return sha("\x1f".join(map(str, parts)).encode("utf-8"))


@dataclass
class Fingerprints:
    """Hashes of the inputs shared by many outputs, computed once per build."""

    root: Path
    config: Config
    known: dict[str, list] = field(default_factory=dict)
    """The last build's hashes, by path: [size, mtime_ns, inode, sha, ctime_ns] (BuildCache.files)."""
    _theme: str | None = None
    _messages: dict[str, str] = field(default_factory=dict)
    _rendering: dict[str, str] = field(default_factory=dict)
    _rendered: dict[str, str] = field(default_factory=dict)
    _office: tuple[str, str] | None = None
    _files: dict[Path, str] = field(default_factory=dict)
    _folders_outside: dict[str, bool] = field(default_factory=dict)
    seen: dict[Path, tuple | None] = field(default_factory=dict)
    """What each input was when this build looked at it (stamp.signature; None: missing)."""
    wrote: set[Path] = field(default_factory=set)
    """Inputs this build wrote itself (published snapshots): trusted though new."""
    racy: set[Path] = field(default_factory=set)
    """Inputs saved within RACY_NS of being read: the build's stamp (stamp.py) would not
    see a change made in the same tick, so it keeps them as changed."""
    unreadable: bool = False
    """An input could not even be stat'ed: this build leaves no stamp."""

    def file(self, path: Path) -> str:
        """The file's hash; read only when its size, time or inode changed since it was
        last hashed, as git's index and make do: an unchanged archive is checked by stat."""
        if path not in self._files:
            try:
                info = stamp.signature(str(path))
            except OSError as exc:
                info = None if isinstance(exc, (FileNotFoundError, NotADirectoryError)) else ()
            self.seen[path] = info
            self.unreadable = self.unreadable or info == ()
            if self._outside(path, info):
                # Never a cache hit: the stage that reads the file refuses the link, in
                # build as in check, even when what it leads to is unchanged.
                self._files[path] = f"outside the project: {path.resolve()}"
                return self._files[path]
            if info is None:
                self._files[path] = "-"
                return "-"
            name = str(path)
            known = self.known.get(name)
            # The change time too, as git's index has it: cp -p of another version of the
            # same size over a file keeps its size, modification time and inode.
            if info and known and known[:3] == [info[1], info[2], info[3]] and known[4] == info[4]:
                self._files[path] = known[3]
            else:
                self._files[path] = file_sha(path)
                # A file changed in the last seconds may change again within the same
                # mtime tick: hash it again next time rather than trust its stat (git's
                # "racy clean" rule).
                if info and time.time_ns() - info[2] > RACY_NS:
                    self.known[name] = [info[1], info[2], info[3], self._files[path], info[4]]
                else:
                    self.known.pop(name, None)
                    if path not in self.wrote:
                        self.racy.add(path)
        return self._files[path]

    def watched(self, path: Path) -> None:
        """An input the build reads for itself, not by its hash (published/<lang>.messages.yaml,
        which a build writes and the next reads): kept in the stamp by its stat alone, so that
        a change to it means a full build, which reads it again."""
        try:
            self.seen[path] = stamp.signature(str(path))
        except OSError:
            self.seen[path] = None

    def _outside(self, path: Path, info: tuple | None) -> bool:
        """A project file that is, or sits in a folder that is, a link out of the project.
        Folders are resolved once each, so a no-op build stays a matter of stat calls."""
        name = str(path)
        if not name.startswith(self._prefix):
            return False  # pressgen's own bundled files
        folder = name.rpartition("/")[0]
        if folder not in self._folders_outside:
            self._folders_outside[folder] = not path.parent.resolve().is_relative_to(self._resolved_root)
        return self._folders_outside[folder] or (
            bool(info) and info[0] == stamp.LINK and not path.resolve().is_relative_to(self._resolved_root))

    def __post_init__(self) -> None:
        # Strings, not Paths, for the checks every input goes through.
        self._prefix = f"{self.root}/"
        self._resolved_root = self.root.resolve()

    def settled(self, path: Path) -> tuple | None:
        """A racy input's signature now, if it has since aged past RACY_NS and still holds what
        this build read; else None. A build that ran long after its inputs were saved (a cold
        build right after a checkout) then leaves a stamp that trusts them."""
        try:
            before = stamp.signature(str(path))
            if time.time_ns() - before[2] <= RACY_NS or file_sha(path) != self._files.get(path):
                return None
            return before if stamp.signature(str(path)) == before else None
        except OSError:
            return None

    def mark(self) -> tuple:
        """What is known now, so that learnt_since(mark) can tell what was learnt after it."""
        return dict(self.known), dict(self._files), set(self.seen), set(self.wrote), set(self.racy)

    def learnt_since(self, mark: tuple) -> dict:
        """What was hashed, seen and written since ``mark`` (None: a hash forgotten), for
        another copy of these fingerprints to learn (learn): a plan's child sends it home."""
        known, files, seen, wrote, racy = mark
        return {
            "known": {**{name: value for name, value in self.known.items() if known.get(name) is not value},
                      **{name: None for name in known.keys() - self.known.keys()}},
            "files": {**{path: digest for path, digest in self._files.items() if files.get(path) is not digest},
                      **{path: None for path in files.keys() - self._files.keys()}},
            "seen": {path: info for path, info in self.seen.items() if path not in seen},
            "wrote": self.wrote - wrote, "racy": self.racy - racy, "unreadable": self.unreadable,
        }

    def learn(self, learnt: dict) -> None:
        """Take in what another copy learnt (learnt_since), key by key: the cache's tables
        read their part of the disk before a key is set."""
        for table, changes in ((self.known, learnt["known"]), (self._files, learnt["files"])):
            for key, value in changes.items():
                if value is None:
                    table.pop(key, None)
                else:
                    table[key] = value
        self.seen.update(learnt["seen"])
        self.wrote |= learnt["wrote"]
        self.racy |= learnt["racy"]
        self.unreadable = self.unreadable or learnt["unreadable"]

    def written(self, path: Path, data: bytes) -> None:
        """This build is writing ``data`` to ``path`` (a published snapshot)."""
        self._files[path] = sha(data)
        self.known.pop(str(path), None)
        self.wrote.add(path)

    def forget(self, path: Path) -> None:
        """After this build wrote ``path`` (a published snapshot): hash it again when asked."""
        self._files.pop(path, None)
        self.known.pop(str(path), None)
        self.wrote.add(path)

    @property
    def theme(self) -> str:
        """Templates, stylesheets, fonts and images, by relative path."""
        if self._theme is None:
            files = theme.theme_files(self.root)
            self._theme = combine(*(f"{rel}={self.file(path)}" for rel, path in files.items()))
        return self._theme

    def language(self, lang: str) -> str:
        """Everything a version in ``lang`` shares with every other release: what its checks
        are keyed on, which name the catalogs' lines, so every byte of them counts."""
        if lang not in self._messages:
            self._messages[lang] = self._shared(lang, self.file)
        return self._messages[lang]

    def rendering(self, lang: str) -> str:
        """As ``language``, with the office's catalogs by what they render (``rendered``): what
        the outputs of every version in ``lang`` are keyed on. A translator's comment in
        messages.po, or the file wrapped anew by Poedit or msgcat, renders no page again (it
        rendered the language's every page, PDF and ninjs item)."""
        if lang not in self._rendering:
            self._rendering[lang] = self._shared(lang, self.rendered, "rendering")
        return self._rendering[lang]

    def _shared(self, lang: str, catalog, *kind: str) -> str:
        return combine(
            "pressgen", __version__, FORMAT, *kind, self.office(), self.theme, lang,
            catalog(messages_path(self.root, lang)), self.file(messages_path(theme.PACKAGE_DIR, lang)),
            # Every glossary there is: a pair of languages is checked with the terms of both
            # (qa.pair_terms), and a release's source language is any of them. By language, and
            # only those there are, so that a language added without one changes no key.
            *(f"{code}:{catalog(path)}" for code in dict.fromkeys((*self.config.languages, "en"))
              if self.file(path := glossary_path(self.root, code)) != "-"),
        )

    def office(self) -> str:
        """pressgen.yaml by what a release's outputs are made from: not its comments or layout,
        nor `languages` (a page links the languages it is ready in, which its outputs' keys hold,
        and the newsroom's keys the languages it has) nor `mail`. A language added to an archive,
        or a comment, made every page, PDF and ninjs item of every language again: at 10,000
        releases, hours of PDFs for a line that changed none of them."""
        if self.config.path is None:
            return "-"
        sha_of_file = self.file(self.config.path)
        if self._office is None or self._office[0] != sha_of_file:
            import yaml

            try:
                data = yaml.safe_load(self.config.path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                digest = sha_of_file  # the build reports why it cannot be read
            else:
                if isinstance(data, dict):
                    data = {key: value for key, value in data.items() if key not in ("languages", "mail")}
                digest = sha(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
            self._office = (sha_of_file, digest)
        return self._office[1]

    def rendered(self, path: Path) -> str:
        """A catalog's hash by what it renders (catalogs.rendered_digest): its file's hash when
        it is missing or cannot be read as a catalog, whose build reports why."""
        sha_of_file = self.file(path)
        if sha_of_file not in self._rendered:
            try:
                digest = rendered_digest(path.read_bytes())
            except OSError:
                digest = None
            self._rendered[sha_of_file] = digest or sha_of_file
        return self._rendered[sha_of_file]

    def version(self, record_sha: str, release_id: str, source_lang: str, lang: str) -> str:
        """The key of one release in one language (before knowing its siblings)."""
        catalog = "-" if lang == source_lang else self.file(release_catalog_path(self.root, lang, release_id))
        return combine(self.language(lang), record_sha, release_id, catalog)


class Table(dict):
    """A table of the cache kept in parts (.pressgen/cache-parts/<part>.json), each part read
    the first time one of its keys is asked for: a build of one release reads the few parts
    its versions and files are in, not the whole table. Iterating it sees the parts read so
    far (BuildCache.save reads the others first when it drops what a full build did not use)."""

    def __init__(self, part_of, read_part):
        super().__init__()
        self._part_of = part_of
        """Key -> its part's name, or None for a key kept in cache.json itself."""
        self._read_part = read_part
        self.looked_at: set[str | None] = set()
        """The parts a key of was asked for, set or dropped since the last save: the only ones
        a save during the build writes (a value changed in place was asked for first)."""

    def _need(self, key: str) -> None:
        part = self._part_of(key)
        self._read_part(part)
        self.looked_at.add(part)

    def __getitem__(self, key):
        self._need(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key) -> bool:
        self._need(key)
        return dict.__contains__(self, key)

    def get(self, key, default=None):
        self._need(key)
        return dict.get(self, key, default)

    def __setitem__(self, key, value) -> None:
        self._need(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key) -> None:
        self._need(key)
        dict.__delitem__(self, key)

    def pop(self, key, *default):
        self._need(key)
        return dict.pop(self, key, *default)

    def setdefault(self, key, default=None):
        self._need(key)
        return dict.setdefault(self, key, default)


PARTS = [f"{number:02x}" for number in range(256)]
"""The parts of the versions and files tables: 256, so that at 10,000 releases × 3 a part is
about 100 KB, and an edit reads and writes a handful of them."""


def version_part(key: str) -> str:
    """A version's part: the first byte of its key, a hash (combine)."""
    return key[:2]


def listed_part(rel: str) -> str:
    """A listed page's part: its release's, '<lang>/<id>.html' -> the part of '<id>'."""
    return name_part(rel.partition("/")[2].rpartition(".")[0])


def name_part(name: str) -> str:
    return hashlib.blake2b(name.encode("utf-8"), digest_size=1).hexdigest()


def file_part(name: str) -> str | None:
    """A release's own file (record, catalog, published snapshot) is in the part of its name,
    all three in one; the files every page shares stay in cache.json."""
    folder, _, base = name.rpartition("/")
    if not (folder.endswith(RELEASES_DIR) or folder.rpartition("/")[0].endswith(PUBLISHED_DIR)):
        return None
    return name_part(base.rpartition(".")[0])


@dataclass
class BuildCache:
    """What records and versions were (shared by every output folder, as it is keyed on
    content) and, per output folder, what was written. cache.json holds the outputs, the
    records and the shared files' hashes; the versions and the releases' own files are in
    256 parts under .pressgen/cache-parts/, read as they are needed (Table); what each
    listed page was listed as is in 256 more per output folder (``listed``), read when a
    build lists releases it does not look at."""

    path: Path
    out: str = ""
    """The output folder, as folder_key names it."""
    records: dict[str, dict] = field(default_factory=dict)
    """Record key -> {'id', 'lang'}: what a valid record was, without parsing it again."""
    versions: dict[str, dict] = field(default_factory=dict)
    """Version key -> {'ready': bool, 'gaps': [Gap.as_state(), …], 'meta': listing}."""
    outputs: dict[str, dict] = field(default_factory=dict)
    """Output path relative to out/ -> {'key', 'size'}: the files pressgen wrote there."""
    files: dict[str, list] = field(default_factory=dict)
    """Input path -> [size, mtime_ns, inode, sha]: what a file was when last hashed (Fingerprints)."""
    other_outputs: dict[str, dict] = field(default_factory=dict)
    """The same for other output folders of the project, kept as they are."""
    warning: str | None = None
    root: Path | None = None
    """The project: paths under it are kept relative to it in the file."""
    feed_texts: FeedTexts = field(default_factory=lambda: FeedTexts(None))

    def __post_init__(self) -> None:
        self.parts: Path | None = self.root / CACHE_DIR / PARTS_DIR if self.root else None
        self._read: dict[str, bytes | None] = {}
        """Each part read (or known to be new), with the digest of what it held (None: no file)."""
        self.versions = self._table(self.versions, version_part)
        self.files = self._table(self.files, file_part)
        self._damaged: list[str] = []
        """Parts found damaged as they were read, after the build began."""
        self._listed: dict[str, dict] | None = None
        self._listed_read: dict[str, dict] = {}
        """Each part of ``listed`` as read."""
        self._listed_set = False
        self._relisted: dict[str, dict] = {}
        self._listings_trusted = True
        self._file_parts: dict[str, str | None] = {}
        """Each file's part, for the saves during a build (``now_and_then``)."""
        self._saved_whole = False

    def _table(self, entries: dict, part_of) -> Table:
        table = Table(part_of, self._read_part)
        dict.update(table, entries)
        return table

    @classmethod
    def in_memory(cls) -> "BuildCache":
        """For check and status: they use what a build knows but write nothing."""
        return cls(Path("/dev/null"))

    @classmethod
    def load(cls, root: Path, out: Path) -> "BuildCache":
        path = root / CACHE_DIR / "cache.json"
        cache = cls(path, folder_key(root, out), root=root, feed_texts=FeedTexts(root / CACHE_DIR / FEED_TEXTS_DIR))
        if not path.exists():
            cache._start_afresh()
            return cache
        try:
            data = _loads(path.read_bytes())
            _check_header(data)
            if any(cache.parts.glob("*.json")) and not cache.feed_texts.database.is_file():
                raise ValueError("its feed texts are gone")
            records, versions, outputs = dict(data["records"]), dict(data["versions"]), dict(data["outputs"])
            files = _absolute_files(root, data.get("files", {}))
            for table in (records, versions, outputs, *outputs.values()):
                if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
                    raise ValueError("unexpected content")
            versions = _problem_paths(versions, lambda name: str(root / name) if not Path(name).is_absolute() else name)
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            fresh = cls(path, folder_key(root, out), root=root, feed_texts=cache.feed_texts)
            fresh.warning = f"{path.relative_to(root)}: ignoring the build cache ({exc}); everything is rendered again"
            fresh._start_afresh()
            return fresh
        cache.records = records
        # Through the tables: an entry of a part (none, as this pressgen writes cache.json)
        # would otherwise be lost when that part is written without having been read.
        for table, entries in ((cache.versions, versions), (cache.files, files)):
            for key, value in entries.items():
                table[key] = value
        cache.outputs = outputs.pop(cache.out, {})
        cache.other_outputs = outputs
        return cache

    def _start_afresh(self) -> None:
        """Without a cache.json to trust, no part is trusted either: each counts as read and
        empty, and the next save writes or removes every one."""
        self._read = dict.fromkeys(PARTS, b"")
        self._listings_trusted = False

    def _read_part(self, part: str | None) -> None:
        if part is None or part in self._read:
            return
        self._read[part] = None
        if self.parts is None:
            return
        path = self.parts / f"{part}.json"
        try:
            raw = path.read_bytes()
            data = _loads(raw)
            _check_header(data)
            versions, files = dict(data["versions"]), _absolute_files(self.root, data["files"])
            if not all(isinstance(v, dict) for v in versions.values()):
                raise ValueError("unexpected content")
            versions = _problem_paths(versions, lambda name: str(self.root / name) if not Path(name).is_absolute() else name)
        except FileNotFoundError:
            return  # nothing in it yet
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            # What it knew is looked at again (a version translated, a file hashed); the
            # rest of the cache holds, as each entry is keyed on content.
            self._damaged.append(f"{path.relative_to(self.root)}: ignoring this part of the build cache ({exc})")
            self._read[part] = b""
            return
        self._read[part] = _digest(raw)
        # Not over what this build found already: a key is asked for before it is set.
        for table, entries in ((self.versions, versions), (self.files, files)):
            for key, value in entries.items():
                if not dict.__contains__(table, key):
                    dict.__setitem__(table, key, value)

    @property
    def later_warnings(self) -> list[str]:
        """The damaged parts read, in one line: a build may read all 256; and the feed texts
        found gone or damaged, which the feeds made now lack."""
        said = []
        if len(self._damaged) == 1:
            said.append(f"{self._damaged[0]}; what it knew is worked out again")
        elif self._damaged:
            said.append(f"{self._damaged[0]} and {len(self._damaged) - 1} more parts; what they knew is worked out again")
        lost = self.feed_texts.lost
        if self.feed_texts.remade and self.root is not None:
            said.append(f"{relative_name(self.root, str(self.feed_texts.database))}: it was damaged, and is made anew; "
                        "the feeds made now may give some releases without their text, and the next `pressgen build` "
                        "works every version out again and makes them whole")
        elif lost and self.root is not None:
            texts = "the feed texts of {} listed versions are".format(len(lost)) if len(lost) > 1 else \
                "the feed text of a listed version is"
            said.append(f"{relative_name(self.root, str(self.feed_texts.database))}: {texts} lost from the build cache, "
                        "so the feeds give those releases without their text; the next `pressgen build` makes them whole")
        return said

    @property
    def parts_read(self) -> set[str]:
        """The parts read so far (or found missing)."""
        return set(self._read)

    @property
    def listed(self) -> dict[str, dict]:
        """What each listed page of the output folder was listed as ('<lang>/<id>.html' ->
        listing), as the last build left it: for a release whose version failed, and for the
        releases a build of some releases does not look at. Kept in 256 marshal files by
        release (listed_part), all read at once; a build writes again those that changed."""
        if self._listed is None:
            self._listed = {}
            for part in PARTS if self.root is not None and self._listings_trusted else ():
                self._listed.update(self._listed_part(part) or {})
            self._listed.update({rel: meta for rel, meta in self._relisted.items() if meta is not None})
            for rel in [rel for rel, meta in self._relisted.items() if meta is None]:
                self._listed.pop(rel, None)
        return self._listed

    @listed.setter
    def listed(self, listed: dict[str, dict]) -> None:
        if self._listed is None:
            self._listed_read = {}
        self._listed, self._listed_set = listed, True

    def listing(self, rel: str) -> dict | None:
        """What one page was listed as (``listed``), reading its own part alone when the whole
        was not read: an edit in place looks at a few dozen releases' listings, not 30,000."""
        if self._listed is not None:
            return self._listed.get(rel)
        if rel in self._relisted:
            return self._relisted[rel]
        return (self._listed_part(listed_part(rel)) or {}).get(rel) \
            if self.root is not None and self._listings_trusted else None

    def _listed_part(self, part: str) -> dict | None:
        """One part of ``listed`` as the last build wrote it, read once; None when unreadable."""
        if part not in self._listed_read:
            try:
                data = marshal.loads((self._listed_folder() / part).read_bytes())
                _check_header(data)
                if not isinstance(data["listed"], dict):
                    raise ValueError("unexpected content")
            except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
                return None
            self._listed_read[part] = data["listed"]
        return self._listed_read[part]

    def relist(self, listed: dict[str, dict | None]) -> None:
        """Some pages listed anew (None: no longer), the others as they were (an edit whose
        releases stay in place): only their parts change, and saving writes only those."""
        if self._listed is not None:
            for rel, meta in listed.items():
                if meta is None:
                    self._listed.pop(rel, None)
                else:
                    self._listed[rel] = meta
        self._relisted.update(listed)

    def listing_parts(self) -> list[Path]:
        """The files ``listed`` is kept in: the stamp vouches for them (stamp.write), so that an
        edit reads only the parts it needs without knows_listing reading them all. None when
        the cache is not trusted (its cache.json or feed texts gone): its listings are not."""
        return [self._listed_folder() / part for part in PARTS] if self.root is not None and self._listings_trusted \
            else []

    def knows_listing(self) -> bool:
        """Whether ``listed`` was read whole, as the last build wrote it (a build of some
        releases lists the others from it: without it, they are all looked at)."""
        return self.listed is not None and len(self._listed_read) == len(PARTS)

    def _listed_folder(self) -> Path:
        return self.root / CACHE_DIR / PARTS_DIR / f"listings-{self.out_digest()}"

    def out_digest(self) -> str:
        return out_digest(self.out)

    def output_folders(self) -> list[str]:
        """Every output folder the cache knows of (folder_key), this build's first."""
        return [self.out, *(key for key in self.other_outputs if key != self.out)]

    def own_folders(self) -> list[Path]:
        """The folders of .pressgen a build writes whole files into, named by content or part
        (feed texts, cache parts, compiled templates), where nothing rewrites a temporary a
        killed build left."""
        if self.root is None:
            return []
        return [self.root / CACHE_DIR / folder for folder in (PARTS_DIR, FEED_TEXTS_DIR, COMPILED_DIR)]

    def present_outputs(self) -> set[str]:
        """The out_digest of each output folder the cache knows of that is still there: what
        .pressgen keeps for one that is gone (a one-off `-o /tmp/preview`) can go."""
        assert self.root is not None
        return {out_digest(key) for key in self.output_folders() if (self.root / key).is_dir()}

    def _save_listed(self) -> None:
        """Each part of ``listed`` that changed, and every one when it was not read: a part
        with nothing listed is written too, so that a missing one tells of a loss. After
        relist alone, only its parts: the other 30,000 pages of a large archive were not
        looked at again."""
        if not self._listed_set and (self._relisted or self._listed is None):
            for part in {listed_part(rel) for rel in self._relisted}:
                mine = {**(self._listed_part(part) or {}),
                        **{rel: meta for rel, meta in self._relisted.items() if listed_part(rel) == part}}
                listed = {rel: meta for rel, meta in mine.items() if meta is not None and rel in self.outputs}
                if self._listed_read.get(part) != listed:
                    write_unsynced(self._listed_folder() / part, marshal.dumps({**_header(), "listed": listed}))
            return
        parts: dict[str, dict] = {part: {} for part in PARTS}
        for rel, meta in self._listed.items():
            # Only pages still there: a page removed after the newsroom was made is listed no more.
            if rel in self.outputs:
                parts[listed_part(rel)][rel] = meta
        for part, listed in parts.items():
            # Cheap for the parts an edit left alone: their listings are the very objects read.
            if self._listed_read.get(part) != listed:
                write_unsynced(self._listed_folder() / part, marshal.dumps({**_header(), "listed": listed}))

    def save(self, keep: tuple[set[str], set[str]] | None = None, *, now_and_then: bool = False) -> None:
        """Write atomically; with ``keep`` (records, versions used by a full build), drop the rest.

        ``now_and_then``: a save during the build, so that a build killed keeps its work, of
        the parts looked at since the last save only. At 10,000 releases x 3 every part is
        0.1 s to write out again (each one laid out, to tell whether it changed), every two
        seconds of a PDF build; the parts its PDFs look at are a few."""
        # The feed texts first: a version the cache names must have its text kept (a failure here saves nothing).
        self.feed_texts.flush()
        records = self.records
        if keep is not None:
            for part in PARTS:
                self._read_part(part)
            records = {k: v for k, v in records.items() if k in keep[0]}
            for key in [k for k in self.versions if k not in keep[1]]:
                dict.__delitem__(self.versions, key)
        # The first save writes every part read: parts not read may be what a cache found
        # damaged left (_start_afresh), and only a whole save makes them trusted again.
        some = now_and_then and keep is None and self._saved_whole
        parts = self._parts(self.versions.looked_at | self.files.looked_at if some else None)
        head = parts.pop(None)
        versions = _problem_paths(head["versions"], partial(relative_name, self.root)) if self.root else head["versions"]
        data = {**_header(), "records": records, "versions": versions,
                "outputs": {**self.other_outputs, self.out: self.outputs}, "files": head["files"]}
        if self.parts is not None:
            for part, tables in parts.items():
                self._write_part(part, tables)
            if self._listed_set or self._listed_read or self._relisted:
                self._save_listed()
            self.feed_texts.save_lost(every_version=keep is not None)
            if keep is not None:
                self.feed_texts.keep_only(self.versions.values())
            # Though no version was listed (every record broken): a cache is trusted only beside it (load).
            self.feed_texts.ensure()
            self.feed_texts.close()
            # What it kept of output folders that are gone: their listings and remembered newsroom.
            here = self.present_outputs()
            for folder in self.parts.glob("*-*"):
                kind, _, digest = folder.name.partition("-")
                if kind in ("listings", "newsroom") and folder.is_dir() and digest not in here:
                    shutil.rmtree(folder, ignore_errors=True)
        # A no-op build leaves the file as it was (and spends no fsync on it).
        write_if_changed(self.path, orjson.dumps(data, option=orjson.OPT_SORT_KEYS))
        self.versions.looked_at.clear()
        self.files.looked_at.clear()
        self._saved_whole = True

    def let_go(self) -> None:
        """Forget the versions, files and listings read or learnt, once saved: at 10,000 releases
        x 3 they are about a hundred MB, which what a build does after saving (its stamp) would
        otherwise come on top of. Only ``outputs`` and ``records`` stay."""
        dict.clear(self.versions)
        dict.clear(self.files)
        self._file_parts.clear()
        self._listed, self._listed_read, self._relisted = None, {}, {}

    def _parts(self, only: set[str | None] | None = None) -> dict[str | None, dict]:
        """Each part read (or each of ``only``), with its versions and files (None: what
        cache.json keeps)."""
        parts: dict[str | None, dict] = {part: {"versions": {}, "files": {}}
                                         for part in self._read if only is None or part in only}
        parts[None] = {"versions": {}, "files": {}}
        for key, state in dict.items(self.versions):
            part = version_part(key)
            if only is None or part in parts:
                parts[part]["versions"][key] = state
        for name, known in dict.items(self.files):
            if only is None:
                part = file_part(name)
            elif (part := self._file_parts.get(name, "")) == "":
                # Worked out once (a hash of the name) in a build that saves now and then.
                part = self._file_parts[name] = file_part(name)
            if only is None or part in parts:
                parts[part]["files"][relative_name(self.root, name) if self.root else name] = known
        return parts

    def _write_part(self, part: str, tables: dict) -> None:
        path = self.parts / f"{part}.json"
        if not tables["versions"] and not tables["files"]:
            path.unlink(missing_ok=True)
            return
        data = orjson.dumps({**_header(), "versions": _problem_paths(tables["versions"], partial(relative_name, self.root)),
                             "files": tables["files"]}, option=orjson.OPT_SORT_KEYS)
        if _digest(data) != self._read.get(part):
            write_unsynced(path, data)


PARTS_DIR = "cache-parts"


def _digest(data: bytes) -> bytes:
    """What a part held when read, to write it again only if changed (not the bytes: a full
    build reads every part, 20 MB at 10,000 releases × 3)."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _header() -> dict:
    return {"tool": "pressgen", "format": FORMAT, "version": __version__}


def _check_header(data) -> None:
    if data.get("tool") != "pressgen" or data.get("format") != FORMAT or data.get("version") != __version__:
        raise ValueError("written by another version of pressgen")


def _absolute_files(root: Path, files) -> dict[str, list]:
    return {name if name.startswith("/") else f"{root}/{name}": list(known) for name, known in dict(files).items()
            if isinstance(known, list) and len(known) == 5}


def _loads(data: bytes):
    """JSON, with Python's cycle collector paused: a large archive's cache is millions of
    small objects, none of them in a cycle, which it would otherwise walk again and again."""
    with collector.paused():
        return orjson.loads(data)


def out_digest(key: str) -> str:
    """An output folder's (folder_key) part of the names of what .pressgen keeps for it alone."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def folder_key(root: Path, folder: Path) -> str:
    """How the cache names an output folder: relative to the project when inside it, so a
    moved or copied project keeps its cache; absolute when outside (-o /srv/www).

    >>> folder_key(Path("/work/office"), Path("/work/office/out"))
    'out'
    >>> folder_key(Path("/work/office"), Path("/srv/www/news"))
    '/srv/www/news'
    """
    return relative_name(root, str(folder))



def _problem_paths(versions: dict[str, dict], convert) -> dict[str, dict]:
    """``versions`` with the file of each gap and mistake (Gap.as_state, Builder.label_mistakes:
    [path, line, message, …]) passed through ``convert``; the states themselves are not changed,
    as a build goes on using them while the cache is saved."""
    changed = {}
    for key, state in versions.items():
        lists = {name: state[name] for name in ("gaps", "mistakes") if state.get(name)}
        if lists:
            state = {**state, **{name: [[convert(problem[0]), *problem[1:]] for problem in problems]
                                 for name, problems in lists.items()}}
        changed[key] = state
    return changed
