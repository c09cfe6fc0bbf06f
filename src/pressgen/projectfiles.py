"""Where a project keeps what it is made of, for the modules that must find its files
without reading them: records, the build's own folder.

Light on purpose (pathlib and errors only): a build with nothing to do (stamp.py)
and the lock (lock.py) use it before anything heavy is imported.
"""

from __future__ import annotations

from pathlib import Path

from .errors import PressgenError

CACHE_DIR = ".pressgen"
"""The build's cache, lock and stamp, inside the project."""
RELEASES_DIR = "releases"
LOCALES_DIR = "locales"
"""Each language's catalogs: locales/<lang>/LC_MESSAGES/messages.po, locales/<lang>/releases/<id>.po."""
PUBLISHED_DIR = "published"
"""What went out, one snapshot per translated version (published.py)."""
COMPILED_DIR = "compiled-templates"
"""In CACHE_DIR: the templates compiled by Jinja, a folder per pressgen version (render.py)."""


def release_paths(root: Path) -> list[Path]:
    folder = root / RELEASES_DIR
    if not folder.is_dir():
        return []
    if not folder.resolve().is_relative_to(root.resolve()):
        raise PressgenError(folder, None, f"a link to {folder.resolve()}, outside the project; pressgen reads only "
                            "the project's own files: copy the records here instead of linking to them")
    # Hidden files are not records: a Mac copying the folder leaves `._<id>.yaml` (binary
    # AppleDouble data) beside each record, and editors keep lock files such as `.#<id>.yaml`.
    return sorted(p for p in folder.iterdir() if is_record_name(p.name) and p.is_file())


class OwnFiles:
    """Whether files are the project's own, not links out of it (the file, or a folder above
    it, linked to a shared drive): each folder resolved once, a file only when it is a link
    itself. A cold build of 10,000 releases resolved 20,000 records' and catalogs' paths whole,
    in the build's process alone."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._folders_outside: dict[Path, bool] = {}

    def outside(self, path: Path) -> bool:
        folder = path.parent
        if folder not in self._folders_outside:
            self._folders_outside[folder] = not folder.resolve().is_relative_to(self.root)
        if self._folders_outside[folder]:
            return True
        return path.is_symlink() and not path.resolve().is_relative_to(self.root)


def is_record_name(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml")) and not name.startswith(".")


def relative_name(root: Path, name: str | Path) -> str:
    """A project file's name relative to the project, an outside one's as it is; on strings,
    not Paths: a build of 10,000 releases names tens of thousands of files this way."""
    name, prefix = str(name), f"{root}/"
    return name[len(prefix):] if name.startswith(prefix) else name
