"""What a build writes and reports: formats, the report, records, and the out/ folder.

    out/assets/…              stylesheets, fonts and images of the theme
    out/<lang>/<id>.html      one page per release and language
    out/<lang>/<id>.pdf       its PDF
    out/<lang>/<id>.json      its ninjs item

Everything here sits below build.py, which plans and runs a build, and below
pdfpool.py, which renders the PDFs: none of it imports either.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import orjson

from . import theme
from .cache import BuildCache, sha
from .errors import Collector, PressgenError
from .fsutil import write_atomic, written_as
from .images import IMAGES_DIR, check_image, image_files
from .model import Config, Quote, Release
from .records import load_record
from .report import FORMATS, SUFFIX, BuildReport, Progress  # noqa: F401  (where they were)




@dataclass
class Record:
    """A valid release record, parsed only when its outputs must be rendered."""

    path: Path
    key: str
    id: str
    lang: str
    config: Config
    _release: Release | None = None
    photo: str = "-"
    """The fingerprint of the photo it names (Builder.photo_fingerprint), '-' for none."""
    former_ids: tuple[str, ...] = ()
    """The ids it had before it was renamed (Release.former_ids)."""
    headline_text: str | None = None
    """Its headline, its spaces folded, as the cache keeps it (None from an older cache: headline)."""

    @property
    def headline(self) -> str:
        """Its headline, its spaces folded: from the cache, or read."""
        return self.headline_text if self.headline_text is not None else " ".join(self.release.headline.value.split())

    @property
    def release(self) -> Release:
        if self._release is None:
            errors = Collector()
            release = load_record(self.path, self.config, errors)
            errors.raise_if_any()
            assert release is not None
            self._release = release
        return self._release


@dataclass
class Job:
    record: Record
    lang: str
    fmt: str
    rel: str
    key: str
    siblings: list[str]
    """The release's published languages, for the page's language links."""
    draft: bool = False
    """Not ready, rendered anyway (--drafts): marked DRAFT, source text standing in."""


def listing(release: Release) -> dict:
    """What indexes and feeds show of a version, kept in the cache so they need no parsing;
    with its digest, which the newsroom's pages are keyed on (site.entry_key)."""
    meta = {
        "headline": release.headline.value,
        "summary": release.summary.value if release.summary else None,
        "date": release.date.isoformat(),
        "embargo": release.embargo.isoformat() if release.embargo else None,
        "withdrawn": release.withdrawn.isoformat() if release.withdrawn else None,
        "organisation": release.organisation,
        "source": release.lang,
        "tags": [t.value for t in release.tags],  # by place: tag_alternates pairs them across languages
        # The feed's entry content and summary (site.atom_feed): the body's texts, quotes with
        # their speakers, and the lead paragraph for an item without a standfirst.
        "style": release.style,
        "body": [[block.text.value, block.by.value if block.by else None] if isinstance(block, Quote)
                 else [block.text.value] for block in release.body],
        "lead": release.lead.value if release.lead else None,
        "modified": release.modified.isoformat() if release.corrections else None,
        # The page's correction notes, at the top of the feed's entry (a trial's feed showed a
        # number changed with no word why).
        "corrections": [[c.date.isoformat(), c.note.value] for c in release.corrections],
    }
    if release.former_ids:
        meta["former_ids"] = list(release.former_ids)  # its old pages lead to the new (site.py)
    meta["digest"] = sha(orjson.dumps(meta, option=orjson.OPT_SORT_KEYS))[:32]
    return meta



def is_public_listing(meta: dict, now: dt.datetime) -> bool:
    """Whether a version may be listed, from what the cache keeps of it (its listing)."""
    if meta.get("withdrawn"):
        return False
    return meta["embargo"] is None or dt.datetime.fromisoformat(meta["embargo"]) <= now



@dataclass(frozen=True)
class Scope:
    """What a build was asked for: only there may it remove outputs."""

    langs: tuple[str, ...]
    formats: tuple[str, ...]
    release_ids: set[str] | None
    office_languages: tuple[str, ...] = ()
    """Every language pressgen.yaml lists: a release's outputs in another are of a language taken
    out of it, gone (a trial's Russian page stayed, unlisted, after Russian was taken out)."""

    def __contains__(self, rel: str) -> bool:
        lang, _, name = rel.partition("/")
        release_id, _, suffix = name.rpartition(".")
        return (lang in self.langs and suffix in {SUFFIX[f] for f in self.formats}
                and (self.release_ids is None or release_id in self.release_ids))

    def of_a_gone_release(self, rel: str, live: set[str] | None) -> bool:
        """Whether ``rel`` is an output, in any format, of a release no record has now (``live``:
        the ids of every record, in a build of them all): gone with it, whatever the build was
        asked to make. A trial's HTML-only builds left a deleted or renamed release's PDF and
        ninjs item in out/."""
        lang, _, name = rel.partition("/")
        release_id, dot, suffix = name.rpartition(".")
        return (live is not None and self.release_ids is None and "/" not in name and bool(dot)
                and suffix in SUFFIX.values()
                and ((lang in self.langs and release_id not in live)
                     or (bool(self.office_languages) and lang not in self.office_languages)))

    def outputs(self, cache: BuildCache) -> list[str]:
        """The outputs of the cache in scope: a build of one release in a large archive looks
        at its own few, not at every output of the archive."""
        if self.release_ids is None:
            return sorted(cache.outputs)
        rels = {f"{lang}/{release_id}.{SUFFIX[fmt]}" for lang in self.langs for fmt in self.formats
                for release_id in self.release_ids}
        return sorted(rel for rel in rels if rel in cache.outputs)


def remove_stale(out: Path, cache: BuildCache, report: BuildReport, scope: Scope, keep: set[str],
                 broken: set[str], live: set[str] | None = None) -> None:
    """Remove outputs pressgen wrote whose source is gone (a deleted release, a language no
    longer ready); of a release gone, in every format (``live``: Scope.of_a_gone_release).
    Outputs of broken records and failed versions stay as they were. The folder of a language
    taken out of pressgen.yaml goes with its last output (a trial's empty out/kk/ stayed)."""
    emptied: set[str] = set()
    for rel in scope.outputs(cache):
        release_id = rel.partition("/")[2].rpartition(".")[0]
        if (rel.startswith((theme.ASSETS + "/", IMAGES_DIR + "/")) or cache.outputs[rel].get("key") == "site"
                or (rel not in scope and not scope.of_a_gone_release(rel, live)) or rel in keep or release_id in broken):
            continue
        (out / rel).unlink(missing_ok=True)
        del cache.outputs[rel]
        report.removed.append(out / rel)
        emptied.add(rel.partition("/")[0])
    for lang in emptied - set(scope.office_languages) if scope.office_languages else ():
        try:
            (out / lang).rmdir()
        except OSError:
            pass  # not empty: a file of the user's, or one pressgen did not write



def sweep_temporaries(folder: Path, of: int | None = None) -> None:
    """Remove temporary files a killed build left behind (fsutil's '.name.<pid>-<n>.tmp') in a
    folder only builds write: out/, published/, and .pressgen's (BuildCache.own_folders); ``of``:
    only those of that process (a plan's child that died, its build going on). Only names of
    that pattern, outside hidden folders: a deploy's own temporary files stay."""
    for place, folders, names in os.walk(folder):
        # Not into hidden folders (a deploy's .git/): pressgen writes none in these.
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if written_as(name, of) is not None:
                Path(place, name).unlink(missing_ok=True)


def sync_assets(root: Path, out: Path, cache: BuildCache, report: BuildReport) -> None:
    _sync_folder(theme.asset_files(root), theme.ASSETS, out, cache, report)


def sync_images(root: Path, out: Path, cache: BuildCache, report: BuildReport, photos: dict[str, set[str]],
                read: set[str] | None, kept_as_they_were: set[str] = frozenset()) -> None:
    """The photos of images/ that releases show to out/images/, where pages, PDFs and og:image
    find them: ``photos``, each with the ids of the releases whose record names it, or whose
    version served as published shows it, of the releases this build read (``read``, an edit's;
    None: every one). A photo published before stays while a release this build did not read
    shows it, as the cache remembers (its 'by'): a trial's photo, replaced in a record, stayed
    online for good, as an edit's build kept every photo it did not look at. So does one a
    release whose outputs stay as they were shows (``kept_as_they_were``: its record has a
    mistake, or a version of it cannot be made again; a trial's typo took the photo off the
    pages kept). A photo no release shows is not published: it may be for a release still
    being written.

    A photo that fails its check (an empty file from a failed upload, a document saved
    as .jpg), or that is gone while a record still names it, is an error of the record that
    shows it; its published copy stays until it is fixed, as the record's page does."""
    users = {rel: set(ids) for rel, ids in photos.items()}
    for rel, entry in cache.outputs.items():
        if rel.startswith(IMAGES_DIR + "/"):
            # A cache from before it said who shows a photo: kept, until a full build knows.
            before = set(entry["by"]) if "by" in entry else {"?"}
            others = (before - read if read is not None else set()) | (before & set(kept_as_they_were))
            if others:
                users.setdefault(rel, set()).update(others)
    files = {rel: path for rel, path in image_files(root).items() if rel in users}
    _sync_folder(files, IMAGES_DIR, out, cache, report,
                 publishable=lambda rel: not isinstance(check_image(root, rel), str), kept=set(users))
    for rel, ids in users.items():
        if rel in cache.outputs:
            cache.outputs[rel] = {**cache.outputs[rel], "by": sorted(ids)}


def _sync_folder(files: dict[str, Path], folder: str, out: Path, cache: BuildCache, report: BuildReport,
                 publishable: Callable[[str], bool] = lambda rel: True, kept: set[str] = frozenset()) -> None:
    """out/<folder>/ as a copy of ``files`` (by path relative to out/): files gone are removed,
    unless ``kept``. A changed file is copied only if ``publishable`` (asked only then: a no-op
    build opens no photo)."""
    for rel, source in files.items():
        target = out / rel
        data = source.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            report.unchanged.append(target)
        elif publishable(rel):
            write_atomic(target, data)
            report.written.append(target)
        else:
            continue  # refused: the copy published before, if any, stays with its cache entry
        cache.outputs[rel] = {"key": "asset", "size": len(data)}
    for rel in [r for r in cache.outputs if r.startswith(folder + "/") and r not in files and r not in kept]:
        (out / rel).unlink(missing_ok=True)
        del cache.outputs[rel]
        report.removed.append(out / rel)
