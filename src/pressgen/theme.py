"""The templates a project builds with: its own templates/ laid over pressgen's.

A project's templates/ overrides the bundled theme file by file, as MkDocs'
custom_dir does: a project with no templates/ builds with the bundled one.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_TEMPLATES = PACKAGE_DIR / "templates"
BUNDLED_LOCALES = PACKAGE_DIR / "locales"
ASSETS = "assets"


def template_dirs(root: Path) -> list[Path]:
    """Search path, most specific first."""
    own = root / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != BUNDLED_TEMPLATES else []
    return dirs + [BUNDLED_TEMPLATES]


def theme_files(root: Path, under: str = "") -> dict[str, Path]:
    """Every effective file of the theme by its relative path ('assets/print.css' → file)."""
    files: dict[str, Path] = {}
    for folder in reversed(template_dirs(root)):
        base = folder / under if under else folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and not _escapes(path, folder):
                files[path.relative_to(folder).as_posix()] = path
    return dict(sorted(files.items()))


def _escapes(path: Path, folder: Path) -> bool:
    """A link (or a file in a linked folder) whose target lies outside ``folder``."""
    return not path.resolve().is_relative_to(folder.resolve())


def escaping_links(root: Path) -> list[Path]:
    """Links in the project's templates/ that lead out of it, files or folders (named
    once, not file by file): never read, never published."""
    own = root / "templates"
    if not own.is_dir() or own.resolve() == BUNDLED_TEMPLATES:
        return []
    if _escapes(own, root):
        return [own]
    return [path for path in sorted(own.rglob("*"))
            if path.is_symlink() and _escapes(path, own) and not _escapes(path.parent, own)]


def template_files(root: Path) -> dict[str, Path]:
    """The Jinja templates (not the assets) by relative path."""
    return {rel: path for rel, path in theme_files(root).items()
            if rel.endswith((".html", ".txt")) and not rel.startswith(ASSETS + "/")}


def asset_files(root: Path) -> dict[str, Path]:
    """Stylesheets, fonts and images copied to out/assets/."""
    return theme_files(root, ASSETS)


_FONT_FACE = re.compile(r"@font-face\s*{[^}]*?font-family\s*:\s*[\"']?([^;\"'}]+)", re.S)


def font_families(root: Path) -> frozenset[str]:
    """Families the theme's stylesheets declare with @font-face (the bundled fonts)."""
    families = set()
    for rel, path in asset_files(root).items():
        if rel.endswith(".css"):
            families.update(name.strip() for name in _FONT_FACE.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(families)
