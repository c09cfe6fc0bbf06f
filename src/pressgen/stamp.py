"""A build with nothing to do, told by stat calls alone.

After a build without problems, its stamp (.pressgen/stamp-<output folder>) keeps
what that build read and left: the size, time and inode of every input file it
looked at (records, catalogs, published snapshots, templates, photos,
pressgen.yaml, glossaries; files it found missing too), what it found in the
folders it lists, the outputs it left in out/, and what it reported. The next
build with the same options compares. When nothing differs, no embargo has
lifted since and every output is still there, it reports what the last one did
without reading a record or importing Jinja, Babel or WeasyPrint: make's and
ninja's rule, with git's guard against "racy" files (one saved within two
seconds of the build that read it is looked at again). Any doubt (a changed
file, folder, option, pressgen version, an unreadable stamp) means a full build,
which checks everything by hash as before.

This module imports nothing heavy: the command line asks it first.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import marshal
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, images, theme
from .gaps import Gap
from .projectfiles import CACHE_DIR, LOCALES_DIR, PUBLISHED_DIR, RELEASES_DIR, is_record_name, relative_name
from .report import BuildReport, OutputPaths

FORMAT = 5
LINK = 1
"""signature()'s first field for a symbolic link (the file's type bits, stat.S_IFMT, else)."""
RACY = ("racy",)
"""The signature kept for an input saved just before it was read: never a file's."""


def signature(path: str) -> tuple[int, int, int, int, int, int]:
    """(kind, size, mtime_ns, inode, ctime_ns, the link's own inode): what a file is, by one
    lstat (two for a link, whose target is what is read). The change time, which no tool
    can set back, catches an edit that keeps size and modification time (cp -p over a
    file, as git's index does). Raises FileNotFoundError."""
    info = os.lstat(path)
    if not stat.S_ISLNK(info.st_mode):
        return (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns, 0)
    try:
        target = os.stat(path)
    except OSError:
        return (LINK, -1, -1, -1, -1, info.st_ino)  # a dangling link
    return (LINK, target.st_size, target.st_mtime_ns, target.st_ino, target.st_ctime_ns, info.st_ino)


def options_key(out: Path, languages: tuple[str, ...], formats: tuple[str, ...], drafts: bool,
                publish: bool) -> str:
    """What a build was asked to do: a stamp serves only the same request."""
    text = "\x1f".join(map(str, (__version__, FORMAT, out, ",".join(languages), ",".join(formats), drafts, publish)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path(root: Path, out: Path) -> Path:
    name = hashlib.sha256(str(out).encode("utf-8")).hexdigest()[:16]
    return root / CACHE_DIR / f"stamp-{name}"


def remove(root: Path, out: Path) -> None:
    """Before a build changes anything: its stamp no longer says what out/ is."""
    try:
        _path(root, out).unlink()
    except FileNotFoundError:
        pass


def listings(root: Path) -> dict[str, list[str]]:
    """What a build finds by listing folders rather than by name: records, snapshots,
    the theme's files (and links out of it) and photos."""
    found: dict[str, list[str]] = {}
    try:
        found[RELEASES_DIR] = sorted(name for name in os.listdir(root / RELEASES_DIR) if is_record_name(name))
    except OSError:
        found[RELEASES_DIR] = []
    # Each file with the folder it comes from: the office's own templates/base.html in place
    # of the bundled one has the same name in the theme.
    found["theme"] = [*(f"{rel}={relative_name(root, str(path))}" for rel, path in theme.theme_files(root).items()),
                      *map(str, theme.escaping_links(root))]
    found["images"] = list(images.image_files(root))
    return {**found, **_snapshots(root)}


def _snapshots(root: Path) -> dict[str, list[str]]:
    """published/: the build's own folder, which it may change as it runs."""
    found: dict[str, list[str]] = {}
    published = root / PUBLISHED_DIR
    try:
        for lang in sorted(os.listdir(published)):
            try:
                found[f"{PUBLISHED_DIR}/{lang}"] = sorted(os.listdir(published / lang))
            except OSError:
                continue
    except OSError:
        pass
    return found


def _ancestors(names: list[str]) -> set[str]:
    folders: set[str] = set()
    for name in names:
        folder = os.path.dirname(name)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return folders


@dataclass
class Draft:
    """What a stamp says of the build's inputs and outputs (``files``, ``folders``, ``outputs``,
    ``listings``, ``records``, ``languages``): made while Pagefind indexes (0.1 s at 10,000
    releases), written once the build is done (write)."""

    data: dict


def draft(root: Path, listed: dict[str, list[str]], seen: dict[Path, tuple | None], wrote: set[Path],
          racy: dict[Path, tuple | None], languages: tuple[str, ...], records: list[tuple[Path, str]],
          outputs: Iterable[str], last: dict | None = None) -> Draft:
    """What this build listed as it began, read, and wrote of its inputs; after a build of the
    changed releases (Changed), what the ``last`` stamp knew of the others stays. An input
    saved in the seconds before it was read (``racy``) is kept as changed, unless it has settled
    since (Fingerprints.settled: its signature now, else None): its stat may not show the next
    change made within the same tick, so the next build looks at it again (only at its release,
    when it is a release's own file). ``outputs``: what the build leaves in out/ (the cache's
    outputs), but the search index (write). Made once published/ is as the build leaves it.
    """
    files: dict[str, tuple | None] = dict(last["files"]) if last else {}
    for path, info in seen.items():
        if path in wrote:
            try:
                info = signature(str(path))
            except OSError:
                info = None
        elif path in racy:
            info = racy[path] or RACY
        files[relative_name(root, path)] = info
    # The folders of the files it names; after a build of some releases, the last stamp's
    # (look() found each as it was) and those of files it did not name.
    folders = dict(last["folders"]) if last else {}
    new = [n for n in files if not n.startswith("/") and not (last and n in last["files"])]
    folders.update({name: _folder_signature(root, name) for name in _ancestors(new) if name not in folders})
    return Draft({
        "files": files, "folders": folders, "outputs": _by_folder(outputs),
        "listings": {**{k: v for k, v in listed.items() if not k.startswith(f"{PUBLISHED_DIR}/")}, **_snapshots(root)},
        # Every record, in order, by its file: a build of some releases read only theirs.
        "records": last["records"] if last else [(relative_name(root, path), release_id) for path, release_id in records],
        # The office's languages, whose release catalogs and snapshots are their releases' own (Owners).
        "languages": list(languages),
    })


def _by_folder(outputs: Iterable[str]) -> dict[str, list[str]]:
    by_folder: dict[str, list[str]] = {}
    for rel in outputs:
        folder, _, name = rel.rpartition("/")
        if name:  # not a folder's own entry (search.py's 'pagefind/')
            by_folder.setdefault(folder, []).append(name)
    return by_folder


def write(root: Path, out: Path, options: str, inputs: Draft, index: list[str], report: BuildReport,
          release_outputs: list[str], kept: dict | None = None, vouched: list[Path] = ()) -> None:
    """Keep what this build, which found no problem, read and left (``inputs``, its draft),
    and the files of its search index (``index``).
    ``kept``: what the newsroom's plan leaves for the next build of the changed releases (the
    tags' alternates, site.plan_site's ``kept``; the token of the plan sitememory remembered),
    true of the listings it describes. ``vouched``: files the build wrote and the next one
    trusts as they are when the stamp finds them unchanged (the cache's listing parts,
    Changed.vouches); one that changes means a full build.
    """
    files, folders = inputs.data["files"], inputs.data["folders"]
    names = []
    for path in vouched:
        try:
            files[name := relative_name(root, path)] = signature(str(path))
        except OSError:
            continue  # not there: not vouched for
        names.append(name)
    folders.update({name: _folder_signature(root, name) for name in _ancestors(names) if name not in folders})
    by_folder = inputs.data["outputs"]
    for folder, files_of_index in _by_folder(index).items():
        by_folder.setdefault(folder, []).extend(files_of_index)
    try:
        cache = signature(str(root / CACHE_DIR / "cache.json"))
    except OSError:
        return
    data = {
        "format": FORMAT, "options": options, "cache": cache, **inputs.data,
        "until": min(report.embargoes.values()).timestamp() if report.embargoes else None,
        "kept": kept or {},
        "report": {
            "outputs": release_outputs,
            "not_ready": [(release_id, lang, [gap.as_state() for gap in gaps])
                          for release_id, lang, gaps in report.not_ready],
            "outdated": [(release_id, lang, [gap.as_state() for gap in gaps], published)
                         for release_id, lang, gaps, published in report.outdated],
            "embargoes": {release_id: until.isoformat() for release_id, until in report.embargoes.items()},
            "standing": list(report.standing),
            "standing_releases": dict(report.standing_releases),
            "behind": list(report.behind),
        },
    }
    path = _path(root, out)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(marshal.dumps(data))
        temporary.replace(path)  # like the cache: may be lost, never torn
    except (OSError, ValueError):
        temporary.unlink(missing_ok=True)


def _folder_signature(root: Path, name: str) -> tuple | None:
    """A folder's inode and whether it is a link: a folder moved away and linked back
    keeps its files' inodes, not its own."""
    try:
        info = os.lstat(root / name)
    except OSError:
        return None
    return (stat.S_IFMT(info.st_mode), info.st_ino)


@dataclass
class Changed:
    """Since the last build, only some releases' own files changed (their records,
    catalogs or snapshots): a build of those releases, with the rest of the last report."""

    release_ids: set[str]
    last: dict
    """The stamp: what the other releases were."""
    found: dict[str, list[str]] | None = None
    """What look() found in the folders a build lists (listings()), so the build does not list them again."""

    def record_paths(self, root: Path) -> list[Path]:
        """The records of the changed releases."""
        return [root / rel for rel, release_id in self.last["records"] if release_id in self.release_ids]

    def vouches(self, root: Path, paths: list[Path]) -> bool:
        """Whether the last build vouched for all of ``paths`` (write's ``vouched``): the
        check that found this stamp's files unchanged found these too."""
        files = self.last["files"]
        return bool(paths) and all(files.get(relative_name(root, path)) is not None for path in paths)

    def ids(self) -> list[str]:
        """Every release, in the order of its record's file name."""
        return [release_id for _, release_id in self.last["records"]]

    def other_ids(self) -> list[str]:
        return [release_id for release_id in self.ids() if release_id not in self.release_ids]

    def holds(self, root: Path, records: list) -> bool:
        """Whether every record is still the release it was (an id can be changed in a record)."""
        owners = dict(self.last["records"])
        return all(owners.get(relative_name(root, record.path), record.id) == record.id for record in records)

    def others(self, out: Path) -> BuildReport:
        """The last report, less the changed releases."""
        data, changed = self.last["report"], self.release_ids
        report = BuildReport(unchanged=OutputPaths(out, [rel for rel in data["outputs"] if release_of(rel) not in changed]))
        report.not_ready = [(release_id, lang, [Gap.from_state(g) for g in gaps])
                            for release_id, lang, gaps in data["not_ready"] if release_id not in changed]
        report.outdated = [(release_id, lang, [Gap.from_state(g) for g in gaps], published)
                           for release_id, lang, gaps, published in data["outdated"] if release_id not in changed]
        for release_id, until in data["embargoes"].items():
            if release_id not in changed:
                report.embargoed(dt.datetime.fromisoformat(until), release_id)
        report.behind = [rel for rel in data.get("behind", ()) if release_of(rel) not in changed]
        # Not of the changed releases: a change that could mend one (published/'s files,
        # messages.po, a record added or removed) makes a full build, which finds them anew.
        of_release = data.get("standing_releases", {})
        for warning in data.get("standing", ()):
            # One of a release built now is found anew, or is mended (a snapshot restored).
            if of_release.get(warning) not in changed:
                report.warn_standing(warning, of_release.get(warning))
        return report


def release_of(rel: str) -> str:
    """'kk/some-id.pdf' -> 'some-id'."""
    return rel.partition("/")[2].rpartition(".")[0]


class Owners:
    """Which release a file is its own: its record (``records``, (name, id) of every record), its
    catalog in one of the office's ``languages`` (locales/<lang>/releases/<id>.po) and its
    snapshot (published/<lang>/<id>.yaml). Told from the name, not kept: at 10,000 releases the
    stamp would hold 50,000 names twice."""

    def __init__(self, records: list, languages: list[str]):
        self.records: dict[str, str] = dict(records)
        self.ids = set(self.records.values())
        self.languages = set(languages)

    def of(self, name: str) -> str | None:
        """The release whose own file ``name`` (relative to the project) is, or None.

        >>> owners = Owners([("releases/a.yaml", "a"), ("releases/b-2011.yaml", "b")], ["en", "kk"])
        >>> [owners.of(name) for name in ("releases/b-2011.yaml", "locales/kk/releases/b.po", "published/kk/a.yaml",
        ...  "locales/tr/releases/a.po", "published/kk/c.yaml", "locales/kk/LC_MESSAGES/messages.po", "releases/b.yaml")]
        ['b', 'b', 'a', None, None, None, None]
        """
        owner = self.records.get(name)
        if owner is not None:
            return owner
        parts = name.split("/")
        if len(parts) == 4 and parts[0] == LOCALES_DIR and parts[2] == "releases" and parts[3].endswith(".po"):
            lang, release_id = parts[1], parts[3][:-3]
        elif len(parts) == 3 and parts[0] == PUBLISHED_DIR and parts[2].endswith(".yaml"):
            lang, release_id = parts[1], parts[2][:-5]
        else:
            return None
        return release_id if lang in self.languages and release_id in self.ids else None


def look(root: Path, out: Path, options: str, meanwhile: Callable[[], object] | None = None
         ) -> BuildReport | Changed | None:
    """What the stamp tells of the build asked for: nothing changed (the last report,
    replayed), only some releases' own files changed (Changed), or anything else (None:
    a full build, also when the stamp cannot be read or is not one this pressgen wrote).
    ``meanwhile``: what the caller will need if the build goes on (its imports), done while
    a child process looks at the files (_Differing)."""
    try:
        data = _loads(_path(root, out).read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("options") != options:
            return None
        differing = _Differing(root, data["files"], meanwhile)
        try:
            return _compare(root, out, data, differing)
        finally:
            differing.close()
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError, IndexError):
        return None


def _differ(root: Path, files: dict[str, tuple | None]) -> list[str] | None:
    """The names of ``files`` whose signature is not the one known; None if one cannot be looked at."""
    base = f"{root}/"
    differ = []
    for name, known in files.items():
        try:
            info = signature(name if name.startswith("/") else base + name)
        except (FileNotFoundError, NotADirectoryError):
            info = None
        except OSError:
            return None
        if info != known:
            differ.append(name)
    return differ


class _Differing:
    """_differ, in a child process while this one makes the stamp's other checks and then
    ``meanwhile`` (an edit's build imports what it builds with: 0.1 s, beside the 0.14 s
    of 50,000 lstat calls at 10,000 releases × 3). In this process when there is no
    ``meanwhile``, no fork, or threads that a fork would leave behind (pressgen serve), and
    for fewer than FORK_FROM files: a no-op would then wait for imports it does not need."""

    FORK_FROM = 30_000
    """Files whose lstat calls take about as long as the imports (~6,000 releases × 3)."""

    def __init__(self, root: Path, files: dict, meanwhile: Callable[[], object] | None):
        self.root, self.files, self.meanwhile = root, files, meanwhile
        self.pid: int | None = None
        if meanwhile is None or len(files) < self.FORK_FROM or not hasattr(os, "fork") or threading.active_count() > 1:
            return
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its answer down the pipe, and gone without Python's exit
            try:
                os.close(reader)
                gc.disable()  # a collection would walk (and copy) every object of the stamp
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it quietly, with the build
                answer = marshal.dumps(_differ(root, files))
                view = memoryview(answer)
                while view:
                    view = view[os.write(writer, view):]
            finally:
                os._exit(0)
        os.close(writer)
        self.pid, self.reader = pid, reader

    def __call__(self) -> list[str] | None:
        if self.pid is None:
            return _differ(self.root, self.files)
        self.meanwhile()  # type: ignore[misc]
        chunks = []
        while chunk := os.read(self.reader, 1 << 20):
            chunks.append(chunk)
        self.close()
        return marshal.loads(b"".join(chunks)) if chunks else None  # nothing: it failed, build everything

    def close(self) -> None:
        """Reap the child, whether or not its answer was asked for (another check said enough)."""
        if self.pid is not None:
            os.close(self.reader)
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None


def _loads(data: bytes):
    """marshal.loads with the cycle collector paused: a stamp of 10,000 releases is a million
    small objects in no cycle, which it would walk as they are made (cache._loads)."""
    gc.disable()
    try:
        return marshal.loads(data)
    finally:
        gc.enable()


def _compare(root: Path, out: Path, data: dict, differing: Callable[[], list[str] | None]
             ) -> BuildReport | Changed | None:
    until = data["until"]
    if until is not None and time.time() >= until:
        return None  # an embargo lifted: the release is listed now
    try:
        if signature(str(root / CACHE_DIR / "cache.json")) != data["cache"]:
            return None
    except OSError:
        return None
    for name, known in data["folders"].items():
        if _folder_signature(root, name) != known:
            return None
    for folder, names in data["outputs"].items():
        try:
            present = set(os.listdir(out / folder if folder else out))
        except OSError:
            return None
        if not present.issuperset(names):
            return None
    found, last = listings(root), data["listings"]
    differ = differing()
    if differ is None:
        return None
    owners = Owners(data["records"], data["languages"])
    changed: set[str] = set()
    for name in differ:
        owner = owners.of(name)
        if owner is None:
            return None  # pressgen.yaml, the theme, an office catalog, a glossary: every page's
        changed.add(owner)
    for key in found.keys() | last.keys():
        if found.get(key) == last.get(key):
            continue
        if not key.startswith(f"{PUBLISHED_DIR}/"):
            return None  # a record added or removed, a template or a photo: a full build
        for name in set(found.get(key, ())) ^ set(last.get(key, ())):
            owner = owners.of(f"{key}/{name}")
            if owner is None:
                return None
            changed.add(owner)
    if changed:
        return Changed(changed, data, found)
    report = Changed(set(), data).others(out)
    report.replayed = True
    return report


def look_request(root: Path | str, out: Path | str | None, languages: tuple[str, ...], formats: tuple[str, ...],
                 drafts: bool, publish: bool, meanwhile: Callable[[], object] | None = None
                 ) -> BuildReport | Changed | None:
    """look() for build(root, out, …) with these options."""
    root = Path(root).resolve()
    if not root.is_dir():
        return None  # the builder says what is wrong
    out = Path(out).resolve() if out else root / "out"
    return look(root, out, options_key(out, languages, formats, drafts, publish), meanwhile)
