"""What a build has to do: each selected release's versions judged (ready, outdated,
not ready, failing), their pages and ninjs items written at once, the jobs left
(PDFs, and pages not rendered yet), and each language's public listing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .cache import combine
from .catalogs import release_catalog_path
from .errors import PressgenError
from .outputs import SUFFIX, Job, Record, is_public_listing
from .site import Entry
from .translate import Gap
from .versions import Builder


def list_release(listings: dict[str, list[Entry]], release_id: str, states: dict[str, dict | None], builder: Builder,
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


def list_the_others(builder: Builder, records: list[Record], selected: list[Record],
                     listings: dict[str, list[Entry]]) -> None:
    """After a build of some releases, list the others as their cached states say."""
    chosen = {record.id for record in selected}
    for record in records:
        if record.id not in chosen:
            states, served = _versions(builder, record, ())
            list_release(listings, record.id, states, builder, served)


def _has_mistakes(state: dict) -> bool:
    return any(Gap.from_state(g).kind == "mistake" for g in state["gaps"])


def plan_releases(builder: Builder, selected: list[Record], langs: tuple[str, ...], formats: tuple[str, ...], out: Path,
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
        list_release(listings, record.id, states, builder, served)
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
