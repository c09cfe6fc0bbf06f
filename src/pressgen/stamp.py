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
import hashlib
import marshal
import os
import stat
import time
from pathlib import Path

from . import __version__, images, theme
from .gaps import Gap
from .projectfiles import CACHE_DIR, RELEASES_DIR, is_record_name
from .report import BuildReport

FORMAT = 1
LINK = 1
"""signature()'s first field for a symbolic link (0 for anything else)."""
PUBLISHED_DIR = "published"


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
    found["theme"] = [*theme.theme_files(root), *map(str, theme.escaping_links(root))]
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


def _relative(root: Path, path: Path) -> str:
    name, prefix = str(path), f"{root}/"
    return name[len(prefix):] if name.startswith(prefix) else name


def write(root: Path, out: Path, options: str, listed: dict[str, list[str]], seen: dict[Path, tuple | None],
          wrote: set[Path], outputs: list[str], report: BuildReport) -> None:
    """Keep what this build (which found no problem, and no input saved in the seconds
    before it was read: Fingerprints.racy) listed as it began, read, and left."""
    files: dict[str, tuple | None] = {}
    for path, info in seen.items():
        if path in wrote:
            try:
                info = signature(str(path))
            except OSError:
                info = None
        files[_relative(root, path)] = info
    folders = {name: _folder_signature(root, name) for name in _ancestors([n for n in files if not n.startswith("/")])}
    by_folder: dict[str, list[str]] = {}
    for rel in outputs:
        folder, _, name = rel.rpartition("/")
        if name:  # not a folder's own entry (search.py's 'pagefind/')
            by_folder.setdefault(folder, []).append(name)
    try:
        cache = signature(str(root / CACHE_DIR / "cache.json"))
    except OSError:
        return
    data = {
        "format": FORMAT, "options": options, "cache": cache, "files": files, "folders": folders,
        "listings": {**{k: v for k, v in listed.items() if not k.startswith(f"{PUBLISHED_DIR}/")}, **_snapshots(root)},
        "outputs": by_folder,
        "until": report.next_lift[0].timestamp() if report.next_lift else None,
        "report": {
            "outputs": [_relative(out, path) for path in report.outputs()],
            "not_ready": [(release_id, lang, [gap.as_state() for gap in gaps])
                          for release_id, lang, gaps in report.not_ready],
            "outdated": [(release_id, lang, [gap.as_state() for gap in gaps], published)
                         for release_id, lang, gaps, published in report.outdated],
            "next_lift": (report.next_lift[0].isoformat(), report.next_lift[1]) if report.next_lift else None,
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


def replay(root: Path, out: Path, options: str) -> BuildReport | None:
    """The report of a build with nothing to do, when the stamp says so; else None."""
    try:
        data = marshal.loads(_path(root, out).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("options") != options:
        return None
    until = data["until"]
    if until is not None and time.time() >= until:
        return None  # an embargo lifted: the release is listed now
    try:
        if signature(str(root / CACHE_DIR / "cache.json")) != data["cache"]:
            return None
    except OSError:
        return None
    base = f"{root}/"
    for name, known in data["files"].items():
        try:
            info = signature(name if name.startswith("/") else base + name)
        except (FileNotFoundError, NotADirectoryError):
            info = None
        except OSError:
            return None
        if info != known:
            return None
    for name, known in data["folders"].items():
        if _folder_signature(root, name) != known:
            return None
    if listings(root) != data["listings"]:
        return None
    for folder, names in data["outputs"].items():
        try:
            present = set(os.listdir(out / folder if folder else out))
        except OSError:
            return None
        if not present.issuperset(names):
            return None
    return _report(out, data["report"])


def _report(out: Path, data: dict) -> BuildReport:
    report = BuildReport(unchanged=[out / rel for rel in data["outputs"]], replayed=True)
    report.not_ready = [(release_id, lang, [Gap.from_state(g) for g in gaps]) for release_id, lang, gaps in data["not_ready"]]
    report.outdated = [(release_id, lang, [Gap.from_state(g) for g in gaps], published)
                       for release_id, lang, gaps, published in data["outdated"]]
    if data["next_lift"]:
        moment, release_id = data["next_lift"]
        report.next_lift = (dt.datetime.fromisoformat(moment), release_id)
    return report


def replay_request(root: Path | str, out: Path | str | None, languages: tuple[str, ...], formats: tuple[str, ...],
                   drafts: bool, publish: bool) -> BuildReport | None:
    """The report of build(root, out, …) with these options when nothing changed; else None."""
    root = Path(root).resolve()
    if not root.is_dir():
        return None  # the builder says what is wrong
    out = Path(out).resolve() if out else root / "out"
    return replay(root, out, options_key(out, languages, formats, drafts, publish))
