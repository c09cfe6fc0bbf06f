"""Plans and runs a full build: what is up to date, what to translate and render.

build.py is the entry point: it asks stamp.py whether anything changed at all,
and only then imports this module (Jinja, Babel, the renderers).

A build first decides, from content hashes (cache.py), which outputs are
already up to date; only the others are translated, rendered and written.
Every version to write is translated and rendered to HTML before the first
PDF, so a template error is found early. A release or language that fails
does not stop the others, and leaves its existing outputs untouched; only
outputs whose source is gone (a deleted release, a language version never
published and no longer ready) are removed, and only files pressgen wrote
(outputs.py owns out/; pdfpool.py renders the PDFs). A translated version
that was published and is not ready today is rendered from its snapshot
(published.py) until the translation catches up.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Iterable

import jinja2

from . import stamp, theme
from .cache import BuildCache, Fingerprints, combine
from .catalogs import TEMPLATE_LANGUAGE, Catalogs, messages_path, release_catalog_path
from .config import load_config
from .errors import Collector, PressgenError, PressgenErrors, UsageError
from .fsutil import Writer
from .glyphs import drawable, undrawable
from .lang import native_name
from .model import Config, Release
from .ninjs import dumps as ninjs_dumps
from .ninjs import ninjs_item
from .outputs import (FORMATS, SUFFIX, BuildReport, Job, Progress, Record, Scope, is_public_listing, listing,
                      remove_stale, sweep_temporaries, sync_assets, sync_images)
from .pdfpool import PdfRunner
from .published import read_snapshot, snapshot_of, snapshot_path, stale_snapshots, write_snapshot
from .records import declared_id, load_record, release_paths, same_headlines, shared_ids
from .render import Alternate, Page, Renderer, Urls, quote_text
from .review import flag_mistakes, message_mistakes, plural_forms_problems, review
from .scaffold import placeholder_warnings
from .search import index_files, start_index
from .site import Entry, plan_site
from .translate import Gap, Reviewer, localize_release, message_label

__all__ = ["FORMATS", "SUFFIX", "BuildReport", "Builder", "run_build", "check", "listing", "is_public_listing"]


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
        self.catalogs = Catalogs(root)
        self._renderer: Renderer | None = None
        self.used_records: set[str] = set()
        self.used_versions: set[str] = set()
        self._translated: dict[tuple[str, str], tuple[Release, list[Gap]]] = {}
        self._drawable: frozenset[int] | None = None
        self._pages: dict[tuple[str, str, tuple[str, ...], bool, bool], Page] = {}
        self.clock = dt.datetime.now(dt.timezone.utc)
        """When this build runs: the date a version is published or found outdated."""
        self.writes_published = False
        """Only `pressgen build` keeps published/ (check, status and mail read it)."""
        self.serving: set[tuple[str, str]] = set()
        """Versions rendered from their last published snapshot, not from today's catalog."""
        self._published: dict[tuple[str, str], Release] = {}
        self.unreadable: set[tuple[str, str]] = set()
        """Versions whose snapshot cannot be read: their outputs stay as they are."""
        self.writer = Writer()
        """Pages, items, site files and snapshots, written atomically; in place by writer.close()."""
        self.written_early: dict[str, int | PressgenError] = {}
        """Outputs _plan wrote from pages it had rendered (their size), or why it could not."""

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(self.root, self.config, self.catalogs)
        return self._renderer

    # --- records ---------------------------------------------------------------

    def records(self, paths: list[Path] | None = None) -> tuple[list[Record], dict[str, list[PressgenError]]]:
        """Valid records (from the cache when unchanged) and the problems of broken ones, by id;
        of every record, or of those at ``paths`` (a build of the changed releases)."""
        config_sha = self.fingerprints.file(self.config.path) if self.config.path else "-"
        records: list[Record] = []
        broken: dict[str, list[PressgenError]] = {}
        for path in release_paths(self.root) if paths is None else paths:
            # The file name is part of the key: it gives the id of a record without one.
            # And the photos: a record is valid only while the photo it names is within limits.
            key = combine(self.fingerprints.file(path), config_sha, path.name, self.fingerprints.images)
            self.used_records.add(key)
            known = self.cache.records.get(key)
            if known:
                record = Record(path, key, known["id"], known["lang"], self.config)
            else:
                errors = Collector()
                try:
                    release = load_record(path, self.config, errors)
                except PressgenError as exc:
                    errors.extend(exc)
                    release = None
                if errors or release is None:
                    # Filed under the id it declares, so the outputs it had stay protected.
                    broken.setdefault(declared_id(path), []).extend(errors.errors)
                    continue
                record = Record(path, key, release.id, release.lang, self.config, release)
            self.cache.records[key] = {"id": record.id, "lang": record.lang}
            records.append(record)
        clashes = shared_ids([(r.id, r.path) for r in records])
        for release_id, errors in clashes.items():
            broken.setdefault(release_id, []).extend(errors)
        return [r for r in records if r.id not in clashes], broken

    # --- versions --------------------------------------------------------------

    def version_key(self, record: Record, lang: str) -> str:
        return self.fingerprints.version(record.key, record.id, record.lang, lang)

    def readiness(self, record: Record, lang: str, use_cache: bool = True, report: bool = True,
                  keep_page: bool = False) -> dict | None:
        """{'ready', 'gaps'} for one version, from the cache or by translating and rendering it.

        None when the version fails (a broken catalog, a template error): that
        is reported as an error and never cached.
        """
        key = self.version_key(record, lang)
        self.used_versions.add(key)
        if use_cache and key in self.cache.versions:
            return self.cache.versions[key]
        try:
            translated, gaps = self.translate(record, lang)
            catalog_path = release_catalog_path(self.root, lang, record.id)
            if lang != record.lang and catalog_path.exists():
                # A wrong Plural-Forms is check's finding; the build must not publish past it.
                found = [*plural_forms_problems(catalog_path, lang),
                         *flag_mistakes(self.catalogs.load(catalog_path, lang), catalog_path)]
                gaps += [Gap(e.path, e.line, e.message, "mistake") for e in found]
            gaps += self.glyph_mistakes(record, lang, translated)
            if not gaps:
                # Template and office messages the language lacks show up as the page
                # renders. Guess that every language is published: usually right, and
                # then the final page is this one.
                gaps = list(self.page(record, lang, list(self.config.languages)).gaps)
                if not keep_page:
                    # An archive's pages would all be in memory at once (1 GB at 10,000
                    # releases x 3): the build keeps it only while it plans this release.
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
        if self._drawable is None:
            self._drawable = drawable(self.root)
        if not self._drawable:
            return []
        release = record.release
        catalog = self.catalogs.release(lang, release.id) if lang != release.lang else None
        mistakes = []
        for source, text in zip(release.texts(), translated.texts()):
            char = undrawable(text.value, self._drawable)
            if char is None or (catalog is not None and text.value == source.value):
                continue  # a source text standing in is the source version's mistake, named there
            if catalog is None:
                path, line = release.source.path, source.line
            else:
                message = catalog.get(source.value, source.context)
                path, line = release_catalog_path(self.root, lang, release.id), message.lineno if message else None
            mistakes.append(Gap(path, line, f"{message_label(source.value, source.context)} has '{char}' "
                                f"(U+{ord(char):04X}), which no font of the theme has, so its PDF would not be "
                                "written; remove it, or add a font that has it to templates/assets/", "mistake"))
        return mistakes

    def ninjs(self, record: Record, lang: str) -> bytes:
        """The IPTC ninjs item of one version."""
        translated = self.version_release(record, lang)
        interface = self.renderer.language(lang, (record.id, lang) in self.serving)[1]
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
                found = message_mistakes(self.catalogs.load(path, lang), path, lang, self.catalogs.glossary(lang))
                found += plural_forms_problems(path, lang)
            except PressgenError as exc:
                found = [exc]
            self.cache.versions[key] = {"mistakes": [[str(e.path), e.line, e.message] for e in found]}
        return [PressgenError(Path(p), line, message) for p, line, message in self.cache.versions[key]["mistakes"]]

    def is_public(self, release: Release) -> bool:
        """Whether the release may appear in public listings: not withdrawn, and no embargo
        or one that has lifted."""
        return is_public_listing(listing(release), self.now)

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
            previous = (record.id, translated.language) in self.serving
            return self.renderer.render_release(translated, organisation, alternates, draft, self.is_public(translated),
                                                previous)
        except (jinja2.TemplateError, RecursionError) as exc:
            raise _template_error(exc, translated, translated.language) from None
        except ValueError as exc:
            raise PressgenError(translated.source.path, None, f"{translated.language}: {exc}") from None

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

    def publish(self, record: Record, lang: str, state: dict) -> str:
        """Keep the snapshot of a ready translated version (published/<lang>/<id>.yaml) the
        text it publishes, rewritten only when that text changes; returns its content hash."""
        path = snapshot_path(self.root, lang, record.id)
        if state.get("snapshot") == self.fingerprints.file(path) and "content" in state:
            return state["content"]
        if state["meta"]["withdrawn"] and self.fingerprints.file(path) != "-":
            # Withdrawn: nothing new is published; the snapshot keeps what went out.
            try:
                existing = read_snapshot(path)
            except PressgenError:
                existing = None
            if existing is not None:
                return existing.content
        translated = self.translate(record, lang)[0]
        fresh = snapshot_of(record.release, translated, record.path.read_text(encoding="utf-8"), path, self.clock)
        try:
            existing = read_snapshot(path)
        except PressgenError:
            existing = None  # a damaged snapshot gives way to the version published now
        if existing is not None and existing.content == fresh.content:
            fresh = replace(existing, outdated_since=None)  # published then, and up to date again
        if fresh != existing and self.writes_published:
            data = fresh.dumps()
            self.writer.write_if_changed(path, data)
            self.report.published.append(path)
            self.fingerprints.written(path, data)
        state["snapshot"], state["content"] = self.fingerprints.file(path), fresh.content
        return fresh.content

    def published_key(self, lang: str, content: str, meta: dict) -> str:
        """What a translated version's outputs are made from: its text (as a snapshot has it),
        the language's shared inputs, and today's embargo and withdrawal. The same whether
        it is rendered from today's catalog or from its snapshot, so a version that becomes
        outdated is not rendered again."""
        return combine("published", content, self.fingerprints.language(lang), meta["embargo"], meta["withdrawn"])

    def outdated(self, record: Record, lang: str) -> dict | None:
        """What the last published version of a translated version is, for one that is not
        publishable today: {'meta', 'content', 'published', 'since', 'changed'}; None
        when it was never published."""
        path = snapshot_path(self.root, lang, record.id)
        if lang == record.lang or self.fingerprints.file(path) == "-":
            return None
        key = combine("published", self.fingerprints.file(path), record.key, self.fingerprints.language(lang))
        if key not in self.cache.versions or (self.writes_published and not self.cache.versions[key]["since"]):
            try:
                snapshot = read_snapshot(path)
                assert snapshot is not None
                release = snapshot.release(self.config, record.path, record.release)
            except PressgenError as exc:
                self.report.error(exc)
                self.unreadable.add((record.id, lang))
                return None
            if self.writes_published and snapshot.outdated_since is None:
                snapshot = replace(snapshot, outdated_since=self.clock)
                write_snapshot(snapshot)
                self.fingerprints.forget(path)
                key = combine("published", self.fingerprints.file(path), record.key, self.fingerprints.language(lang))
            self._published[record.id, lang] = release
            self.cache.versions[key] = {
                "meta": self.cache.feed_texts.split(listing(release)), "content": snapshot.content, "published": snapshot.published.isoformat(),
                "since": snapshot.outdated_since.isoformat() if snapshot.outdated_since else None,
                "changed": snapshot.changed(record.release),
            }
        self.used_versions.add(key)
        return self.cache.versions[key]


def run_build(
    root: Path | str = ".",
    out: Path | str | None = None,
    languages: Iterable[str] | None = None,
    release_ids: Iterable[str] | None = None,
    formats: Iterable[str] = FORMATS,
    jobs: int | None = None,
    force: bool = False,
    drafts: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    publish: bool = True,
    changed: stamp.Changed | None = None,
) -> BuildReport:
    """build() when its stamp cannot tell that nothing changed (build.py). With
    ``changed``, only those releases' own files changed since the last build: they are
    built, and the others are listed and reported as that build left them."""
    root = _project_root(root)
    out = Path(out).resolve() if out else root / "out"
    stamped = stamp.options_key(out, tuple(languages or ()), tuple(formats), drafts, publish) \
        if (not release_ids or changed) and now is None else None
    stamp.remove(root, out)
    listed = stamp.listings(root)
    config = load_config(root)
    langs = _select_languages(config.languages, tuple(languages or ()))
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    report = BuildReport()
    cache = BuildCache.load(root, out)
    if cache.warning:
        report.warnings.append(cache.warning)

    builder = Builder(root, config, cache, report, now)
    builder.writes_published = publish
    # The theme is every page's: a mistake in it stops the build before anything is written.
    problems = builder.theme_problems(out)
    if problems:
        raise problems[0] if len(problems) == 1 else PressgenErrors(problems)

    if changed is not None:
        # The other records are as the stamp says: only the changed ones are read.
        records, broken = builder.records(changed.record_paths(root))
        if not changed.holds(root, records):
            changed = None  # a record now has another id: build everything
    if changed is None:
        records, broken = builder.records()
    release_ids = tuple(sorted(changed.release_ids)) if changed is not None else release_ids
    selected = _select_records(records, set(broken), tuple(release_ids or ()))
    for release_id, problems in broken.items():
        if not release_ids or release_id in release_ids:
            for problem in problems:
                report.error(problem)

    # What a killed build left half-written goes first: planning writes pages already.
    sweep_temporaries(out)
    # Decide what is up to date from hashes alone; translate and render only the rest.
    todo, expected, protected, listings = _plan(builder, selected, langs, formats, out, force, drafts)
    for lang in langs:
        for problem in builder.label_mistakes(lang):
            report.error(problem)
    sync_assets(root, out, cache, report)
    sync_images(root, out, cache, report)
    total = len(todo)
    done = 0

    def tell(job: Job) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, job.rel, len(report.unchanged), len(report.errors))

    def finished(job: Job, path: Path, size: int | None = None) -> None:
        cache.outputs[job.rel] = {"key": job.key, "size": path.stat().st_size if size is None else size}
        report.written.append(path)
        tell(job)

    def failed(job: Job, error: PressgenError) -> None:
        report.error(error)
        protected.add(job.rel)
        tell(job)

    # Pages are rendered in this process; PDFs in workers that start now, so they set up
    # WeasyPrint while this process renders the pages they will print, and here too when
    # the workers have enough to do (pdfpool.py).
    pdfs = PdfRunner(root, out, jobs, sum(job.fmt == "pdf" for job in todo), finished, failed, cache)
    for number, job in enumerate(todo):
        early = builder.written_early.pop(job.rel, None)
        try:
            if isinstance(early, PressgenError):
                raise early
            page = builder.page(job.record, job.lang, job.siblings, job.draft) if early is None else None
        except PressgenError as exc:
            failed(job, exc)
        else:
            if early is not None:
                finished(job, out / job.rel, early)
            elif job.fmt in ("html", "ninjs"):
                data = page.web_html.encode("utf-8") if job.fmt == "html" else builder.ninjs(job.record, job.lang)
                builder.writer.write_if_changed(out / job.rel, data)
                finished(job, out / job.rel, len(data))
            else:
                pdfs.submit(job, page.html)
        # A version's jobs come one after another: after its last, forget it.
        after = todo[number + 1] if number + 1 < len(todo) else None
        if after is None or (after.record.id, after.lang) != (job.record.id, job.lang):
            builder.evict(job.record.id, job.lang)
    pdfs.finish()
    # Said when a version is rendered, not on every build: `check` says it each time.
    for record in {id(job.record): job.record for job in todo if not job.draft}.values():
        report.warnings.extend(placeholder_warnings(record.release, root))

    if "html" in formats:
        # The newsroom is always made anew, so an embargo moved or a withdrawal takes
        # effect at once, also in a build of some releases; a release that failed
        # (or the others, not built now) stays listed as the last newsroom had it.
        if changed is not None:
            # Their files are as the last build left them: so is their listing.
            for release_id in changed.other_ids():
                _list(listings, release_id, {lang: None for lang in config.languages}, builder)
        elif release_ids:
            _list_the_others(builder, records, selected, listings)
        for release_id in broken:
            _list(listings, release_id, {lang: None for lang in config.languages}, builder)
        # Pagefind reads the listed pages from disk: once they are in place, it indexes them
        # in its own processes while this one makes the newsroom.
        builder.writer.wait()
        indexing = start_index(out, cache, {f"{lang}/{entry.id}.html": entry.date
                                            for lang, listed in listings.items() for entry in listed})
        try:
            _write_site(builder, out, listings, report)
        except BaseException:
            indexing.discard()
            raise
    builder.writer.close()  # every file in place before stale ones go and the cache names them
    if "html" in formats:
        try:
            indexing.finish()
        except PressgenError as exc:
            report.error(exc)

    in_scope = Scope(langs, formats, {r.id for r in selected} if release_ids else None)
    remove_stale(out, cache, report, in_scope, keep=set(expected) | protected, broken=set(broken))
    # A build of everything knows every live record and version: forget the rest.
    full = not release_ids and langs == config.languages
    if full:
        translated = {(lang, r.id) for r in records for lang in config.languages if lang != r.lang}
        for path in stale_snapshots(root, translated, set(broken)):
            path.unlink()
            report.removed.append(path)
    cache.save(keep=(builder.used_records, builder.used_versions) if full else None)
    if changed is not None:
        _report_the_others(report, changed.others(out), changed.ids(), config.languages)
    if stamped and report.ok and not builder.fingerprints.unreadable:
        fingerprints = builder.fingerprints
        # The outputs a build with nothing to do finds up to date: the releases' own.
        outputs = list(expected) if changed is None else [*expected, *(
            rel for rel in changed.last["report"]["outputs"] if stamp.release_of(rel) not in changed.release_ids)]
        racy = {path: fingerprints.settled(path) for path in fingerprints.racy}
        stamp.write(root, out, stamped, listed, fingerprints.seen, fingerprints.wrote, racy,
                    _own_files(root, selected, config.languages), [*cache.outputs, *index_files(cache)], report,
                    outputs,
                    [(record.path, record.id) for record in records], changed.last if changed is not None else None)
    return report


def _own_files(root: Path, records: list[Record], languages: tuple[str, ...]) -> dict[Path, str]:
    """Each release's own files, by path: its record, catalogs and snapshots (stamp.py)."""
    owners: dict[Path, str] = {}
    for record in records:
        owners[record.path] = record.id
        for lang in languages:
            owners[release_catalog_path(root, lang, record.id)] = record.id
            owners[snapshot_path(root, lang, record.id)] = record.id
    return owners


def _report_the_others(report: BuildReport, others: BuildReport, ids: list[str], languages: tuple[str, ...]) -> None:
    """Add what the last build reported of the releases this one did not build, in the
    order a build of everything gives (records, then languages)."""
    done = set(report.written) | set(report.unchanged)
    report.unchanged += [path for path in others.unchanged if path not in done]
    order = {release_id: number for number, release_id in enumerate(ids)}
    place = {lang: number for number, lang in enumerate(languages)}

    def by_release(item: tuple) -> tuple[int, int]:
        return order.get(item[0], len(order)), place.get(item[1], len(place))

    report.not_ready = sorted(report.not_ready + others.not_ready, key=by_release)
    report.outdated = sorted(report.outdated + others.outdated, key=by_release)
    for release_id, until in others.embargoes.items():
        report.embargoed(until, release_id)


def _list(listings: dict[str, list[Entry]], release_id: str, states: dict[str, dict | None], builder: Builder,
          served: dict[str, dict | None] | None = None) -> None:
    """Add a release's public versions to the newsroom listings of their languages. An
    outdated version is listed as it was published; one that failed (None) or has a
    translator's mistake, with no published version, as the last newsroom had it."""
    metas: dict[str, dict] = {}
    for lang, state in states.items():
        published = (served or {}).get(lang)
        if published is not None:
            metas[lang] = published["meta"]
        elif state is None or _has_mistakes(state) or (release_id, lang) in builder.unreadable:
            last = builder.cache.outputs.get(f"{lang}/{release_id}.html", {}).get("listed")
            if last:
                metas[lang] = last
        elif state["ready"]:
            metas[lang] = state["meta"]
    public = tuple(lang for lang, meta in metas.items() if is_public_listing(meta, builder.now))
    for meta in metas.values():
        if meta["embargo"] and not meta["withdrawn"] and not is_public_listing(meta, builder.now):
            builder.report.embargoed(dt.datetime.fromisoformat(meta["embargo"]), release_id)
    for lang in public:
        listings.setdefault(lang, []).append(Entry.from_listing(release_id, lang, metas[lang], public))


def _versions(builder: Builder, record: Record, report_langs: tuple[str, ...],
              keep_pages: bool = False) -> tuple[dict, dict]:
    """Every language's state, and the published version of each one not publishable today."""
    states = {lang: builder.readiness(record, lang, report=lang in report_langs, keep_page=keep_pages)
              for lang in builder.config.languages}
    served = {lang: builder.outdated(record, lang) if lang != record.lang else _labels_behind(record, state)
              for lang, state in states.items() if not (state and state["ready"])}
    return states, served


def _labels_behind(record: Record, state: dict | None) -> dict | None:
    """The source-language version of a release whose only gaps are labels or office texts
    of messages.po: the office's own text is never held back by a label's translation. It
    is published with the labels' previous translations (English where there is none)."""
    if state is None:
        return None
    gaps = [Gap.from_state(g) for g in state["gaps"]]
    if not gaps or any(g.kind == "mistake" or g.path.name != "messages.po" for g in gaps):
        return None
    return {"meta": state["meta"], "content": record.key, "published": None, "since": None, "changed": []}


def _list_the_others(builder: Builder, records: list[Record], selected: list[Record],
                     listings: dict[str, list[Entry]]) -> None:
    """After a build of some releases, list the others as their cached states say."""
    chosen = {record.id for record in selected}
    for record in records:
        if record.id not in chosen:
            states, served = _versions(builder, record, ())
            _list(listings, record.id, states, builder, served)


def _has_mistakes(state: dict) -> bool:
    return any(Gap.from_state(g).kind == "mistake" for g in state["gaps"])


def _plan(builder: Builder, selected: list[Record], langs: tuple[str, ...], formats: tuple[str, ...], out: Path,
          force: bool, drafts: bool) -> tuple[list[Job], dict[str, str], set[str], dict[str, list[Entry]]]:
    """The jobs to do, the key of every output that should exist, outputs to leave alone,
    and the public listing of each language."""
    config, cache, report = builder.config, builder.cache, builder.report
    expected: dict[str, str] = {}
    protected: set[str] = set()
    todo: list[Job] = []
    listings: dict[str, list[Entry]] = {}
    # A draft never takes the place of a published version in the project's own out/;
    # a preview folder (-o preview) shows the draft of an outdated version instead.
    preview = drafts and out != builder.root / "out"
    for record in selected:
        first_job = len(todo)
        states, served = _versions(builder, record, langs, keep_pages=True)
        # Its catalogs are read: what the jobs need is in its translations (memory stays flat).
        for lang in config.languages:
            builder.catalogs.forget(release_catalog_path(builder.root, lang, record.id))
        if preview:
            served = {lang: None for lang in served}
        _list(listings, record.id, states, builder, served)
        # Pages link to the ready and outdated languages (and drafts, when asked for),
        # and to failed ones whose last good output stays.
        siblings = [lang for lang in config.languages if (states[lang] or {}).get("ready")
                    or served.get(lang) is not None
                    or (drafts and states[lang] is not None)
                    or ((states[lang] is None or _has_mistakes(states[lang]))
                        and f"{lang}/{record.id}.html" in cache.outputs)]
        for lang in langs:
            state, published = states[lang], served.get(lang)
            draft = False
            if state is not None and state["ready"]:
                if lang == record.lang:
                    version = builder.version_key(record, lang)
                else:
                    version = builder.published_key(lang, builder.publish(record, lang, state), state["meta"])
                public = is_public_listing(state["meta"], builder.now)
            else:
                gaps = [Gap.from_state(g) for g in state["gaps"]] if state else []
                mistakes = [g for g in gaps if g.kind == "mistake"]
                # A translator's slip is an error, like a broken record: the version's
                # last good outputs stay (a draft must not replace them either).
                for gap in mistakes:
                    report.error(gap.as_error())
                rels = [f"{lang}/{record.id}.{SUFFIX[fmt]}" for fmt in formats]
                if (state is None or mistakes) and all(r in cache.outputs and (out / r).is_file() for r in rels):
                    # A failing version changes no output: the last good ones stay as they are.
                    protected.update(rels)
                    continue
                if published is not None:
                    # Published stays published: until the translation catches up, the
                    # version that went out is rendered from its snapshot.
                    if not mistakes and state is not None and not published["meta"]["withdrawn"]:
                        report.outdated.append((record.id, lang, gaps, published))
                    builder.serving.add((record.id, lang))
                    version = builder.published_key(lang, published["content"], published["meta"])
                    public = is_public_listing(published["meta"], builder.now)
                elif state is None or mistakes or (record.id, lang) in builder.unreadable:
                    protected.update(rels)
                    continue
                else:
                    report.not_ready.append((record.id, lang, gaps))
                    if not drafts:
                        continue
                    draft = True
                    version = builder.version_key(record, lang)
                    # An embargoed page changes when the embargo lifts (it gains structured data).
                    public = is_public_listing(state["meta"], builder.now)
            for fmt in formats:
                if draft and fmt == "ninjs":
                    continue  # drafts are for review in the office; an agency's system would publish one
                rel = f"{lang}/{record.id}.{SUFFIX[fmt]}"
                # Pages link to their siblings; a ninjs item does not.
                linked = ",".join(siblings) if fmt != "ninjs" else ""
                key = combine(version, linked, fmt, "draft" if draft else "", public)
                expected[rel] = key
                # --force renders again; what records and versions were stays valid
                # in the cache, as it is keyed on their content.
                if not force and cache.outputs.get(rel, {}).get("key") == key and (out / rel).is_file():
                    report.unchanged.append(out / rel)
                else:
                    todo.append(Job(record, lang, fmt, rel, key, siblings, draft))
        _write_early(builder, record, todo[first_job:], out)
    return todo, expected, protected, listings


def _write_early(builder: Builder, record: Record, jobs: list[Job], out: Path) -> None:
    """Write a release's pages and ninjs items now, while the pages its readiness rendered
    are at hand, so that no page is rendered twice; then let its pages go, and its
    translations too when no PDF needs them. The job loop reports them in their turn."""
    for job in jobs:
        page = builder.rendered(job.record, job.lang, job.siblings, job.draft) if job.fmt == "html" else None
        if page is None and job.fmt != "ninjs":
            continue
        try:
            data = page.web_html.encode("utf-8") if page is not None else builder.ninjs(job.record, job.lang)
        except PressgenError as exc:
            builder.written_early[job.rel] = exc
            continue
        builder.writer.write_if_changed(out / job.rel, data)
        builder.written_early[job.rel] = len(data)
    for lang in builder.config.languages:
        later = any(job.lang == lang and job.rel not in builder.written_early for job in jobs)
        builder.evict(record.id, lang, translation=not later)


def _write_site(builder: Builder, out: Path, listings: dict[str, list[Entry]], report: BuildReport) -> None:
    """Indexes, feeds, root page and sitemap of every language (a build of some languages
    knows the listings of all), each made only when what shapes it changed; the site
    files of languages no longer published are removed."""
    cache = builder.cache
    plan = plan_site(builder.config, builder.renderer, listings, builder.fingerprints.language, cache.feed_texts.get)
    for rel, (inputs, make) in plan.items():
        key = combine(inputs)
        entry = cache.outputs.get(rel, {})
        if entry.get("key") == "site" and entry.get("inputs") == key and (out / rel).is_file():
            continue
        try:
            data = make()
        except (jinja2.TemplateError, RecursionError) as exc:
            report.error(_template_error(exc, None, ""))
            return
        builder.writer.write_if_changed(out / rel, data)
        cache.outputs[rel] = {"key": "site", "inputs": key, "size": len(data)}
    # What each listed page was listed as, for when its release fails in a later build.
    for lang in builder.config.languages:
        listed = {f"{lang}/{entry.id}.html": entry.meta for entry in listings.get(lang, [])}
        for rel, output in cache.outputs.items():
            if rel.startswith(f"{lang}/") and rel.endswith(".html"):
                if rel in listed:
                    output["listed"] = listed[rel]
                else:
                    output.pop("listed", None)
    for rel in [r for r, entry in cache.outputs.items() if entry.get("key") == "site" and r not in plan]:
        (out / rel).unlink(missing_ok=True)
        del cache.outputs[rel]
        report.removed.append(out / rel)
        # A listing page's folder (page/, archive/2011/, org/x/) goes with its last page.
        for folder in (out / rel).parents:
            if folder == out or folder.parent == out:
                break
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: other pages, or a file of the user's


def check(root: Path | str = ".") -> BuildReport:
    """`pressgen check`: read, translate and render every version in memory; write nothing."""
    root = _project_root(root)
    config = load_config(root)
    report = BuildReport()
    builder = Builder(root, config, BuildCache.in_memory(), report)
    records, broken = builder.records()
    for problems in broken.values():
        for problem in problems:
            report.error(problem)
    for error in review(root, config, builder.catalogs):
        report.error(error)
    theme_problems = builder.theme_problems(root / "out")
    for error in theme_problems:
        report.error(error)
    if config.mail:  # whatever would stop `pressgen mail`, a missing list included
        from .media import load_media_list

        try:
            load_media_list(root / config.mail.media_list, config)
        except PressgenError as exc:
            for error in exc.errors if isinstance(exc, PressgenErrors) else [exc]:
                report.error(error)
    for record in records:
        for lang in config.languages:
            # A broken theme fails every render: it is named once, above, not per version.
            state = builder.readiness(record, lang, use_cache=False, report=not theme_problems)
            if state and not state["ready"]:
                gaps = [Gap.from_state(g) for g in state["gaps"]]
                for gap in gaps:
                    if gap.kind == "mistake":
                        report.error(gap.as_error())
                work = [g for g in gaps if g.kind != "mistake"]
                published = builder.outdated(record, lang)
                if published is not None and work:
                    report.outdated.append((record.id, lang, work, published))
                elif work:  # a version with mistakes only has them reported as errors above
                    report.not_ready.append((record.id, lang, work))
    report.warnings.extend(same_headlines([record.release for record in records], root))
    for record in records:
        report.warnings.extend(placeholder_warnings(record.release, root))
    return report


def _project_root(root: Path | str) -> Path:
    root = Path(root).resolve()
    if not root.is_dir():
        raise UsageError(f"{root}: no such project folder")
    return root


def _select_languages(available: tuple[str, ...], requested: tuple[str, ...]) -> tuple[str, ...]:
    if not requested:
        return available
    unknown = [code for code in requested if code not in available]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}; this project publishes in {', '.join(available)}")
    return tuple(code for code in available if code in requested)


def _select_records(records: list[Record], broken: set[str], requested: tuple[str, ...]) -> list[Record]:
    if not requested:
        return records
    by_id = {r.id: r for r in records}
    for release_id in requested:
        if release_id not in by_id and release_id not in broken:
            known = ", ".join(sorted(by_id)) or "none"
            raise UsageError(f"no release '{release_id}'; releases: {known}")
    return [by_id[i] for i in requested if i in by_id]


def _template_error(exc: Exception, release: Release | None, lang: str) -> PressgenError:
    """Point a Jinja error at the template line, which Jinja keeps in the traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return PressgenError(exc.filename, exc.lineno, f"template error: {exc.message}")
    # A template that includes itself recurses until Python stops it; say what that means.
    problem = ("this template includes or calls itself without end (directly or through another template); remove "
               "the include, extends or macro call that leads back to it") if isinstance(exc, RecursionError) else str(exc)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html"):
            where = f" ({release.id}, {lang})" if release else ""
            return PressgenError(frame.filename, frame.lineno, f"template error{where}: {problem}")
    return PressgenError(release.source.path if release else None, None, f"{lang}: template error: {exc}")
