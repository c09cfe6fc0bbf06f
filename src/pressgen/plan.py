"""What a build has to do: each selected release's versions judged (ready, outdated,
not ready, failing), their pages and ninjs items written at once, the jobs left
(PDFs, and pages not rendered yet), and each language's public listing."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import pickle
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import collector
from .cache import combine
from .catalogs import release_catalog_path
from .errors import PressgenError
from .fsutil import Writer
from .gaps import labels_only
from .lifeline import die_with_parent, fork_holding_ctrl_c, take_ctrl_c
from .outputs import FORMATS, SUFFIX, BuildReport, Job, Record, is_public_listing, sweep_temporaries
from .projectfiles import PUBLISHED_DIR
from .scaffold import record_warnings
from .site import Entry
from .translate import Gap
from .versions import Builder


PARALLEL_FROM = 32
"""Releases from which a build plans half of them in a second process: below, forking
costs more than it saves."""


@dataclass
class Plan:
    todo: list[Job] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)
    """The key of every output that should exist."""
    protected: set[str] = field(default_factory=set)
    """Outputs to leave as they are (their version failed)."""
    listings: dict[str, list[Entry]] = field(default_factory=dict)
    """The public listing of each language, in the order of the records."""
    withdrawn: dict[str, list[Entry]] = field(default_factory=dict)
    """Of each language, the withdrawn versions online that went out under former ids: listed
    nowhere, but their pointers stay (site.py), where links in old emails lead."""

    def extend(self, other: "Plan") -> None:
        """Add the plan of the records after this plan's."""
        self.todo += other.todo
        self.expected.update(other.expected)
        self.protected |= other.protected
        for mine, theirs in ((self.listings, other.listings), (self.withdrawn, other.withdrawn)):
            for lang, entries in theirs.items():
                mine.setdefault(lang, []).extend(entries)


def list_release(listings: dict[str, list[Entry]], release_id: str, states: dict[str, dict | None], builder: Builder,
                 served: dict[str, dict | None] | None = None, rendered: tuple[str, ...] | None = None,
                 withdrawn: dict[str, list[Entry]] | None = None) -> None:
    """Add a release's public versions to the newsroom listings of their languages. An
    outdated version is listed as it was published; one that failed (None) or has a
    translator's mistake, with no published version, as the last newsroom had it; and so is
    one of a language this build does not render (not in ``rendered``: `build -l tr`, or a
    language held back by its published/<lang>.messages.yaml): its page is as it was, or none.
    A withdrawal or an embargo is the record's, in every language at once. A withdrawn version
    renamed before (its former ids) goes to ``withdrawn``: its page stays, and so do its pointers."""
    metas: dict[str, dict] = {}
    for lang, state in states.items():
        published = (served or {}).get(lang)
        if rendered is not None and lang not in rendered:
            last = builder.cache.listing(f"{lang}/{release_id}.html")
            now = published["meta"] if published is not None else (state or {}).get("meta")
            if last:
                metas[lang] = {**last, "withdrawn": now["withdrawn"], "embargo": now["embargo"]} if now else last
        elif published is not None:
            metas[lang] = published["meta"]
        elif state is None or _has_mistakes(state) or (release_id, lang) in builder.unreadable:
            last = builder.cache.listing(f"{lang}/{release_id}.html")
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
    if withdrawn is not None:
        gone = tuple(lang for lang, meta in metas.items() if meta["withdrawn"] and meta.get("former_ids"))
        for lang in gone:
            withdrawn.setdefault(lang, []).append(Entry.from_listing(release_id, lang, metas[lang], gone))


def cached_listings(builder: Builder, release_id: str) -> dict[str, dict]:
    """A release's public listings as the last newsroom had them (cache.listing), by language
    in the config's order: what list_release lists of a release none of whose versions is
    read anew (states of None)."""
    return {lang: meta for lang in builder.config.languages
            if (meta := builder.cache.listing(f"{lang}/{release_id}.html")) and is_public_listing(meta, builder.now)}


def cached_pages(builder: Builder, release_ids: list[str]) -> dict[str, dt.date]:
    """The pages list_release lists for these releases from the cache (cached_listings), with
    their dates: what the search index needs of them, without making their entries."""
    return {f"{lang}/{release_id}.html": dt.date.fromisoformat(meta["date"])
            for release_id in release_ids for lang, meta in cached_listings(builder, release_id).items()}


def _versions(builder: Builder, record: Record, report_langs: tuple[str, ...],
              keep_pages: bool = False) -> tuple[dict, dict]:
    """Every language's state, and the published version of each one not publishable today."""
    states = {lang: builder.readiness(record, lang, report=lang in report_langs, keep_page=keep_pages)
              for lang in builder.config.languages}
    served = {lang: builder.outdated(record, lang) if lang != record.lang else labels_behind(record, state)
              for lang, state in states.items() if not (state and state["ready"])}
    # The photo a version served as published shows stays in out/images/, also once today's
    # record shows another (a trial's swapped photo left the pages online with a broken image).
    for published in served.values():
        if published and published.get("image"):
            builder.name_photo(published["image"], record.id)
    return states, served


def labels_behind(record: Record, state: dict | None) -> dict | None:
    """The source-language version of a release whose only gaps are labels or office texts
    of messages.po: the office's own text is never held back by a label's translation. It
    is published with the labels' previous translations (English where there is none)."""
    if not labels_only(state):
        return None
    return {"meta": state["meta"], "content": record.key, "published": None, "since": None, "changed": []}


def list_the_others(builder: Builder, records: list[Record], selected: list[Record],
                    listings: dict[str, list[Entry]], withdrawn: dict[str, list[Entry]]) -> None:
    """After a build of some releases, list the others as the last newsroom had them (their
    pages are as it left them, or none: a fresh clone's `build -r ID`, or the build `pressgen
    mail ID` makes), with their withdrawal and embargo as their records say today."""
    chosen = {record.id for record in selected}
    for record in records:
        if record.id not in chosen:
            states, served = _versions(builder, record, ())
            list_release(listings, record.id, states, builder, served, rendered=(), withdrawn=withdrawn)


def _has_mistakes(state: dict) -> bool:
    return any(Gap.from_state(g).kind == "mistake" for g in state["gaps"])


def plan_releases(builder: Builder, selected: list[Record], langs: tuple[str, ...], formats: tuple[str, ...],
                  out: Path, force: bool, drafts: bool, jobs: int | None = None) -> Plan:
    """The jobs to do, the key of every output that should exist, outputs to leave alone,
    and the public listing of each language. A large plan is shared with a child process
    (fork), on the second core (``jobs``: processes to use): the build's process plans the
    releases from the first on, the child from the last back, until they meet (_Claims)."""
    processes = jobs or os.cpu_count() or 1
    # Only releases with a version to translate and render are worth a second process:
    # the others are planned from the cache in a few microseconds each.
    # Counted up to PARALLEL_FROM: each is a hash of its catalogs, which a cold build would
    # otherwise compute for every release here, before the second process starts.
    fresh = (record for record in selected if processes > 1 and any(
        builder.version_key(record, lang) not in builder.cache.versions for lang in builder.config.languages))
    # A fork copies only the thread that calls it: from a process running others (a test
    # runner's, an application's), a lock one of them holds would never be released.
    if sum(1 for _ in itertools.islice(fresh, PARALLEL_FROM)) < PARALLEL_FROM or not hasattr(os, "fork") \
            or threading.active_count() > 1:
        return _plan_part(builder, selected, langs, formats, out, force, drafts)
    _warm(builder)
    builder.cache.feed_texts.close()  # each process writes the feed texts through its own connection
    claims = _Claims(len(selected))
    child = _Child.start(builder, selected, claims, langs, formats, out, force, drafts)
    plan = Plan()
    try:
        while (number := claims.first()) is not None:
            plan.extend(_plan_part(builder, [selected[number]], langs, formats, out, force, drafts))
    except BaseException:
        child.kill()
        raise
    theirs = child.result()
    if theirs is None:
        # The child failed (it never should): what it was writing goes, and what it took is
        # planned here, where any error is raised and reported as in a plan of one process.
        for folder in (out, builder.root / PUBLISHED_DIR, *builder.cache.own_folders()):
            sweep_temporaries(folder, of=child.pid)
        rest = _plan_part(builder, selected[claims.met():], langs, formats, out, force, drafts)
    else:
        rest = theirs.apply(builder, selected)
    plan.extend(rest)
    return plan


class _Claims:
    """Which releases each process of a shared plan takes, decided as they go, one release at
    a time: the build's process from the first, the child from the last, until they meet.
    Halves fixed in advance left one core idle at the end (a cold build of 1,000 releases: the
    child's half took 0.35 s longer, its core busier with the other's threads), as would a half
    of longer releases; a process that goes slower now simply takes fewer. Shared memory and a
    lock made before the fork; the releases from ``met()`` on are the child's."""

    def __init__(self, count: int) -> None:
        import multiprocessing  # only for a plan worth a second process

        context = multiprocessing.get_context("fork")
        self._ends = context.RawArray("q", [0, count])
        """The first release no process took, and the one after the last none took."""
        self._lock = context.Lock()

    def first(self) -> int | None:
        """The first release left, taken (the build's process); None when none is left."""
        with self._lock:
            first, end = self._ends
            if first >= end:
                return None
            self._ends[0] = first + 1
            return first

    def last(self) -> int | None:
        """The last release left, taken (the child); None when none is left."""
        with self._lock:
            first, end = self._ends
            if first >= end:
                return None
            self._ends[1] = end - 1
            return end - 1

    def met(self) -> int:
        """Where they met: the first release the child took (all of them taken)."""
        return self._ends[1]


def _plan_part(builder: Builder, selected: list[Record], langs: tuple[str, ...], formats: tuple[str, ...], out: Path,
               force: bool, drafts: bool) -> Plan:
    config, cache, report = builder.config, builder.cache, builder.report
    expected: dict[str, str] = {}
    protected: set[str] = set()
    todo: list[Job] = []
    listings: dict[str, list[Entry]] = {}
    withdrawn: dict[str, list[Entry]] = {}
    # A draft never takes the place of a published version in the project's own out/;
    # a preview folder (-o preview) shows the draft of an outdated version instead.
    preview = drafts and out != builder.root / "out"
    for record in selected:
        first_job = len(todo)
        states, served = _versions(builder, record, langs, keep_pages=True)
        # Its catalogs are read: what the jobs need is in its translations (memory stays flat).
        for lang in config.languages:
            builder.catalogs.forget(release_catalog_path(builder.root, lang, record.id))
        listed = states
        if preview:
            served = {lang: None for lang in served}
            # Its newsroom lists the drafts it renders ("drafts included", as `serve` shows it):
            # a release waiting for a translator is not missing from the preview.
            listed = {lang: {**state, "ready": True} if lang in langs and state is not None and not state["ready"]
                      and not _has_mistakes(state) and (record.id, lang) not in builder.unreadable else state
                      for lang, state in states.items()}
        list_release(listings, record.id, listed, builder, served, langs, withdrawn)
        # Pages link to the ready and outdated languages (and drafts, when asked for),
        # and to failed ones, or ones this build does not render, whose last good output stays.
        siblings = [lang for lang in config.languages if (lang in langs and (
                        (states[lang] or {}).get("ready")
                        or served.get(lang) is not None
                        or (drafts and states[lang] is not None)))
                    or ((lang not in langs or states[lang] is None or _has_mistakes(states[lang])
                         or (record.id, lang) in builder.unreadable)
                        and f"{lang}/{record.id}.html" in cache.outputs)]
        for lang in langs:
            state, published = states[lang], served.get(lang)
            draft = False
            if state is not None and state["ready"]:
                if lang == record.lang:
                    version = builder.source_key(record)
                else:
                    try:
                        content = builder.publish(record, lang, state)
                    except PressgenError as exc:
                        # Its snapshot is damaged: its last outputs stay until it is restored.
                        report.error(exc)
                        builder.unreadable.add((record.id, lang))
                        protected.update(f"{lang}/{record.id}.{SUFFIX[fmt]}" for fmt in formats)
                        continue
                    version = builder.published_key(lang, content, state["meta"], record.photo, record)
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
                    version = builder.published_key(lang, published["content"], published["meta"],
                                                    builder.photo_fingerprint(published.get("image")), record)
                    public = is_public_listing(published["meta"], builder.now)
                elif state is None or mistakes or (record.id, lang) in builder.unreadable:
                    protected.update(rels)
                    continue
                else:
                    if not record.release.withdrawn:  # never published now: nothing waits (as check says)
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
            if not draft:
                # The formats not asked for: one whose file is no longer what its version makes
                # is behind its page (a trial's PDFs kept an old headline through HTML-only builds).
                for fmt in (fmt for fmt in FORMATS if fmt not in formats):
                    rel = f"{lang}/{record.id}.{SUFFIX[fmt]}"
                    known = cache.outputs.get(rel)
                    if known is not None and known.get("key") != combine(
                            version, ",".join(siblings) if fmt != "ninjs" else "", fmt, "", public):
                        report.behind.append(rel)
        _write_early(builder, record, todo[first_job:], out)
        if any(not job.draft for job in todo[first_job:]):
            # Said when a version is rendered, not on every build: `check` says it each time.
            builder.record_warnings[record.id] = record_warnings(record.release, builder.root, builder.config.languages,
                                                                 builder.config.timezone)
        # What planning a release leaves (its versions' states, listing, jobs) lives as long as
        # the build, and it leaves no cycle to collect: kept out of the collector's full runs,
        # which walked all the releases planned before again and again (0.6 s of CPU in each
        # process of a cold build of 10,000).
        gc.freeze()
    return Plan(todo, expected, protected, listings, withdrawn)


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
        if page is not None:
            builder.lay_out_for_search(job, page)
    for lang in builder.config.languages:
        later = any(job.lang == lang and job.rel not in builder.written_early for job in jobs)
        builder.evict(record.id, lang, translation=not later)


def _warm(builder: Builder) -> None:
    """What every release shares, made once before the fork rather than in both processes."""
    for lang in builder.config.languages:
        builder.fingerprints.language(lang)
        builder.renderer.language(lang)
    # The pages' templates compiled here once: each process compiled them for itself (0.03–0.05 s).
    env = builder.renderer.language(builder.config.languages[0])[0]
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html") and not name.startswith("mail")):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # a mistake in it is reported by the page that uses it, with its line
    builder.drawable()


@dataclass
class _ChildPlan:
    """What a child's half of the plan changed, sent back to the build's process: its plan
    (jobs naming their record by position), report, and what it learnt and wrote."""

    jobs: list[tuple]
    expected: dict[str, str]
    protected: set[str]
    listings: dict[str, list[Entry]]
    withdrawn: dict[str, list[Entry]]
    report: BuildReport
    versions: dict[str, dict]
    fingerprints: dict
    """What it learnt of the inputs (Fingerprints.learnt_since)."""
    serving: set[tuple[str, str]]
    unreadable: set[tuple[str, str]]
    used_versions: set[str]
    written_early: dict[str, int | PressgenError]
    photos: dict[str, set[str]]
    record_warnings: dict[str, list[str]]
    feed_texts: dict[str, dict]
    laid_out: dict[str, tuple[str, int]]
    written: tuple[set[str], list[tuple[str, str]]]
    """Where it wrote, and the snapshots it holds back (Writer.hand_over): the build's writer makes them durable."""
    verdicts: dict[str, object]
    """The published records it proved clean (Verdicts.learnt)."""

    def apply(self, builder: Builder, records: list[Record]) -> Plan:
        """Merge into the build's state, in the order a plan of one process gives."""
        builder.report.add(self.report)
        # One by one: the cache's tables read their part of the disk before a key is set.
        for key, state in self.versions.items():
            builder.cache.versions[key] = state
        builder.fingerprints.learn(self.fingerprints)
        builder.serving |= self.serving
        builder.unreadable |= self.unreadable
        builder.used_versions |= self.used_versions
        builder.written_early.update(self.written_early)
        for image, release_ids in self.photos.items():
            builder.photos.setdefault(image, set()).update(release_ids)
        builder.record_warnings.update(self.record_warnings)
        builder.cache.feed_texts.pending.update(self.feed_texts)
        builder.writer.take_over(self.written)
        if builder.early_pages is not None:
            builder.early_pages.made.update(self.laid_out)
        if builder.verdicts is not None:
            builder.verdicts.learn(self.verdicts)
        todo = [Job(records[index], *rest) for index, *rest in self.jobs]
        return Plan(todo, self.expected, self.protected, self.listings, self.withdrawn)


class _Child:
    """The second half of a plan, made in a forked copy of the build's process."""

    def __init__(self, pid: int, reader: int):
        self.pid = pid
        self.reader: int | None = reader
        """The pipe's end the child's plan comes through, until it is read."""

    @classmethod
    def start(cls, builder: Builder, records: list[Record], claims: _Claims, *options) -> "_Child":
        parent = os.getpid()
        reader, writer = os.pipe()
        pid = fork_holding_ctrl_c()
        if pid:
            os.close(writer)
            return cls(pid, reader)
        # The child: plan, send what changed, and leave without running the parent's
        # cleanup (exit handlers, the build lock's release, open files' buffers).
        os.close(reader)
        try:
            die_with_parent(parent)  # a killed build leaves no child writing pages, holding its lock
            take_ctrl_c()
            data = pickle.dumps(_plan_in_child(builder, records, claims, *options), pickle.HIGHEST_PROTOCOL)
        except BaseException:
            data = b""
        try:
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)

    def result(self) -> _ChildPlan | None:
        """What the child planned, or None if it failed."""
        reader, self.reader = self.reader, None
        try:
            with os.fdopen(reader, "rb") as pipe:
                data = pipe.read()
        except BaseException:  # Ctrl-C while waiting
            self.kill()
            raise
        _, status = os.waitpid(self.pid, 0)
        if status or not data:
            return None
        # With the cycle collector paused (cache._loads), then kept from walking it (the plan
        # lives as long as the build): a large archive's half is a million small objects, and
        # each collection walked the whole heap again (0.5 s of a cold build of 10,000).
        with collector.paused(freeze=True):
            try:
                return pickle.loads(data)
            except Exception:
                return None

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        if self.reader is not None:
            os.close(self.reader)


def _plan_in_child(builder: Builder, records: list[Record], claims: _Claims, *options) -> _ChildPlan:
    cache = builder.cache
    mark, used = builder.fingerprints.mark(), set(builder.used_versions)
    builder.writer = Writer()  # what the parent wrote is the parent's to make durable
    builder.serving, builder.unreadable, builder.written_early, builder.record_warnings = set(), set(), {}, {}
    cache.feed_texts.after_fork()
    if builder.early_pages is not None:
        builder.early_pages.made = {}
    # Taken from the last back, each with a report of its own: put in the records' order after.
    parts = []
    while (number := claims.last()) is not None:
        builder.report = BuildReport()
        parts.append((_plan_part(builder, [records[number]], *options), builder.report))
    cache.feed_texts.close()  # written, but for a cache kept in memory: those go back with the plan
    plan, report = Plan(), BuildReport()
    for part, found in reversed(parts):
        plan.extend(part)
        report.add(found)
    place = {id(record): number for number, record in enumerate(records)}
    return _ChildPlan(
        jobs=[(place[id(job.record)], job.lang, job.fmt, job.rel, job.key, job.siblings, job.draft) for job in plan.todo],
        expected=plan.expected, protected=plan.protected, listings=plan.listings, withdrawn=plan.withdrawn, report=report,
        versions={key: cache.versions[key] for key in builder.used_versions - used if key in cache.versions},
        fingerprints=builder.fingerprints.learnt_since(mark), serving=builder.serving, unreadable=builder.unreadable, used_versions=builder.used_versions - used,
        written_early=builder.written_early, photos=builder.photos, record_warnings=builder.record_warnings, feed_texts=cache.feed_texts.pending,
        laid_out=builder.early_pages.made if builder.early_pages is not None else {},
        written=builder.writer.hand_over(), verdicts=builder.verdicts.learnt() if builder.verdicts is not None else {})
