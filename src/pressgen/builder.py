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

plan.py decides what each release needs, asking versions.py (the Builder) about
each of its versions; this module runs the plan, then has the newsroom made
(newsroom.py) beside the search index, and saves the cache and the stamp.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Iterable

from . import __version__, collector, sitememory, stamp
from .cache import BuildCache, combine
from .catalogs import release_catalog_path
from .config import load_config
from .errors import PressgenError, PressgenErrors, UsageError
from .fsutil import sync_filesystems
from .model import Config
from .newsroom import check_site, write_remembered, write_site
from .outputs import (FORMATS, SUFFIX, BuildReport, Job, Progress, Record, Scope, is_public_listing, listing,
                      remove_stale, sweep_temporaries, sync_assets, sync_images)
from .pdfpool import PdfRunner
from .plan import cached_pages, labels_behind, list_release, list_the_others, plan_releases
from .conflicts import unmerged_problems
from .projectfiles import CACHE_DIR, COMPILED_DIR, PUBLISHED_DIR, relative_name
from .published import (orphan_warnings, read_snapshot, snapshot_path, stale_snapshots,
                        unlisted_language_warnings)
from .publishedmessages import messages_memory_path, read_messages_memory
from .records import (Headline, far_date_warnings, future_date_warnings, key_line, later_dates, no_such_release,
                      same_headlines)
from .report import OutputPaths
from .review import review_catalogs
from .scaffold import office_placeholder_warnings, timeless_record_warnings
from .search import early_pages, index_files, start_in_place, start_index
from .site import in_place
from .translate import Gap
from .verdicts import Verdicts
from .versions import Builder

__all__ = ["FORMATS", "SUFFIX", "BuildReport", "Builder", "run_build", "check", "listing", "is_public_listing"]


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
    listed = changed.found if changed is not None and changed.found is not None else stamp.listings(root)
    config = load_config(root)
    langs = _select_languages(config.languages, tuple(languages or ()))
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    report = BuildReport()
    cache = BuildCache.load(root, out)
    # What the cache holds is hundreds of thousands of objects in no cycle, which every full
    # run of the cycle collector would walk again (0.2 s of an edit at 10,000 releases): out
    # of its way until the build ends (build.py unfreezes them).
    gc.freeze()
    if cache.warning:
        report.warnings.append(cache.warning)

    builder = Builder(root, config, cache, report, now)
    builder.writes_published = publish
    builder.prints = "pdf" in formats
    # By pressgen's version: Jinja checks a compiled template against its source, not against
    # the environment's settings, which another pressgen may set otherwise.
    builder.compiled_templates = root / CACHE_DIR / COMPILED_DIR / __version__
    # The theme is every page's: a mistake in it stops the build before anything is written.
    problems = builder.theme_problems(out)
    if problems:
        raise problems[0] if len(problems) == 1 else PressgenErrors(problems)

    if changed is not None:
        # The other records are as the stamp says: only the changed ones are read.
        records, broken = builder.records(changed.record_paths(root))
        if not changed.holds(root, records):
            changed = None  # a record now has another id: build everything
        elif any(record.former_ids for record in records):
            changed = None  # whether its former ids are another release's is known from all of them
        elif "html" in formats and not changed.vouches(root, cache.listing_parts()) and not cache.knows_listing():
            changed = None  # what the others were listed as is gone: look at them all
        gc.freeze()  # the stamp and the others' listings, read just now: as the cache (above)
    if changed is None:
        # Every record, in memory until the build ends: tens of thousands of objects in no
        # cycle, read with the collector paused and then kept out of its way (as the cache is):
        # its full runs while they were read, and walking them again in each later one, took
        # 1.5 s of CPU of a cold build of 10,000.
        with collector.paused(freeze=True):
            records, broken = builder.records()
    release_ids = tuple(sorted(changed.release_ids)) if changed is not None else release_ids
    selected = _select_records(records, set(broken), tuple(release_ids or ()))
    for release_id, problems in broken.items():
        if not release_ids or release_id in release_ids:
            for problem in problems:
                report.error(problem)

    # What a killed build left half-written goes first: planning writes pages and snapshots already.
    # A stamp is only there when the last build ended (run_build removes it first): nothing to sweep.
    if changed is None:
        for folder in (out, root / PUBLISHED_DIR, *cache.own_folders()):
            sweep_temporaries(folder)
    # A renamed release's published versions follow it to its new id (a rename is a full build).
    if changed is None and publish:
        report.moved = builder.adopt_renamed(records, set(broken), stamped=not release_ids)
        builder.learn_renames(records)
        # Said by every build until the record names them, one with nothing to do too (the stamp's).
        for release_id, hint in builder.former_ids_hints_by_release(records).items():
            report.warn_standing(hint, release_id)
    if "html" in formats:
        builder.early_pages = early_pages(cache)
    if changed is None and not release_ids and publish:
        # The published records it proves clean, kept for the next check (verdicts.py). Not in
        # an edit's build: the verdicts of 10,000 releases take a tenth of a second to read.
        builder.verdicts = Verdicts(root)
    # The labels and office texts as published, kept before a page uses them (and before a plan's fork).
    held: frozenset[str] = frozenset()
    if publish:
        for lang in config.languages:
            try:
                builder.keep_published_messages(lang)
            except PressgenError as exc:
                # Its language's outputs stay as they are (what waits would show in English),
                # its newsroom's too; the other languages are built.
                report.error(exc)
                langs = tuple(code for code in langs if code != lang)
                held |= {lang}
                report.warnings.append(hold_back(builder, selected, lang, out, exc))
            else:
                report.warnings.extend(builder.stray_office_texts(lang))
    # Decide what is up to date from hashes alone; translate and render only the rest.
    plan = plan_releases(builder, selected, langs, formats, out, force, drafts, jobs)
    gc.freeze()  # the plan, listings and versions' states: kept to the end, as the records are
    todo, expected, protected, listings = plan.todo, plan.expected, plan.protected, plan.listings
    for lang in langs:
        for problem in builder.label_mistakes(lang):
            report.error(problem)
    if "html" in formats and now is None:  # not in a build of another moment (--now): a what-if
        report.warnings.extend(_embargoed_again(root, selected, report, cache, config.languages))
    sync_assets(root, out, cache, report)
    sync_images(root, out, cache, report, builder.photos,
                None if changed is None else {record.id for record in records} | set(broken),
                set(broken) | {release_id for release_id, _ in builder.unreadable})
    total = len(todo)
    done = 0
    # As the summary counts them: release outputs, not the assets and photos copied to out/,
    # and those of the releases an edit's build does not look at (_report_the_others).
    up_to_date = len(report.outputs(written=False))
    if progress and changed is not None:
        up_to_date += len(changed.others(out).outputs(written=False))

    def tell(job: Job, written: bool = True) -> None:
        nonlocal done
        done += 1
        if progress:
            # A failed one says so: a trial's progress listed outputs that were kept as they were.
            progress(done, total, job.rel if written else f"{job.rel} not written (see the error)", up_to_date,
                     len(report.errors))

    def finished(job: Job, path: Path, size: int | None = None) -> None:
        cache.outputs[job.rel] = {"key": job.key, "size": path.stat().st_size if size is None else size,
                                  # Not published: its missing snapshot is no loss (Builder._lost).
                                  **({"draft": True} if job.draft else {})}
        report.written.append(path)
        tell(job)

    offline: set[tuple[str, str]] = set()
    """(language, release id) of the versions whose page failed with none online before it."""

    def failed(job: Job, error: PressgenError) -> None:
        report.error(error)
        protected.add(job.rel)
        if job.fmt == "html" and not (out / job.rel).is_file():
            offline.add((job.lang, job.record.id))
        tell(job, written=False)

    # Pages are rendered in this process; PDFs in workers that start now, so they set up
    # WeasyPrint while this process renders the pages they will print, and here too when
    # the workers have enough to do (pdfpool.py).
    pdfs = PdfRunner(root, out, jobs, sum(job.fmt == "pdf" for job in todo), finished, failed, cache)
    try:
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
                    if job.fmt == "html":
                        builder.lay_out_for_search(job, page)
                    finished(job, out / job.rel, len(data))
                else:
                    pdfs.submit(job, page.html)
            # A version's jobs come one after another: after its last, forget it.
            after = todo[number + 1] if number + 1 < len(todo) else None
            if after is None or (after.record.id, after.lang) != (job.record.id, job.lang):
                builder.evict(job.record.id, job.lang)
        pdfs.finish()
    except BaseException:
        pdfs.abandon()  # Ctrl-C: the workers' queue is not rendered first
        raise
    for release_id in dict.fromkeys(job.record.id for job in todo if not job.draft):
        report.warnings.extend(builder.record_warnings.get(release_id, ()))

    # What the newsroom's plan leaves for the next build's, kept by the stamp.
    kept = dict(changed.last.get("kept") or {}) if changed is not None else {}
    if "html" in formats:
        # The newsroom is always made anew, so an embargo moved or a withdrawal takes
        # effect at once, also in a build of some releases; a release that failed
        # (or the others, not built now) stays listed as the last newsroom had it.
        if changed is None and release_ids:
            list_the_others(builder, records, selected, listings, plan.withdrawn)
        for release_id in broken:
            list_release(listings, release_id, {lang: None for lang in config.languages}, builder,
                         withdrawn=plan.withdrawn)
        # A version whose page failed, and had none online (a new out/, a new clone), is not
        # listed: the newsroom, feeds and sitemap would lead to a page that is not there.
        for lang, release_id in offline:
            listings[lang] = [entry for entry in listings.get(lang, []) if entry.id != release_id]
        # Pagefind indexes the listed pages in its own processes while this one makes the
        # newsroom (after an edit, the other releases' pages and dates are in the cache: they
        # need not be listed first).
        pages = {f"{lang}/{entry.id}.html": entry.date for lang, listed in listings.items() for entry in listed}
        only = in_place(listings, {rel: meta for release_id in changed.release_ids for lang in config.languages
                                   if (meta := cache.listing(rel := f"{lang}/{release_id}.html"))},
                        changed.release_ids, config.languages) if changed is not None else None
        indexing = start_in_place(out, cache, pages, builder.early_pages) if only is not None else None
        if changed is not None:
            others = [release_id for release_id in changed.other_ids() if release_id not in broken]
        if indexing is None:
            if changed is not None:
                pages.update(cached_pages(builder, others))
            indexing = start_index(out, cache, pages, builder.early_pages)
        try:
            remembered = sitememory.recall(root, cache.out_digest(), kept.get("newsroom"),
                                           [f"{lang}/{release_id}" for lang, release_id in only]) \
                if only is not None and cache.root is not None else None
            if remembered is None or not write_remembered(builder, out, listings, remembered, report):
                if changed is not None:
                    # Their files are as the last build left them: so is their listing.
                    for release_id in others:
                        list_release(listings, release_id, {lang: None for lang in config.languages}, builder,
                                     withdrawn=plan.withdrawn)
                    gc.freeze()  # their listings too (see below)
                # `--force` of the whole site makes every newsroom file again (a page damaged by hand);
                # of some releases (-r), their outputs, and the files that show them as their keys say.
                write_site(builder, out, listings, report, only, kept, seen=changed is not None, held=held,
                           force=force and not release_ids, withdrawn=plan.withdrawn)
        except BaseException:
            indexing.discard()
            raise
    builder.writer.close()  # every file in place before stale ones go and the cache names them
    # While Pagefind indexes (from the pages laid out in .pressgen, not from out/): the others'
    # outputs, as the last build reported them; what is gone, removed.
    if changed is not None:
        _report_the_others(report, changed.others(out), changed.ids(), config.languages)
    in_scope = Scope(langs, formats, {r.id for r in selected} if release_ids else None, tuple(config.languages))
    remove_stale(out, cache, report, in_scope, keep=set(expected) | protected, broken=set(broken),
                 live={record.id for record in records} if changed is None else None)
    # A build of everything knows every live record and version: forget the rest.
    full = not release_ids and langs == config.languages
    if full:
        translated = {(lang, r.id) for r in records for lang in config.languages if lang != r.lang}
        for path in stale_snapshots(root, translated, {r.id for r in records}, config.languages):
            path.unlink()
            report.removed.append(path)
        _warn_of_orphans(root, report, {r.id for r in records} | set(broken), builder.former_ids_known(records))
        for warning in unlisted_language_warnings(root, config.languages):
            report.warn_standing(warning)
    # Stamped or not is known at the end; what the stamp says of the inputs is made here, while
    # Pagefind indexes and this process would wait (published/ is as the build leaves it).
    inputs = stamp.draft(root, listed, builder.fingerprints.seen, builder.fingerprints.wrote,
                         {path: builder.fingerprints.settled(path) for path in builder.fingerprints.racy},
                         config.languages, [(record.path, record.id) for record in records],
                         list(cache.outputs), changed.last if changed is not None else None) if stamped else None
    # The outputs a build with nothing to do finds up to date, the releases' own: listed here too.
    release_outputs = (list(expected) if changed is None else [*expected, *(
        rel for rel in changed.last["report"]["outputs"] if stamp.release_of(rel) not in changed.release_ids)]) \
        if stamped else []
    if "html" in formats:
        try:
            if indexing.finish():
                # Pagefind's new shards, as durable as the pages before the cache and stamp name them.
                sync_filesystems({str(out)})
        except PressgenError as exc:
            report.error(exc)
        finally:
            if builder.early_pages is not None:
                builder.early_pages.clear()  # what no shard took: not listed, or a shard up to date

    if not report.ok:
        # Online still, as the last good build made them: counted, so that the summary does not
        # read as if the failing releases had gone.
        of_broken = {f"{lang}/{release_id}.{SUFFIX[fmt]}" for release_id in broken for lang in langs for fmt in formats}
        # A release's own: not a newsroom page of the same name (a record named index.yaml, refused).
        report.kept = [out / rel for rel in sorted(protected | of_broken)
                       if rel in cache.outputs and cache.outputs[rel].get("key") != "site"]
    # A failed build forgets nothing: the outputs it keeps as the last good build made them were
    # made from states (and feed texts) its own keys no longer name (a template error's build
    # dropped them, and the next failed build wrote the feeds without the release's text).
    cache.save(keep=(builder.used_records, builder.used_versions) if full and report.ok else None)
    report.warnings.extend(cache.later_warnings)
    if builder.verdicts is not None:
        builder.verdicts.save(whole=False)
    # Saved: what is left to do (the stamp) needs none of it, nor of the listings.
    cache.let_go()
    listings.clear()
    # A feed text lost (its feeds lack it now): no stamp, so that the next build looks at every
    # release and works out again the versions whose text it was (cache.FeedTexts).
    if inputs is not None and report.ok and not builder.fingerprints.unreadable and not cache.feed_texts.incomplete:
        stamp.write(root, out, stamped, inputs, index_files(cache), report, release_outputs,
                    kept, cache.listing_parts() if "html" in formats else [])
    return report


def _embargoed_again(root: Path, records: list[Record], report: BuildReport, cache: BuildCache,
                     languages: tuple[str, ...]) -> list[str]:
    """A warning for each of ``records`` that the last newsroom listed and an embargo in the
    future now takes out of it: a moved embargo cannot take back what went out."""
    warnings = []
    for record in records:
        until = report.embargoes.get(record.id)
        if until is not None and (any(cache.listing(f"{lang}/{record.id}.html") is not None for lang in languages)
                                  or _went_out_public(root, record.config, record)):
            line = key_line(record.path, "embargo")
            warnings.append(
                f"{relative_name(root, record.path)}{f':{line}' if line else ''}: the release was public already, and "
                f"its embargo takes it out of the newsroom, the feeds and the sitemap until "
                f"{until.isoformat(' ', 'minutes')}; whoever read it or received it has it (to take it offline for "
                "good, withdraw it)")
    return warnings


def _went_out_public(root: Path, config: Config, record: Record) -> bool:
    """Whether a translation of the release was published with no embargo holding it then, as
    its published/ record says: what a fresh clone knows (its out/ and cache are empty) of a
    release that went out (a trial's check was silent on an embargo added to one)."""
    for lang in config.languages:
        if lang == record.lang:
            continue
        try:
            snapshot = read_snapshot(snapshot_path(root, lang, record.id))
        except PressgenError:
            continue  # named where it is read to be served
        if snapshot is None:
            continue
        try:
            until = snapshot.source(config, record.path).embargo  # the record as it went out
        except PressgenError:
            continue
        if until is None or until <= snapshot.published:
            return True
    return False


def _report_the_others(report: BuildReport, others: BuildReport, ids: list[str], languages: tuple[str, ...]) -> None:
    """Add what the last build reported of the releases this one did not build, in the
    order a build of everything gives (records, then languages)."""
    # By name, not by Path: this build's outputs are a few, the others' thousands (OutputPaths).
    last = others.unchanged
    assert isinstance(last, OutputPaths)
    under = f"{last.out}/"
    done = {str(path).removeprefix(under) for path in (*report.written, *report.unchanged)}
    report.unchanged = OutputPaths(last.out, [name for name in last.names if name not in done], report.unchanged)
    order = {release_id: number for number, release_id in enumerate(ids)}
    place = {lang: number for number, lang in enumerate(languages)}

    def by_release(item: tuple) -> tuple[int, int]:
        return order.get(item[0], len(order)), place.get(item[1], len(place))

    report.not_ready = sorted(report.not_ready + others.not_ready, key=by_release)
    report.outdated = sorted(report.outdated + others.outdated, key=by_release)
    # Files behind their page, in the order a build of everything names them (a twin's note).
    report.behind = sorted(report.behind + others.behind,
                           key=lambda rel: (order.get(stamp.release_of(rel), len(order)),
                                            place.get(rel.partition("/")[0], len(place))))
    for release_id, until in others.embargoes.items():
        report.embargoed(until, release_id)
    for warning in others.standing:
        report.warn_standing(warning, others.standing_releases.get(warning))


def hold_back(builder: Builder, records: list[Record], lang: str, out: Path, error: PressgenError) -> str:
    """What build, check and status say of a language held back by ``error`` (reported by the
    caller): its messages.po, or its published labels' record, cannot be read. Every other file
    of it that cannot be read, and what waits (held_back), naming the file that holds it back."""
    _name_unreadable_catalogs(builder, records, lang)
    return held_back(builder.root, out, records, lang,
                     Path(error.path) if error.path is not None else messages_memory_path(builder.root, lang))


def _name_unreadable_catalogs(builder: Builder, records: list[Record], lang: str) -> None:
    """The release catalogs of a language held back, unread (its messages.po cannot be read),
    named as a build that reads them would: a trial's merge left messages.po and a release
    catalog conflicted, and each run named one of them."""
    for record in records:
        if record.lang != lang:
            try:
                builder.catalogs.release(lang, record.id)
            except PressgenError as problem:
                builder.report.error(problem)
    try:  # and the record of its published labels, which a merge may have left conflicted too (a trial)
        read_messages_memory(messages_memory_path(builder.root, lang), lang)
    except PressgenError as problem:
        builder.report.error(problem)


def held_back(root: Path, out: Path, records: list[Record], lang: str, unread: Path) -> str:
    """What a build holds back in a language whose messages.po (or published labels' record,
    ``unread``) cannot be read: all of it, the releases written in it too, which a trial's new
    Turkish release showed nowhere while the error named a translator's file only."""
    own = sorted((record.id for record in records if record.lang == lang),
                 key=lambda release_id: (out / lang / f"{release_id}.html").is_file())  # those not online first
    named = [f"{lang}/{release_id}" + ("" if (out / lang / f"{release_id}.html").is_file() else " (not online yet)")
             for release_id in own[:5]]
    written = (f"; {len(own)} release(s) written in {lang} wait with them: {', '.join(named)}"
               + (f" and {len(own) - 5} more" if len(own) > 5 else "")) if own else ""
    return (f"held back: every page, newsroom page and feed in {lang} stays as the last build made it while "
            f"{relative_name(root, unread if unread.is_absolute() else root / unread)} cannot be read (see the "
            f"error){written}")


def _warn_of_orphans(root: Path, report: BuildReport, ids: set[str], former: dict[str, str]) -> None:
    """Published versions whose record is gone (none of ``ids``): said until the office acts."""
    for warning in orphan_warnings(root, ids, former):
        report.warn_standing(warning)


def check(root: Path | str = ".") -> BuildReport:
    """`pressgen check`: read, translate and render every version in memory; write nothing (a
    version the last build worked out from the same inputs is taken as it was: reuse_last_build)."""
    root = _project_root(root)
    config = load_config(root)
    report = BuildReport()
    builder = Builder(root, config, BuildCache.in_memory(), report)
    builder.reuse_last_build()
    builder.reads_out = True
    records, broken = builder.records()
    for problems in broken.values():
        for problem in problems:
            report.error(problem)
    for error in builder.renamed_problems(records, set(broken)):  # a damaged one stops the build
        report.error(error)
    builder.learn_published_chains(records)
    builder.learn_renames(records)
    report.warnings.extend(builder.former_ids_hints(records))
    unmerged, conflicted = unmerged_problems(root)
    report.warnings.extend(unmerged)
    for error in conflicted:
        report.error(error)
    # Before a commit, as the build after it would (a trial's deleted record went unsaid).
    _warn_of_orphans(root, report, {r.id for r in records} | set(broken), builder.former_ids_known(records))
    report.warnings.extend(unlisted_language_warnings(root, config.languages, root / "out"))
    reviewed = review_catalogs(root, config, builder.catalogs, {record.id: record.lang for record in records},
                               builder.fingerprints.file, builder.verdicts)
    for error in reviewed.problems:
        report.error(error)
    report.waived = reviewed.waived_note()  # from this one reading (reading every catalog again was a third of check)
    for lang in config.languages:
        try:
            builder.keep_published_messages(lang)  # read as a build reads it: a damaged one is named
        except PressgenError as exc:
            report.error(exc)
            report.warnings.append(hold_back(builder, records, lang, root / "out", exc))
        else:
            report.warnings.extend(builder.stray_office_texts(lang))
    theme_problems = builder.theme_problems(root / "out")
    for error in theme_problems:
        report.error(error)
    if config.mail:  # whatever would stop `pressgen mail`, a missing list included
        from .media import load_media_list, misspelt_lists

        media_list = root / config.mail.media_list
        try:
            recipients = load_media_list(media_list, config)
        except PressgenError as exc:
            for error in exc.errors if isinstance(exc, PressgenErrors) else [exc]:
                report.error(error)
        else:
            report.warnings.extend(slip.warning(media_list, root) for slip in misspelt_lists(recipients))
    listings: dict = {}
    for record in records:
        states: dict = {}
        served: dict = {}
        for lang in config.languages:
            # A broken theme fails every render: it is named once, above, not per version.
            state = states[lang] = builder.readiness(record, lang, report=not theme_problems)
            if state and state["ready"] and lang != record.lang:
                # As the build reads it, to publish it again or keep it (a trial's went unsaid).
                damage = builder.review_published(record, lang)
                if damage is not None:
                    report.error(damage)
            elif state is None and lang != record.lang:
                # Its catalog cannot be read: the build serves what went out, and names that file's
                # damage too (a trial's merge left both conflicted, and check named one of them).
                builder.outdated(record, lang)
            if state and not state["ready"]:
                gaps = [Gap.from_state(g) for g in state["gaps"]]
                for gap in gaps:
                    if gap.kind == "mistake":
                        report.error(gap.as_error())
                work = [g for g in gaps if g.kind != "mistake"]
                if record.release.withdrawn:
                    if lang != record.lang:
                        try:  # its withdrawn page is rendered from it (a trial's damaged one went unsaid)
                            read_snapshot(snapshot_path(root, lang, record.id))
                        except PressgenError as exc:
                            report.error(exc)
                    continue  # no version of it is published again: nothing is waiting (as a build says)
                # As a build serves it: the release's own language, behind on labels only, is published.
                published = served[lang] = (builder.outdated(record, lang) if lang != record.lang
                                            else labels_behind(record, state))
                if published is not None and work:
                    report.outdated.append((record.id, lang, work, published))
                elif work:  # a version with mistakes only has them reported as errors above
                    report.not_ready.append((record.id, lang, work))
        list_release(listings, record.id, states, builder, served)
    # Before the commit, as the build after it says it (a trial's went unsaid until then).
    report.warnings.extend(_embargoed_again(root, records, report, builder.last_build(), config.languages))
    if not theme_problems:
        try:
            check_site(builder, listings, report)
        except PressgenError as exc:
            # A language's messages.po that cannot be read (named above): check goes on with the
            # rest, as a build does; a trial's check stopped here and named that file alone.
            report.error(exc)
    report.warnings.extend(office_placeholder_warnings(config))
    online = frozenset(rel.split("/", 1)[1].rsplit(".", 1)[0] for rel in builder.last_build().outputs
                       if rel.endswith(".html") and rel.count("/") == 1)
    facts = [_record_facts(builder, record) for record in records]
    report.warnings.extend(same_headlines([headline for headline, _, _ in facts], root, online))
    today = dt.date.today()
    for record, (headline, warnings, dated) in zip(records, facts):
        report.warnings.extend([*warnings, *far_date_warnings(headline.path, headline.date, root, today),
                                *future_date_warnings(headline.path, dated, root, config.timezone)])
        for lang in config.languages:
            catalog, snapshot = release_catalog_path(root, lang, record.id), snapshot_path(root, lang, record.id)
            if lang == record.lang or catalog.exists():
                continue
            formers = (*record.former_ids, *builder.former_chains.get(record.id, ()))
            former = next((release_catalog_path(root, lang, old) for old in reversed(formers)
                           if release_catalog_path(root, lang, old).is_file()), None)
            if former is not None:
                # Renamed: its catalog is still at the old id, never in git under the new one (a trial);
                # also before the build that moves its published versions (another trial's was "no catalog yet").
                report.warnings.append(
                    f"{relative_name(root, catalog)} is not made yet for the renamed release: run `pressgen "
                    f"catalogs update`, which starts it from {relative_name(root, former)}")
            elif snapshot.exists():
                report.warnings.append(
                    f"{relative_name(root, catalog)} is missing, while the {lang} version is published "
                    f"({relative_name(root, snapshot)}): restore it from git, or run `pressgen catalogs update`, "
                    "which makes it again from the translation as published")
    if builder.verdicts is not None:
        builder.verdicts.save()
    return report


def _record_facts(builder: Builder, record: Record) -> tuple[Headline, list[str], list]:
    """What check says of a record beside its versions: its headline, for the same-headline
    warning, the warnings that do not follow today's date, and the days of its withdrawal and
    corrections, which are warned of while they are ahead (later_dates). Kept as verdicts
    (verdicts.py) under the record and pressgen.yaml they come from: at 10,000 releases, reading
    every record again for them was a third of a check."""
    root, config = builder.root, builder.config
    key = combine(record.key, builder.fingerprints.file(config.path) if config.path else "-", *config.languages)
    kept = builder.verdicts.get("record", key) if builder.verdicts is not None else None
    if kept is not None and len(kept) == 6:  # five: kept by pressgen 0.22, without the days
        warnings, lang, text, line, date, dated = kept
        return Headline(record.id, lang, text, line, dt.date.fromisoformat(date), record.path), warnings, dated
    release = record.release
    headline, warnings = Headline.of(release), timeless_record_warnings(release, root, config.languages)
    dated = [list(day) for day in later_dates(release)]
    if builder.verdicts is not None:
        builder.verdicts.keep("record", key, [warnings, headline.lang, headline.text, headline.line,
                                              headline.date.isoformat(), dated])
    return headline, warnings, dated


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
            raise UsageError(no_such_release(release_id, set(by_id) | broken,
                                             {old: r.id for r in records for old in r.former_ids}))
    return [by_id[i] for i in requested if i in by_id]

