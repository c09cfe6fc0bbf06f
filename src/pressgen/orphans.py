"""Release catalogs no record owns any more: a release deleted, or its id changed.

pressgen never removes them, as they are the translators' work. `catalogs update`
names them, and the translation memory reads them.
"""

from __future__ import annotations

from pathlib import Path

from .catalogs import LOCALES_DIR
from .model import Config


def release_catalogs(root: Path, lang: str) -> list[Path]:
    """locales/<lang>/releases/*.po, sorted; not the binary `._<id>.po` a Mac copies beside each."""
    folder = root / LOCALES_DIR / lang / "releases"
    return sorted(path for path in folder.glob("*.po") if not path.name.startswith("."))


def orphan_catalogs(root: Path, config: Config) -> list[Path]:
    """Release catalogs no record file has the id of (a broken record still owns its own)."""
    from .records import declared_id, release_paths

    ids = {declared_id(path) for path in release_paths(root)}
    return sorted(path for lang in config.languages for path in release_catalogs(root, lang) if path.stem not in ids)


def source_language(release_id: str, ids: dict[str, set[str]]) -> str | None:
    """The language a release without a record was written in, from ``ids`` (language ->
    the ids it has a release catalog for): `catalogs update` makes one in every language
    but the source, so the source is the one language without. None when that is not one
    language (a language added since, or a catalog deleted): a guess could pair a text
    with a translation of another. The published snapshot (published/<lang>/<id>.yaml)
    names the language too, but exists only for a version that went out.

    >>> source_language("hello", {"en": set(), "tr": {"hello"}, "kk": {"hello"}})
    'en'
    >>> source_language("hello", {"en": set(), "tr": {"hello"}, "kk": set()}) is None
    True
    """
    without = [lang for lang, has in ids.items() if release_id not in has]
    return without[0] if len(without) == 1 else None
