"""Release catalogs no record owns any more: a release deleted, or its id changed.

pressgen never removes them, as they are the translators' work. `catalogs update`
names them, the translation memory reads them, and a release whose id changed
starts its new catalogs from them (`Predecessors`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog

from .catalogs import LOCALES_DIR, is_translated, read_catalog
from .errors import Collector, PressgenError
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


def unlisted_catalog_warnings(root: Path, languages: tuple[str, ...]) -> list[str]:
    """Of each folder of locales/ with catalogs of a language pressgen.yaml does not list (taken
    out, or never in): `catalogs update` leaves them as they are, and said that all was up to date."""
    folder = root / LOCALES_DIR
    warnings = []
    for lang_folder in sorted(folder.iterdir()) if folder.is_dir() else ():
        if lang_folder.name not in languages and lang_folder.is_dir() and next(lang_folder.rglob("*.po"), None):
            warnings.append(f"{LOCALES_DIR}/{lang_folder.name}/: catalogs in '{lang_folder.name}', which pressgen.yaml "
                            f"does not list in `languages`: they are left as they are; put '{lang_folder.name}' in "
                            f"`languages` to go on translating them, or delete {LOCALES_DIR}/{lang_folder.name}/ if "
                            "the language is gone for good")
    return warnings


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


def revised(path: Path, catalog: Catalog) -> tuple[float, int]:
    """When a catalog was last revised: its PO-Revision-Date (0 when unset), and its file's time."""
    date = catalog.revision_date
    if isinstance(date, dt.datetime):
        stamp = (date if date.tzinfo else date.replace(tzinfo=dt.timezone.utc)).timestamp()
    else:
        stamp = 0.0
    try:
        return stamp, path.stat().st_mtime_ns
    except OSError:
        return stamp, 0


class Predecessors:
    """The orphan catalogs a new release catalog may start from: those of the same
    language whose headline (msgctxt "headline") is the new record's, which is the
    same release under a new id (as Weblate follows a file renamed in git), and those
    of the ids the record names as its former ones (a headline changed with the id).

    Read on the first question only: an update that creates no catalog reads none.
    An orphan that cannot be read is reported in ``unreadable``, unless it is in
    ``skip`` (reported already)."""

    def __init__(self, root: Path, config: Config, unreadable: Collector, skip: set[Path]) -> None:
        self._root, self._config = root, config
        self._unreadable, self._skip = unreadable, skip
        self._headlines: dict[tuple[str, str], list[tuple[Path, Catalog]]] | None = None
        self._of_language: dict[str, list[tuple[Path, Catalog]]] = {}

    def find(self, lang: str, template: Catalog, former_ids: tuple[str, ...] = ()) -> Path | None:
        """The orphan of ``lang`` with the headline of ``template`` (a release's extracted
        messages), or of one of the release's ``former_ids``, that approves most of its texts;
        of equals, the one revised last."""
        headline = next((m.id for m in template if m.context == "headline"), None)
        candidates = self._read().get((lang, headline), [])
        candidates = candidates + [item for item in self._of_language.get(lang, [])
                                   if item[0].stem in former_ids and item not in candidates]
        if former_ids:
            # Renamed again, the record naming the first id only: the catalog of the id between,
            # whose published version remembers the first (a trial's translator's later work
            # was started over from the oldest catalog).
            candidates += [item for item in self._of_language.get(lang, []) if item not in candidates
                           and set(former_ids) & set(_went_out_under(self._root, lang, item[0].stem))]
        if not candidates:
            return None

        def approved(catalog: Catalog) -> int:
            return sum(1 for m in template if m.id and is_translated(catalog.get(m.id, m.context)))

        # A release renamed twice leaves two orphans, the older with the same texts approved
        # as they were before the last rename: the one with the most work on these texts wins,
        # then the one revised last (its PO-Revision-Date, which Poedit and Weblate set, then
        # its file's time: a translator's fix in a text editor), then the first by name.
        return max(candidates, key=lambda item: (approved(item[1]), *revised(*item)))[0]

    def _read(self) -> dict[tuple[str, str], list[tuple[Path, Catalog]]]:
        if self._headlines is None:
            self._headlines = {}
            for path in orphan_catalogs(self._root, self._config):
                if path.resolve() in self._skip:
                    continue
                lang = path.parent.parent.name
                try:
                    catalog = read_catalog(path, lang, mend=True)
                except PressgenError as exc:
                    self._unreadable.extend(exc)
                    continue
                self._of_language.setdefault(lang, []).append((path, catalog))
                for message in catalog:
                    if message.context == "headline" and message.id:
                        self._headlines.setdefault((lang, message.id), []).append((path, catalog))
        return self._headlines


def headline_of_gone(root: Path, languages: tuple[str, ...], release_id: str, load=None) -> str | None:
    """The headline, its spaces folded, of a release no record has, as its catalogs have it in
    its source (their msgids): `catalogs update` makes them in every language, whether or not
    it was translated. ``load(path, lang)`` reads a catalog (read_catalog by default); one that
    cannot be read is passed over, as it is named where catalogs are read."""
    for lang in languages:
        path = root / LOCALES_DIR / lang / "releases" / f"{release_id}.po"
        try:
            catalog = (load or read_catalog)(path, lang) if path.is_file() else None
        except PressgenError:
            continue
        headline = next((m.id for m in catalog or () if m.context == "headline" and isinstance(m.id, str)), None)
        if headline:
            return " ".join(headline.split())
    return None


def _went_out_under(root: Path, lang: str, release_id: str) -> tuple[str, ...]:
    """The former ids the published version of ``release_id`` in ``lang`` remembers."""
    from .published import snapshot_path, went_out_under

    return went_out_under(snapshot_path(root, lang, release_id))
