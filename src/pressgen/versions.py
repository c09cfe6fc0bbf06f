"""One release in one language, as a build sees it: its readiness (translated and
rendered to find what is missing), its page, its ninjs item, its published snapshot.

The Builder keeps what a build learns of each version (cache.py) and of the
inputs they share; plan.py asks it about every release, builder.py runs the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from dataclasses import replace
from functools import partial
from pathlib import Path

import jinja2

from . import theme
from .cache import BuildCache, Fingerprints, combine, is_content_hash
from .mailfolder import MAIL_DIR, SENT_LOG, mail_folder
from .catalogs import TEMPLATE_LANGUAGE, Catalogs, is_translated, messages_path, release_catalog_path
from .errors import Collector, PressgenError, PressgenErrors
from .fsutil import Writer, holds, write_atomic
from .glyphs import as_ranges, drawable, from_ranges, theme_fonts, undrawable
from .lang import native_name
from .model import Config, Release
from .ninjs import dumps as ninjs_dumps
from .ninjs import ninjs_item
from .outputs import BuildReport, Job, Record, is_public_listing, listing
from .polines import msgstr_line
from .projectfiles import PUBLISHED_DIR, OwnFiles, relative_name
from .published import (Snapshot, SnapshotPredecessors, deleted_from_git, former_ids_of, organisation_keys,
                        published_name, read_snapshot, rekeyed, restore_command, snapshot_of, snapshot_path,
                        without_organisation, write_snapshot)
from .publishedmessages import PublishedMessages, messages_memory_path, read_messages_memory
from .records import declared_id, id_clashes, load_record, release_paths
from .report import SUFFIX
from .render import Alternate, Page, Renderer, Urls, quote_text
from .review import flag_mistakes, message_mistakes, plural_forms_problems, stray_office_texts
from .orphans import headline_of_gone
from .search import EarlyPages
from .sentlog import SentLog, digest
from .verdicts import Verdicts
from .vcs import renamed_records
from .translate import Gap, Reviewer, localize_release, message_label


class Builder:
    def __init__(self, root: Path, config: Config, cache: BuildCache, report: BuildReport,
                 now: dt.datetime | None = None):
        self.root = root
        self.now = now or dt.datetime.now(dt.timezone.utc)
        """The moment embargoes are compared with (pressgen build --now)."""
        self.config = config
        self.cache = cache
        self.report = report
        self.fingerprints = Fingerprints(root, config, cache.files)
        self.catalogs = Catalogs(root, config.office_context)
        self.own_files = OwnFiles(root)
        """Links out of the project, found once per folder of records (load_record)."""
        self._renderer: Renderer | None = None
        self.compiled_templates: Path | None = None
        """Where a build keeps its compiled templates for the next one (check and status write nothing)."""
        self.prints = True
        """Whether pages may become PDFs in this run: a build without them puts no soft hyphens
        in its pages, which the web page would only strip again (Page.web_html)."""
        self.used_records: set[str] = set()
        self.used_versions: set[str] = set()
        self._translated: dict[tuple[str, str], tuple[Release, list[Gap]]] = {}
        self._drawable: frozenset[int] | None = None
        self._pages: dict[tuple[str, str, tuple[str, ...], bool, bool], Page] = {}
        self.clock = dt.datetime.now(dt.timezone.utc)
        """When this build runs: the date a version is published or found outdated."""
        self.writes_published = False
        """Only `pressgen build` keeps published/ (check, status and mail read it)."""
        self.renamed_from: dict[tuple[str, str], Path] = {}
        """(release id, language) -> the snapshot it went out under at a former id, which a build
        moves first: check and status, which move nothing, read it there (renamed_problems)."""
        self.verdicts: Verdicts | None = None
        """What check and status found clean in their last run (reuse_last_build)."""
        self.rename_blocked: dict[tuple[str, str], Path] = {}
        """For check and status: the versions of renamed releases whose old file (damaged, or
        missing) stops the build, by (id, language): its old path."""
        self.lost: set[tuple[str, str]] = set()
        """Versions online whose snapshot is missing (outdated): their outputs stay as they are."""
        self.reads_out = False
        """Whether a missing snapshot is looked for in what the project's out/ was last built
        with (check, whose own cache is in memory): a build looks in its own cache."""
        self._last_build: BuildCache | None = None
        self._deleted: frozenset[Path] | None = None
        """The files of published/ git has and the working tree lost (deleted_from_git), read once."""
        self.serving: set[tuple[str, str]] = set()
        """Versions rendered from their last published snapshot, not from today's catalog."""
        self._published: dict[tuple[str, str], Release] = {}
        self._published_messages: dict[str, PublishedMessages] = {}
        self._kept_messages: set[str] = set()
        self._memory_digests: dict[str, str] = {}
        """What each language's published labels and office texts are, in its outputs' keys (_shared_inputs)."""
        self.former_chains: dict[str, tuple[str, ...]] = {}
        """The ids each release renamed since the last build went out under (adopt_renamed), oldest first."""
        self.photos: dict[str, set[str]] = {}
        """The photos (images/…) the records read name, and those their versions served as
        published show, each with the ids of its releases: a published copy stays while one does."""
        self.unreadable: set[tuple[str, str]] = set()
        """Versions whose snapshot cannot be read: their outputs stay as they are."""
        self.writer = Writer()
        """Pages, items, site files and snapshots, written atomically; durable, and the snapshots
        in place, by writer.close()."""
        self.written_early: dict[str, int | PressgenError] = {}
        """Outputs the plan wrote from pages it had rendered (their size), or why it could not."""
        self.early_pages: EarlyPages | None = None
        """Where the plan lays out the pages it writes for the search index (search.EarlyPages)."""
        self.record_warnings: dict[str, list[str]] = {}
        """Warnings of the records the plan gave jobs to (placeholders left, another alphabet), by id."""

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(self.root, self.config, self.catalogs, self.compiled_templates,
                                      hyphenate=self.prints, published=self.published_messages)
        return self._renderer

    def published_messages(self, lang: str) -> PublishedMessages:
        """The labels and office texts of ``lang`` as last published (publishedmessages.py)."""
        self.keep_published_messages(lang)
        if lang not in self._published_messages:
            self._published_messages[lang] = read_messages_memory(messages_memory_path(self.root, lang), lang,
                                                                  self.config.office_context, self._orphaned)
        return self._published_messages[lang]

    def keep_published_messages(self, lang: str) -> None:
        """Bring published/<lang>.messages.yaml up to date with messages.po, once, if it (or what
        its checks read) changed since: builder.py asks for every language before a page is
        rendered. Only a build writes the file; check, status and mail see what one would make of it."""
        if lang in self._kept_messages:
            return
        self._kept_messages.add(lang)
        self._memory_digests[lang] = "-"  # none (the source language), or unreadable (its outputs are held)
        if lang == TEMPLATE_LANGUAGE:
            self._published_messages[lang] = PublishedMessages(lang)
            return
        path = messages_memory_path(self.root, lang)
        # Keyed on what it is made from, and on the file's content read here, not through
        # Fingerprints (whose hashes the stamp keeps: written by a build, the file would be
        # "racy" in the next one's, saved seconds before it was read, and a full build would
        # follow every edit's): a file deleted, restored or damaged is read again.
        key = combine("published messages", self.fingerprints.rendering(lang))
        known = self.cache.versions.get(key)
        self.fingerprints.watched(path)
        if known is None or known.get("file") != _content_hash(path):
            interface = self.renderer.language(lang)[1]
            own, shipped = messages_path(self.root, lang), messages_path(theme.PACKAGE_DIR, lang)
            try:
                memory = read_messages_memory(path, lang, self.config.office_context, self._orphaned)
            except PressgenError:
                self._published_messages[lang] = PublishedMessages(lang)  # named once, not by every page
                raise
            usable = lambda m: is_translated(m) and not interface.gaps_of(m.id, m.context)  # noqa: E731
            # Deleted while texts wait: not made again without them, which would lose for good
            # what went out (the file in git has it); said at every build until restored.
            lost = not memory.recorded and any((self.root / PUBLISHED_DIR / lang).glob("*.yaml")) \
                and self._missing_memory(path, lang, usable)
            memory = memory.brought_up_to_date(
                self.catalogs.load(own, lang), self.catalogs.load(shipped, lang) if shipped != own else None, usable)
            data = memory.dumps()
            held = holds(path, data) or (not memory.translations and not path.exists())
            if not held and self.writes_published and not lost:
                write_atomic(path, data)
                self.report.published.append(path)
                self.fingerprints.written(path, data)
                held = True
            if held:
                self.cache.versions[key] = {"file": _content_hash(path)}
            self._published_messages[lang] = memory
            # What the pages show of it: the file, or what it would hold (not made again while
            # texts wait: _missing_memory); as the next build, which finds it in the cache, says.
            self._memory_digests[lang] = self.cache.versions[key]["file"] if held else hashlib.sha256(data).hexdigest()
        else:
            self._memory_digests[lang] = known["file"]
        self.used_versions.add(key)

    def _missing_memory(self, path: Path, lang: str, usable) -> bool:
        """Warn of a deleted published/<lang>.messages.yaml where it matters: office texts that
        wait for their translator show in English, not as they went out. True if it did."""
        own = self.catalogs.load(messages_path(self.root, lang), lang)
        # Office texts, and labels reworked under a fuzzy flag (the office's own wording of one
        # went out, kept in the file, a trial found).
        waiting = [m for m in own or () if m.id and isinstance(m.id, str) and (m.context or m.fuzzy) and not usable(m)]
        if waiting:
            name = relative_name(self.root, path)
            one = len(waiting) == 1
            self.report.warn_standing(
                f"{name} is missing, while {PUBLISHED_DIR}/{lang}/ holds published versions: "
                f"{'1 text' if one else f'{len(waiting)} texts'} of {relative_name(self.root, messages_path(self.root, lang))} "
                f"waiting for {'its translator is' if one else 'their translator are'} not shown as "
                f"{'it' if one else 'they'} went out (English stands in, or pressgen's own translation of a label); "
                f"restore it with `git checkout {name}` (a project from before pressgen 0.17 has none yet: it is made "
                "once nothing waits)")
        return bool(waiting)

    def last_build(self) -> BuildCache:
        """The cache of the project's out/ as its last build left it, read once (check and status
        write nothing: their own cache is in memory)."""
        if self._last_build is None:
            self._last_build = BuildCache.load(self.root, self.root / "out")
        return self._last_build

    def reuse_last_build(self) -> None:
        """For check and status: take what the last build worked out of each version, keyed on all
        it is made from, so that a version unchanged since is not translated and rendered again
        (1,000 releases: check took 14 s for a one-word edit, status 12 s). And its files'
        hashes, so that an unchanged file is known by stat rather than read (never saved: check
        and status write no cache); with what they found clean (verdicts.py), kept apart."""
        last = self.last_build()
        self.cache.versions, self.cache.records = last.versions, last.records
        self.fingerprints.known = last.files
        self.verdicts = Verdicts(self.root)

    def stray_office_texts(self, lang: str) -> list[str]:
        """Office texts of messages.po under a key pressgen.yaml no longer has (review.stray_office_texts)."""
        if lang == TEMPLATE_LANGUAGE:
            return []
        path = messages_path(self.root, lang)
        try:
            catalog = self.catalogs.load(path, lang)
        except PressgenError:
            return []  # named as an error where it is read
        return stray_office_texts(self.config, path, catalog, self.root)

    def _orphaned(self, key: str) -> bool:
        """Whether an organisation key is gone from pressgen.yaml (nor a former key of one)."""
        return self.config.organisation_key(key) is None

    def name_photo(self, image: str, release_id: str) -> None:
        """That release ``release_id`` shows ``image``, in its record or a version served as published."""
        self.photos.setdefault(image, set()).add(release_id)

    # --- records ---------------------------------------------------------------

    def records(self, paths: list[Path] | None = None) -> tuple[list[Record], dict[str, list[PressgenError]]]:
        """Valid records (from the cache when unchanged) and the problems of broken ones, by id;
        of every record, or of those at ``paths`` (a build of the changed releases)."""
        config_sha = self.fingerprints.file(self.config.path) if self.config.path else "-"
        records: list[Record] = []
        broken: dict[str, list[PressgenError]] = {}
        for path in release_paths(self.root) if paths is None else paths:
            # The file name is part of the key: it gives the id of a record without one. Whether
            # the record is valid follows all of pressgen.yaml (its language must be listed, its
            # organisation known); what its outputs are made of, only the record (``own``) and
            # what of pressgen.yaml a page shows (Fingerprints.office, in every version's key).
            own = combine(self.fingerprints.file(path), path.name)
            found = combine(own, config_sha)
            self.used_records.add(found)
            known = self.cache.records.get(found)
            if known and known.get("image"):
                self.name_photo(known["image"], known["id"])  # named as last read: also while it is broken
            # And the photo it names, as the cache knows it: a record is valid only while its
            # photo is within limits, and its pages show it. Not every photo: one added for
            # today's release must not render the archive again.
            if known and known.get("photo") != self.photo_fingerprint(known.get("image")):
                known = None
            if known:
                record = Record(path, combine(own, known["photo"]), known["id"], known["lang"], self.config,
                                photo=known["photo"], former_ids=tuple(known.get("former_ids", ())),
                                headline_text=known.get("headline"))
            else:
                errors = Collector()
                try:
                    release = load_record(path, self.config, errors, own=self.own_files)
                except PressgenError as exc:
                    errors.extend(exc)
                    release = None
                if errors or release is None:
                    # Filed under the id it declares, so the outputs it had stay protected.
                    broken.setdefault(declared_id(path), []).extend(errors.errors)
                    continue
                image = release.image.file if release.image else None
                if image:
                    self.name_photo(image, release.id)
                photo = self.photo_fingerprint(image)
                record = Record(path, combine(own, photo), release.id, release.lang, self.config, release, photo,
                                release.former_ids)
                # Its headline too: a renamed release is known by it (_learn_mailed_renames) without
                # reading every record of the archive again.
                self.cache.records[found] = {"id": record.id, "lang": record.lang, "image": image, "photo": photo,
                                             **({"former_ids": list(release.former_ids)} if release.former_ids else {}),
                                             "headline": record.headline}
            records.append(record)
        clashes = id_clashes([(r.id, r.path, r.former_ids) for r in records])
        for release_id, errors in clashes.items():
            broken.setdefault(release_id, []).extend(errors)
        return [r for r in records if r.id not in clashes], broken

    def photo_fingerprint(self, image: str | None) -> str:
        """The fingerprint of a record's photo (its path in the project), '-' for none."""
        return self.fingerprints.file(self.root / image) if image else "-"

    # --- versions --------------------------------------------------------------

    def version_key(self, record: Record, lang: str) -> str:
        return self.fingerprints.version(record.key, record.id, record.lang, lang)

    def source_key(self, record: Record) -> str:
        """What the outputs of a release in its own language are made from: its record and
        photo (Record.key), and its language's shared inputs as they render (Fingerprints.rendering)."""
        return combine("source", record.key, record.id, self._shared_inputs(record.lang))

    def _shared_inputs(self, lang: str) -> str:
        """What every version's outputs in ``lang`` share: the language's inputs as they render
        (Fingerprints.rendering) and its published labels and office texts, which a page shows
        while one waits. The latter follows messages.po, but not only: deleted, or restored
        from git, the pages change with it (a trial found out/ unlike a full build's)."""
        self.keep_published_messages(lang)
        return combine(self.fingerprints.rendering(lang), self._memory_digests[lang])

    def readiness(self, record: Record, lang: str, use_cache: bool = True, report: bool = True,
                  keep_page: bool = False) -> dict | None:
        """{'ready', 'gaps'} for one version, from the cache or by translating and rendering it.

        None when the version fails (a broken catalog, a template error): that
        is reported as an error and never cached.
        """
        key = self.version_key(record, lang)
        self.used_versions.add(key)
        if use_cache and key in self.cache.versions:
            state = self.cache.versions[key]
            # Unless its feed text was lost (FeedTexts.lost_before): worked out again, it is written again.
            if not self.cache.feed_texts.was_lost((state.get("meta") or {}).get("digest")):
                return state
        try:
            translated, gaps = self.translate(record, lang)
            catalog_path = release_catalog_path(self.root, lang, record.id)
            if lang != record.lang and catalog_path.exists():
                # A wrong Plural-Forms is check's finding; the build must not publish past it.
                catalog = self.catalogs.load(catalog_path, lang)
                found = [*plural_forms_problems(catalog_path, lang, catalog), *flag_mistakes(catalog, catalog_path)]
                gaps += [Gap(e.path, e.line, e.message, "mistake") for e in found]
            gaps += self.glyph_mistakes(record, lang, translated)
            # Template and office messages the language lacks show up as the page renders:
            # also those of a version waiting for its own texts, so that the translator is told
            # of all it waits for at once (a trial was told of a dateline only once the
            # paragraph was done). Guess that every language is published: usually right,
            # and then the final page of a ready version is this one.
            ready = not gaps
            gaps += [gap for gap in self.page(record, lang, list(self.config.languages)).gaps if gap not in gaps]
            if not (keep_page and ready):
                # An archive's pages would all be in memory at once (1 GB at 10,000 releases
                # x 3): the build keeps it only while it plans this release, if it is the one.
                self.evict(record.id, lang, translation=False)
        except PressgenError as exc:
            if report:
                self.report.error(exc)
            return None
        state = {"ready": not gaps, "gaps": [g.as_state() for g in gaps],
                 "meta": self.cache.feed_texts.split(listing(translated))}
        self.cache.versions[key] = state
        return state

    def glyph_mistakes(self, record: Record, lang: str, translated: Release) -> list[Gap]:
        """Texts with a character no font of the theme has: the PDF would fail after the
        page was written, so the version fails first, at the line of that text."""
        if not self.drawable():
            return []
        release = record.release
        catalog = self.catalogs.release(lang, release.id) if lang != release.lang else None
        mistakes = []
        for source, text in zip(release.texts(), translated.texts()):
            char = undrawable(text.value, self.drawable())
            if char is None or (catalog is not None and text.value == source.value):
                continue  # a source text standing in is the source version's mistake, named there
            if catalog is None:
                path, line = release.source.path, source.line
            else:
                message = catalog.get(source.value, source.context)
                path = release_catalog_path(self.root, lang, release.id)
                line = msgstr_line(path, message.lineno) if message else None
            mistakes.append(Gap(path, line, f"{message_label(source.value, source.context)} has '{char}' "
                                f"(U+{ord(char):04X}), which no font of the theme has, so its PDF would not be "
                                "written; remove it, or add a font that has it to templates/assets/", "mistake"))
        return mistakes

    def drawable(self) -> frozenset[int]:
        """The characters some font of the theme has (empty: the theme names no fonts)."""
        if self._drawable is None:
            # Kept in the cache by the fonts' content: reading their character maps is 0.03 s of
            # every build that renders a version (an edit's, a preview's).
            key = combine("drawable", *(self.fingerprints.file(path) for path in theme_fonts(self.root)))
            self.used_versions.add(key)
            if key in self.cache.versions:
                self._drawable = from_ranges(self.cache.versions[key]["ranges"])
            else:
                self._drawable = drawable(self.root)
                self.cache.versions[key] = {"ranges": as_ranges(self._drawable)}
        return self._drawable

    def ninjs(self, record: Record, lang: str) -> bytes:
        """The IPTC ninjs item of one version."""
        translated = self.version_release(record, lang)
        interface = self.renderer.language(lang)[1]
        org, *partners = (interface.organisation(self.config.organisations[key]) for key in translated.organisations)
        item = ninjs_item(translated, org, Urls(self.config.base_url), self.is_public(translated),
                          partial(quote_text, style=translated.style, code=lang, gettext=interface.gettext),
                          tuple(partners))
        return ninjs_dumps(item)

    def theme_problems(self, out: Path) -> list[PressgenError]:
        """themecheck's findings, cached on the theme and config (WeasyPrint reads the
        stylesheets only when one of them changed)."""
        config_sha = self.fingerprints.file(self.config.path) if self.config.path else "-"
        # 'v4': url()s, templates and folder links are checked too, and the fonts url()s
        # name, and that logos are images; a theme passed by earlier rules is looked at again.
        key = combine("theme problems v4", self.fingerprints.theme, config_sha,
                      ",".join(str(p) for p in theme.escaping_links(self.root)))
        self.used_versions.add(key)
        if key not in self.cache.versions:
            from .themecheck import theme_problems

            found = theme_problems(self.root, self.config, [out / theme.ASSETS, *theme.template_dirs(self.root)])
            if found:
                return found  # not cached: the next build looks again
            self.cache.versions[key] = {"problems": []}
        return []

    def label_mistakes(self, lang: str) -> list[PressgenError]:
        """QA and glossary problems in the language's messages.po, including labels only the
        newsroom or the mail use (a release page reports its own); cached on its inputs."""
        path = messages_path(self.root, lang)
        if lang == TEMPLATE_LANGUAGE or not path.exists():
            return []
        key = combine("messages.po mistakes", self.fingerprints.language(lang))
        self.used_versions.add(key)
        if key not in self.cache.versions:
            try:
                catalog = self.catalogs.load(path, lang)
                found = message_mistakes(catalog, path, lang, self.catalogs.glossary(lang))
                found += plural_forms_problems(path, lang, catalog)
            except PressgenError as exc:
                found = [exc]
            self.cache.versions[key] = {"mistakes": [[str(e.path), e.line, e.message] for e in found]}
        return [PressgenError(Path(p), line, message) for p, line, message in self.cache.versions[key]["mistakes"]]

    def is_public(self, release: Release) -> bool:
        """Whether the release may appear in public listings: not withdrawn, and no embargo
        or one that has lifted."""
        # What is_public_listing reads of a listing, without making the whole of it (and its digest).
        return is_public_listing({"withdrawn": release.withdrawn,
                                  "embargo": release.embargo.isoformat() if release.embargo else None}, self.now)

    def translate(self, record: Record, lang: str) -> tuple[Release, list[Gap]]:
        key = (record.id, lang)
        if key not in self._translated:
            release = record.release
            catalog = self.catalogs.release(lang, release.id) if lang != release.lang else None
            reviewer = Reviewer(lang, self.catalogs.glossary(lang), release.lang, self.catalogs.glossary(release.lang))
            path = release_catalog_path(self.root, lang, release.id)
            self._translated[key] = localize_release(release, lang, catalog, path, reviewer)
        return self._translated[key]

    def page(self, record: Record, lang: str, siblings: list[str], draft: bool = False) -> Page:
        """The rendered page of one version, linking to ``siblings``; rendered once."""
        served = (record.id, lang) in self.serving
        key = (record.id, lang, tuple(siblings), draft, served)
        if key not in self._pages:
            self._pages[key] = self.render(record, self.version_release(record, lang), siblings, draft)
        return self._pages[key]

    def lay_out_for_search(self, job: Job, page: Page) -> None:
        """What Pagefind will read of a page being written, laid out while it is at hand
        (search.EarlyPages); a draft is never listed, nor indexed."""
        if self.early_pages is not None and not job.draft:
            self.writer.write_unsynced(*self.early_pages.lay_out(job.rel, job.key, page.web_html))

    def rendered(self, record: Record, lang: str, siblings: list[str], draft: bool) -> Page | None:
        """The page of one version if it was rendered already (by readiness), else None."""
        return self._pages.get((record.id, lang, tuple(siblings), draft, (record.id, lang) in self.serving))

    def evict(self, release_id: str, lang: str, translation: bool = True) -> None:
        """Forget one version's rendered pages (and its translation), once written, so that
        memory stays flat however large the archive."""
        for key in [k for k in self._pages if k[0] == release_id and k[1] == lang]:
            del self._pages[key]
        if translation:
            self._translated.pop((release_id, lang), None)
            self._published.pop((release_id, lang), None)

    def render(self, record: Record, translated: Release, ready: list[str], draft: bool = False) -> Page:
        urls = Urls(self.config.base_url)
        alternates = [Alternate(code, native_name(code), f"../{code}/{record.id}.html", urls.page(code, record.id))
                      for code in ready]
        try:
            organisation = self.config.organisations[translated.organisation]
            return self.renderer.render_release(translated, organisation, alternates, draft, self.is_public(translated))
        except (jinja2.TemplateError, RecursionError) as exc:
            raise template_error(exc, translated, translated.language) from None
        except ValueError as exc:
            raise PressgenError(translated.source.path, None, f"{translated.language}: {exc}") from None
        except Exception as exc:
            if not in_template(exc):
                raise
            raise template_error(exc, translated, translated.language) from None

    # --- published versions ----------------------------------------------------

    def version_release(self, record: Record, lang: str) -> Release:
        """The release as this build renders it in ``lang``: translated from today's
        catalog, or the last published version while the translation catches up."""
        key = (record.id, lang)
        if key not in self.serving or lang == record.lang:
            return self.translate(record, lang)[0]
        if key not in self._published:
            snapshot = read_snapshot(snapshot_path(self.root, lang, record.id))
            assert snapshot is not None
            self._published[key] = snapshot.release(self.config, record.path, record.release)
        return self._published[key]

    def _lost(self, release_id: str, lang: str, path: Path) -> str | None:
        """How to restore a version's missing snapshot, if it went out: git has it, or this
        build's out/ holds what the last build published from it (a preview's folder publishes
        nothing); None if it never went out."""
        if self._deleted is None:
            self._deleted = deleted_from_git(self.root)
        if path in self._deleted:
            went_out = True
        elif self.writes_published:
            went_out = _went_out(self.cache, release_id, lang)
        elif self.reads_out:  # check: the project's out/ as its last build left it
            went_out = _went_out(self.last_build(), release_id, lang)
        else:
            went_out = False
        if not went_out:
            return None
        # Its last version committed: a command that works before its deletion is committed and after.
        command = restore_command(self.root, path)
        return f"with `{command}`" if command else "from your copy of published/ (git has none of it)"

    def renamed_snapshots(self, records: list[Record], broken: set[str], stamped: bool = True
                          ) -> list[tuple[Record, Path, Path, Snapshot]]:
        """The snapshots renamed releases went out under in each language (SnapshotPredecessors),
        as (record, old path, new path, snapshot). The ids of ``broken`` records keep theirs, as
        stale_snapshots does. One that cannot be read is an error, with every other, raised
        before anything is moved: built without it, its version would go offline with the old
        id's pages (a trial), and check names what would stop the build."""
        found, damaged = self._renamed_snapshots(records, broken, stamped)
        errors = [error for *_, error in damaged]
        if errors:
            raise errors[0] if len(errors) == 1 else PressgenErrors(errors)
        return found

    def _renamed_snapshots(self, records: list[Record], broken: set[str], stamped: bool = True
                           ) -> tuple[list[tuple[Record, Path, Path, Snapshot]], list[tuple[str, str, Path, PressgenError]]]:
        """renamed_snapshots' readable ones, and those that cannot be read (or are missing) as
        (release id, language, old path, error)."""
        predecessors = SnapshotPredecessors(self.root, self.config, {record.id for record in records} | broken)
        if not predecessors.orphans and not stamped:
            # No published file without its record: only a record naming former ids can have
            # lost one. A build of some releases (-r), which no stamp follows, looks at those
            # alone (at 10,000 releases, the published files of all took it 0.5 s); a build of
            # all looks at every one, so that its stamp knows each file it found missing.
            records = [record for record in records if record.former_ids]
        found: list[tuple[Record, Path, Path, Snapshot]] = []
        damaged: list[tuple[str, str, Path, PressgenError]] = []
        for record in records:
            for lang in self.config.languages:
                own = snapshot_path(self.root, lang, record.id)
                if lang == record.lang or self.fingerprints.file(own) != "-":
                    continue
                old = predecessors.find(lang, record.release) if predecessors.orphans else None
                if old is None:
                    # Deleted under the id it went out under, and renamed since: built without it,
                    # its language would go offline with the old id's pages (a trial).
                    for former in reversed(record.former_ids):
                        path = snapshot_path(self.root, lang, former)
                        restore = None if path.exists() else self._lost(former, lang, path)
                        if restore:
                            damaged.append((record.id, lang, path, PressgenError(None, None, (
                                f"{published_name(path)} is missing, while its version is online: the release is "
                                f"'{record.id}' now, and a build without it would take {lang}/{record.id} offline; "
                                f"restore it {restore}"))))
                            break
                    continue
                predecessors.orphans.remove(old)
                try:
                    snapshot = read_snapshot(old)
                    assert snapshot is not None
                    snapshot.check_whole(self.config, record.path)  # damaged inside its record too (a trial)
                except PressgenError as exc:
                    damaged.append((record.id, lang, old, exc))
                    continue
                found.append((record, old, own, snapshot))
        return found, damaged

    def renamed_problems(self, records: list[Record], broken: set[str]) -> list[PressgenError]:
        """What would stop a build's renamed_snapshots, for check and status (which move nothing);
        the others are read where they are (``renamed_from``), and the versions whose old file
        stops the build are ``rename_blocked``."""
        found, damaged = self._renamed_snapshots(records, broken)
        # Read where they are: what the build will serve after moving them (outdated), as it says.
        self.renamed_from = {(record.id, new.parent.name): old for record, old, new, _ in found}
        # A trial's status called a version whose old file was cut 'no catalog yet', and the
        # others of the release too (none was read where it is).
        self.rename_blocked = {(release_id, lang): path for release_id, lang, path, _ in damaged}
        for record, _, _, snapshot in found:
            self._chain(record.id, (*snapshot.former_ids, snapshot.release_id))
        return [error for *_, error in damaged]

    def _chain(self, release_id: str, chain: tuple[str, ...]) -> None:
        known = self.former_chains.get(release_id, ())
        # Not its own id: renamed and back, it went out under it too (a trial's hint named it).
        self.former_chains[release_id] = tuple(dict.fromkeys(i for i in (*known, *chain) if i != release_id))

    def learn_published_chains(self, records: list[Record]) -> None:
        """For check and status: the ids each release's published files remember it went out
        under (former_ids_of), which its record may not name (renamed twice): a trial's hint
        was said once, by the build that moved them, and never again."""
        for record in records:
            for lang in self.config.languages:
                if lang != record.lang:
                    path = snapshot_path(self.root, lang, record.id)
                    digest = self.fingerprints.file(path)
                    if digest == "-":
                        continue
                    # Made of the file alone: kept by its hash (verdicts.py), so an unchanged
                    # one is not opened again (20,000 of them at 10,000 releases). Not a link out
                    # of the project, named by where it leads rather than by what it holds.
                    kept = self.verdicts is not None and is_content_hash(digest)
                    chain = self.verdicts.get("chain", digest) if kept else None
                    if chain is None:
                        chain = former_ids_of(path)
                        if kept:
                            self.verdicts.keep("chain", digest, list(chain))
                    if chain:
                        self._chain(record.id, tuple(chain))

    def learn_renames(self, records: list[Record]) -> None:
        """The ids that records renamed without `former_ids` went out under, which no published
        file remembers (a release in its own language alone has none): a trial's was renamed,
        the page its journalists were sent removed, and check said nothing. Renamed as git sees
        it (vcs.renamed_records), its pages online or its release mailed under the old id; or
        renamed by any means, the old id's sent log naming this very text (as mail refuses it)."""
        by_path = {record.path: record for record in records}
        live = {record.id for record in records}
        for new, old in renamed_records(self.root).items():
            record, old_id = by_path.get(new), old.stem
            if record is None or old_id == record.id or old_id in live or old_id in record.former_ids:
                continue
            online = any((self.root / "out" / lang / f"{old_id}.html").is_file() for lang in self.config.languages)
            if online or (mail_folder(self.root, old_id) / SENT_LOG).is_file():
                self._chain(record.id, (old_id,))
        self._learn_mailed_renames(records, live)

    def _learn_mailed_renames(self, records: list[Record], live: set[str]) -> None:
        """Each sent log of an id no record has nor names (mail/<old-id>/sent.log) whose messages
        hold the text of a record that was never mailed under its own id: that record was it. Or,
        its text edited too, whose old id's catalogs have that record's headline (`catalogs
        update` makes them in every language, whether translated or not: a trial's release, mailed
        in its own language, moved and a word changed, was not recognised)."""
        known = live | {old for record in records for old in record.former_ids} \
            | {old for chain in self.former_chains.values() for old in chain}
        try:
            logs = [folder / SENT_LOG for folder in (self.root / MAIL_DIR).iterdir()
                    if folder.name not in known and (folder / SENT_LOG).is_file()]
        except OSError:
            return
        if not logs:
            return
        # Only a record with no sent log of its own can be a renamed one not mailed since. By its
        # headline, which the cache keeps, where the old id's catalogs give one; else by what its
        # messages held, which reads the records (an office of one language has no catalogs).
        fresh = [record for record in records if not (mail_folder(self.root, record.id) / SENT_LOG).is_file()]
        texts: dict[str, Record] | None = None
        for log in logs:
            try:
                read = SentLog(log)
            except PressgenError as exc:  # a merge's conflict left in it: mail refuses it too
                self.report.error(exc)
                continue
            if damage := read.damage(self.root):
                self.report.warnings.append(damage)
            had = [entry for entry in read.entries.values() if entry.state != "failed"]
            if not had:
                continue
            headline = headline_of_gone(self.root, self.config.languages, log.parent.name, self.catalogs.load)
            if headline is not None:
                record = next((record for record in fresh if record.headline == headline), None)
            else:
                if texts is None:
                    texts = {made: record for record in fresh for made in (
                        digest(record.lang, record.release), digest(record.lang, record.release, tags=True))}
                record = next((found for entry in had if (found := texts.get(entry.digest or ""))), None)
            if record is not None:
                self._chain(record.id, (log.parent.name,))

    def former_ids_hints(self, records: list[Record]) -> list[str]:
        """A warning for each renamed release whose record does not name every id it went out
        under (former_chains): links already sent lead nowhere. Build, check and status say it
        (a trial's check told the office to delete the files it was reading as the release)."""
        return list(self.former_ids_hints_by_release(records).values())

    def former_ids_hints_by_release(self, records: list[Record]) -> dict[str, str]:
        """former_ids_hints by the id of the release each is about (a build's standing warnings)."""
        by_id = {record.id: record for record in records}
        hints = {}
        for new_id, chain in self.former_chains.items():
            # Every id it went out under, not only the last: renamed twice, both addresses were sent.
            missing = [old_id for old_id in chain if old_id not in by_id[new_id].former_ids]
            if missing:
                hints[new_id] = (f"{relative_name(self.root, by_id[new_id].path)} was '{missing[-1]}': add "
                                 f"`former_ids: [{', '.join([*by_id[new_id].former_ids, *missing])}]` to it, so "
                                 "that links already sent to its old pages lead to the new ones")
        return hints

    def former_ids_known(self, records: list[Record]) -> dict[str, str]:
        """Every id a release went out under, and its id now: its record's former_ids, and those
        of the snapshots a rename moves (or, for check and status, will move)."""
        known = {old: record.id for record in records for old in record.former_ids}
        known.update((old, new_id) for new_id, chain in self.former_chains.items() for old in chain)
        return known

    def adopt_renamed(self, records: list[Record], broken: set[str], stamped: bool = True) -> list[tuple[Path, Path]]:
        """Move the snapshots of renamed releases to their new ids (renamed_snapshots), as
        (old, new) paths: a version published under the old id stays published under the new
        one until its translation catches up, rather than going offline with the old id's files.
        A damaged one is an error that stops the build before any is moved. ``stamped``: the
        build's stamp is to know every published file it looked for (see _renamed_snapshots)."""
        moved: list[tuple[Path, Path]] = []
        for record, old, own, snapshot in self.renamed_snapshots(records, broken, stamped):
            chain = (*snapshot.former_ids, snapshot.release_id)
            write_snapshot(replace(snapshot, path=own, release_id=record.id, former_ids=chain))
            self._chain(record.id, chain)
            old.unlink()
            self.fingerprints.forget(own)
            self.fingerprints.forget(old)
            moved.append((old, own))
        return moved

    def publish(self, record: Record, lang: str, state: dict) -> str:
        """Keep the snapshot of a ready translated version (published/<lang>/<id>.yaml) the
        text it publishes, rewritten only when that text changes; returns its content hash.
        A damaged snapshot is an error: it is not replaced."""
        path = snapshot_path(self.root, lang, record.id)
        if state.get("snapshot") == self.fingerprints.file(path) and "content" in state:
            return state["content"]
        if state["meta"]["withdrawn"] and self.fingerprints.file(path) != "-":
            # Withdrawn: nothing new is published; the snapshot keeps what went out (a damaged
            # one is an error: a trial's withdrawn page showed a translation never published).
            existing = self.snapshot_to_replace(record, lang)
            if existing is not None:
                return existing.content
        said = len(self.report.warnings), len(self.report.errors)
        if self.writes_published:
            warning = self.missing_warning(record, lang)
            if warning:
                self.report.warnings.append(warning)
        translated = self.translate(record, lang)[0]
        # The record as written, less a byte order mark (and CRLF read as LF): an editor's save
        # of the same text in another encoding is not a new publication.
        fresh = snapshot_of(record.release, translated, record.path.read_text(encoding="utf-8-sig"), path, self.clock)
        existing = self.snapshot_to_replace(record, lang)
        if existing is not None and self._same_publication(existing, fresh, record):
            fresh = replace(existing, outdated_since=None)  # published then, and up to date again
        elif existing is not None:
            fresh = replace(fresh, former_ids=existing.former_ids)  # the ids it went out under stay known
        if fresh != existing and self.writes_published:
            data = fresh.dumps()
            self.writer.write_record(path, data)
            self.report.published.append(path)
            self.fingerprints.written(path, data)
        state["snapshot"], state["content"] = self.fingerprints.file(path), fresh.content
        if self.verdicts is not None and self.writes_published and not state["meta"]["withdrawn"] \
                and said == (len(self.report.warnings), len(self.report.errors)):
            # What check's review_published would find of it now: the same comparison, made just now.
            key = self._published_key(record, lang)
            if key is not None:
                self.verdicts.keep("published", key, True)
        return fresh.content

    def _published_key(self, record: Record, lang: str) -> str | None:
        """What a published record's review is made of (verdicts.py): the version's inputs, its
        snapshot and pressgen.yaml; None when it has no snapshot."""
        path = snapshot_path(self.root, lang, record.id)
        if self.fingerprints.file(path) == "-":
            return None
        return combine(self.version_key(record, lang), self.fingerprints.file(path),
                       self.fingerprints.file(self.config.path) if self.config.path else "-")

    def _same_publication(self, existing: Snapshot, fresh: Snapshot, record: Record) -> bool:
        """Whether ``fresh`` publishes what ``existing`` did: the same texts, its organisation
        renamed since (former_keys) or not. One renamed again with the key it went out under
        dropped from former_keys is kept as it went out, and said (a trial's versions all went
        out anew, silently, with today's date)."""
        if fresh.content in (existing.content, replace(
                existing, record=rekeyed(existing.record, self.config.organisation_key)).content):
            return True
        gone = self._renamed_away(existing, fresh)
        if gone is None:
            return False
        self.report.warnings.append(f"{published_name(existing.path)}: went out under organisation '{gone}', which "
                                    "pressgen.yaml no longer has; it stays as it went out: "
                                    + self.config.rename_hint(gone, record.release.organisation, known=True))
        return True

    def _renamed_away(self, existing: Snapshot, fresh: Snapshot) -> str | None:
        """The organisation key ``existing`` went out under that pressgen.yaml no longer has, if
        that key is all it differs from ``fresh`` by; None otherwise."""
        gone = next((key for key in organisation_keys(existing.record) if self.config.organisation_key(key) is None),
                    None)
        if gone is None:
            return None
        blank = lambda snapshot: replace(snapshot, record=without_organisation(snapshot.record))  # noqa: E731
        return gone if blank(existing).content == blank(fresh).content else None

    def snapshot_to_replace(self, record: Record, lang: str) -> Snapshot | None:
        """The snapshot of a version ready today, which publish() keeps or replaces; None if there
        is none. A damaged one is an error: replaced, it would lose when its version went out
        (and the same text would go out as new); restored, it keeps it; deleted, today's version
        goes out as new. So is one from before snapshots were counted, cut after a line."""
        path = snapshot_path(self.root, lang, record.id)
        # A withdrawn one publishes nothing new: deleting it is no way out.
        then = "" if record.release.withdrawn else ", or delete it to publish today's version as new"
        try:
            existing = read_snapshot(path)
        except PressgenError as exc:
            # A merge conflict's way out is to take a side (read_published), which keeps the date.
            raise PressgenError(exc.path, exc.line, exc.message + ("" if exc.message.startswith("a merge conflict")
                                                                   else then)) from None
        if existing is not None:
            existing.check_whole(self.config, record.path, then)
        return existing

    def review_published(self, record: Record, lang: str) -> PressgenError | None:
        """For check and status, which publish nothing: what a build would find of a version
        ready today's snapshot, its damage (returned) or that it went missing after it went
        out (warned in the report)."""
        path = snapshot_path(self.root, lang, record.id)
        # Clean last time with the same snapshot, record, catalog, language and config: clean now.
        key = self._published_key(record, lang) if self.verdicts is not None else None
        if key is not None and self.verdicts.get("published", key):
            return None
        said = len(self.report.warnings), len(self.report.errors)
        warning = self.missing_warning(record, lang)
        if warning:
            self.report.warnings.append(warning)
        try:
            existing = self.snapshot_to_replace(record, lang)
        except PressgenError as exc:
            return exc
        if existing is not None and not record.release.withdrawn:
            # What the build will say of it: kept, its organisation renamed away (_same_publication).
            try:
                translated = self.translate(record, lang)[0]
            except PressgenError as exc:
                return exc  # its catalog, unreadable since: said, and check goes on (a trial's stopped here)
            self._same_publication(existing, snapshot_of(record.release, translated, record.path.read_text(
                encoding="utf-8-sig"), path, self.clock), record)
        if key is not None and said == (len(self.report.warnings), len(self.report.errors)):
            self.verdicts.keep("published", key, True)
        return None

    def missing_warning(self, record: Record, lang: str) -> str | None:
        """For a version ready today whose snapshot went missing after it went out: the build
        writes it again, as published today (check and status say so before it does)."""
        path = snapshot_path(self.root, lang, record.id)
        if self.fingerprints.file(path) != "-":
            return None
        restore = self._lost(record.id, lang, path)
        if not restore:
            return None
        return (f"{published_name(path)} is missing, while its version went out: the build writes it again, as "
                f"published today; to keep when it went out, restore it {restore}")

    def published_key(self, lang: str, content: str, meta: dict, photo: str, record: Record) -> str:
        """What a translated version's outputs are made from: its text (as a snapshot has it),
        the photo it names (photo_fingerprint), the language's shared inputs, today's embargo
        and withdrawal, and the ids its record names as former, which give its feed entry and
        ninjs item their ids (Release.first_id; a trial's served version kept its new id's
        after former_ids named the old one). The same whether it is rendered from today's
        catalog or from its snapshot, so a version that becomes outdated is not rendered again."""
        return combine("published", content, photo, self._shared_inputs(lang), meta["embargo"], meta["withdrawn"],
                       *(("former ids", *record.former_ids) if record.former_ids else ()))

    def outdated(self, record: Record, lang: str) -> dict | None:
        """What the last published version of a translated version is, for one that is not
        publishable today: {'meta', 'content', 'published', 'since', 'changed', 'image'}; None
        when it was never published."""
        path = self.renamed_from.get((record.id, lang)) or snapshot_path(self.root, lang, record.id)
        if lang == record.lang:
            return None
        if self.fingerprints.file(path) == "-":
            # (One renamed since is renamed_snapshots' to name: a build stops on it.)
            restore = self._lost(record.id, lang, path)
            if restore:
                # Deleted, or lost in a merge: what it published stays online as it is (a
                # trial's deleted file took the page offline, and check called it fine).
                self.report.warn_standing(
                    f"{published_name(path)} is missing, while its version is online: {lang}/{record.id} stays as it "
                    f"was published until its translation is ready; restore it {restore} (to stop serving it, "
                    "withdraw the release)", record.id)
                self.unreadable.add((record.id, lang))
                self.lost.add((record.id, lang))
            return None
        key = combine("published", self.fingerprints.file(path), record.key, self.fingerprints.language(lang))
        # The photo it shows is its own, not the record's: changed or gone since (a trial's tidied
        # away), it is read again, and a photo it can no longer be rebuilt without is named.
        if key not in self.cache.versions or (self.writes_published and not self.cache.versions[key]["since"]) \
                or self.cache.versions[key].get("photo") != self.photo_fingerprint(self.cache.versions[key].get("image")):
            try:
                snapshot = read_snapshot(path)
                assert snapshot is not None
                release = snapshot.release(self.config, record.path, record.release)
            except PressgenError as exc:
                self.report.error(exc)
                self.unreadable.add((record.id, lang))
                return None
            changed = snapshot.changed(record.release)
            # Outdated since the first build that found its source's texts changed; a version
            # held up by a translator's mistake, or by office texts (labels) to translate, is
            # not: its source is what was published, and published/ is not touched.
            since = (snapshot.outdated_since or self.clock) if changed else None
            if self.writes_published and since != snapshot.outdated_since:
                snapshot = replace(snapshot, outdated_since=since)
                write_snapshot(snapshot)
                self.fingerprints.forget(path)
                key = combine("published", self.fingerprints.file(path), record.key, self.fingerprints.language(lang))
            self._published[record.id, lang] = release
            self.cache.versions[key] = {
                "meta": self.cache.feed_texts.split(listing(release)), "content": snapshot.content, "published": snapshot.published.isoformat(),
                "since": snapshot.outdated_since.isoformat() if snapshot.outdated_since else None,
                "changed": changed,
                # The photo it shows: its record's when it went out (photo_fingerprint).
                "image": release.image.file if release.image else None,
                "photo": self.photo_fingerprint(release.image.file if release.image else None),
            }
        self.used_versions.add(key)
        return self.cache.versions[key]


def _went_out(cache: BuildCache, release_id: str, lang: str) -> bool:
    """Whether the last build into out/ made a version's outputs as a published translation (not
    a draft, nor the release's own language: a record written under a wrong `language: kk` and
    mended, whose Turkish text had gone out as Kazakh, was kept online as a translation whose
    snapshot was missing, for good)."""
    entries = [cache.outputs.get(f"{lang}/{release_id}.{suffix}") for suffix in SUFFIX.values()]
    # Not the page at a renamed release's former id, which leads to its new one (a "site" page).
    if not any(entry is not None and not entry.get("draft") and entry.get("key") != "site" for entry in entries):
        return False
    listed = cache.listing(f"{lang}/{release_id}.html")
    return not (listed and listed.get("source") == lang)


def _content_hash(path: Path) -> str | None:
    """A small file's hash, read afresh (not through Fingerprints, whose hashes the stamp keeps)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def in_template(exc: BaseException) -> bool:
    """Whether ``exc`` was raised by a template's own code (``{{ entry.id + 1 }}``: a TypeError
    Jinja passes on as it is), which template_error then places at its line."""
    return any(frame.filename.endswith(".html") for frame in traceback.extract_tb(exc.__traceback__))


def template_error(exc: Exception, release: Release | None, lang: str) -> PressgenError:
    """Point a Jinja error at the template line, which Jinja keeps in the traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return PressgenError(exc.filename, exc.lineno, f"template error: {exc.message}")
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(".html")]
    problem = str(exc)
    if isinstance(exc, RecursionError):
        # A template that includes itself recurses until Python stops it; say what that means.
        problem = ("this template includes or calls itself without end (directly or through another template); "
                   "remove the include, extends or macro call that leads back to it")
        frames = _loop_call(frames)
    if frames:
        where = f" ({release.id}, {lang})" if release else ""
        return PressgenError(frames[-1].filename, frames[-1].lineno, f"template error{where}: {problem}")
    return PressgenError(release.source.path if release else None, None, f"{lang}: template error: {exc}")


def _loop_call(frames: list[traceback.FrameSummary]) -> list[traceback.FrameSummary]:
    """Of a recursion's template frames (outermost first), the include, extends or macro call of
    its loop that comes first in file order (the innermost frame if none repeats). Not the
    innermost of a loop: it is wherever Python's recursion limit happened to stop the render,
    which moved with what the page did there and how deep the stack was already; nor the loop's
    first, which is where the page entered it (a wire item through one partial, a statement
    through the other)."""
    places = [(frame.filename, frame.lineno or 0) for frame in frames]
    start = next((index for index, place in enumerate(places) if place in places[index + 1:]), None)
    if start is None:
        return frames[-1:]
    turn = range(start, places.index(places[start], start + 1))  # each call of one turn, once
    return [frames[min(turn, key=places.__getitem__)]]
