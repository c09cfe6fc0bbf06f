"""The newsroom's files written into out/: from a whole plan of every listing page, feed,
root page and sitemap (site.plan_site), or, after an edit whose releases stay where they were
listed, from what the last whole plan remembered of the files that show them (sitememory).
Each file is made only when its key changed; the cache learns what each page was listed as.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import jinja2

from . import sitememory
from .outputs import BuildReport
from .plan import cached_listings
from .projectfiles import PUBLISHED_DIR
from .site import Entry, plan_remembered, plan_site
from .versions import Builder, in_template, template_error


ROOT_PAGE = "index.html"
"""out/index.html: the languages and their feeds."""


def write_site(builder: Builder, out: Path, listings: dict[str, list[Entry]], report: BuildReport,
                only: set[tuple[str, str]] | None = None, kept: dict | None = None, seen: bool = False,
                held: frozenset[str] = frozenset(), force: bool = False,
                withdrawn: dict[str, list[Entry]] | None = None) -> None:
    """Indexes, feeds, root page and sitemap of every language (a build of some languages
    knows the listings of all), each made only when what shapes it changed; the site
    files of languages no longer published are removed.

    ``only``: the entries of a build on the stamp's path (only their releases' own files
    changed since the last build, which ended well and whose files the stamp saw in place)
    when they are listed where they were (site.in_place): only the files that show them are
    planned. ``kept``: what the plan leaves for the next build (plan_site), and the token of
    the whole plan remembered for it (sitememory). ``seen``: the stamp saw every file in place.
    ``held``: languages this build holds back (their published/<lang>.messages.yaml cannot be
    read): their newsroom's files stay as they are, not made nor removed. ``force``: every file
    made again, up to date or not (`build --force`: a trial's cut-short index stayed so).
    ``withdrawn``: the withdrawn versions online whose former ids keep their pointers (Plan.withdrawn)."""
    cache, languages = builder.cache, builder.config.languages
    remember: dict | None = {} if only is None and cache.root is not None and not held else None
    plan = plan_site(builder.config, builder.renderer, listings, builder.fingerprints.rendering, cache.feed_texts.get,
                     only, kept, remember, partial(published_in, builder.root, cache.outputs), withdrawn)
    if held:
        # Its files stay as they are, and so does the root page, which names each language's feed
        # in that language (it stopped a trial's build, its messages.po unreadable).
        plan = {rel: made for rel, made in plan.items() if rel.partition("/")[0] not in held and rel != ROOT_PAGE}
    if not _make_files(builder, out, plan, report, seen, force):
        return
    if remember is not None and kept is not None:
        kept["newsroom"] = sitememory.remember(cache.root, cache.out_digest(), remember)
    # What each listed page was listed as, for when its release fails in a later build.
    before = {rel: meta for rel, meta in cache.listed.items() if rel.partition("/")[0] in held} if held else {}
    # The withdrawn too, so that a build of other releases (-r) keeps their pointers.
    cache.listed = {**before, **{rel: entry.meta for lang in languages if lang not in held
                                 for entry in (*listings.get(lang, []), *(withdrawn or {}).get(lang, []))
                                 if (rel := f"{lang}/{entry.id}.html") in cache.outputs}}
    if only is not None:
        return  # the same files as the last build made: none to remove
    gone_keys: dict[str, None] = {}
    for rel in [r for r, entry in cache.outputs.items() if entry.get("key") == "site" and r not in plan
                and r.partition("/")[0] not in held and not (held and r == ROOT_PAGE)]:
        parts = rel.split("/")
        if len(parts) == 4 and parts[1] == "org" and parts[3] == "index.html" \
                and builder.config.organisation_key(parts[2]) is None:
            gone_keys[parts[2]] = None
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
    for key in gone_keys:
        # A former key's listing and feed, which readers may have (a trial's went with a hint followed).
        report.warnings.append(f"out/*/org/{key}/: the listing and feed of '{key}', a key pressgen.yaml no longer "
                               "names (nor among any former_keys), were removed: links and feed readers that have "
                               f"them find nothing now; name '{key}' in its organisation's former_keys to make them again")


def write_remembered(builder: Builder, out: Path, listings: dict[str, list[Entry]], files: dict[str, tuple],
                     report: BuildReport) -> bool:
    """write_site for an edit whose releases stay where they were listed, from the files the
    last whole plan remembered as showing them (sitememory): the other releases' entries are
    made only for those files, from what each was listed as (cache.listing: their parts alone).
    False, with nothing made, when one of them was not listed: the caller plans from the archive."""
    cache, config = builder.cache, builder.config
    fresh = {(entry.lang, entry.id): entry for listed in listings.values() for entry in listed}
    made: dict[tuple[str, str], Entry] = {}

    def entry_of(code: str, release_id: str) -> Entry:
        entry = fresh.get((code, release_id)) or made.get((code, release_id))
        if entry is None:
            # As list_release lists it: in the languages where its listing is public.
            public = cached_listings(builder, release_id)
            if code not in public:
                raise LookupError(f"{code}/{release_id}.html")
            entry = made[code, release_id] = Entry.from_listing(release_id, code, public[code], tuple(public))
        return entry

    try:
        plan = plan_remembered(config, builder.renderer, files, entry_of, builder.fingerprints.rendering,
                               cache.feed_texts.get)
    except LookupError:
        return False  # a release shown there was not listed: plan from the archive
    if _make_files(builder, out, plan, report, True):
        # As _write_site lists them: each page still there, as listed now.
        cache.relist({rel: entry.meta if rel in cache.outputs else None
                      for (lang, release_id), entry in fresh.items() if (rel := f"{lang}/{release_id}.html")})
    return True


def published_in(root: Path, outputs: dict, lang: str) -> bool:
    """Whether a version went out in ``lang``: a release page of it in out/ (``outputs``: the
    build cache's), or its record in published/ (a fresh clone's out/ has none yet)."""
    prefix = f"{lang}/"
    return any(rel.startswith(prefix) and rel.endswith(".html") and rel.count("/") == 1
               and entry.get("key") != "site" for rel, entry in outputs.items()) \
        or any((root / PUBLISHED_DIR / lang).glob("*.yaml"))


def check_site(builder: Builder, listings: dict[str, list[Entry]], report: BuildReport) -> None:
    """`pressgen check`: the newsroom's files made in memory as a build makes them, so that an
    error in index.html, an entry card or the root page is found before a build finds it.
    Not a listing's later pages: the same templates, and the same cards, as its first. Nor a
    file the last build made from what it would be made of now (its key): made again, it would
    be the same (at 10,000 releases, the 2,000 listings' first pages were half of check)."""
    last = builder.last_build().outputs
    plan = plan_site(builder.config, builder.renderer, listings, builder.fingerprints.rendering, lambda digest: {},
                     published_in=partial(published_in, builder.root, last))
    for rel, (key, make) in plan.items():
        made = last.get(rel, {})
        if made.get("key") == "site" and made.get("inputs") == key:
            continue
        if "/page/" not in rel and _made(make, report) is None:
            return


def _made(make, report: BuildReport) -> bytes | None:
    """``make()``, or None with its template's error reported (any other error is raised)."""
    try:
        return make()
    except Exception as exc:
        if not isinstance(exc, (jinja2.TemplateError, RecursionError)) and not in_template(exc):
            raise
        report.error(template_error(exc, None, ""))
        return None


def _make_files(builder: Builder, out: Path, plan: dict, report: BuildReport, seen: bool, force: bool = False) -> bool:
    """Make each planned file whose key changed (each one, with ``force``); False when a
    template failed (reported). ``seen``: the stamp saw every file in place (else each is looked for)."""
    cache = builder.cache
    for rel, (key, make) in plan.items():
        entry = cache.outputs.get(rel, {})
        # A string, not a Path: a large archive has tens of thousands of listing pages.
        if not force and entry.get("key") == "site" and entry.get("inputs") == key \
                and (seen or os.path.isfile(f"{out}/{rel}")):
            continue
        misses = cache.feed_texts.misses
        data = _made(make, report)
        if data is None:
            return False
        builder.writer.write_if_changed(out / rel, data)
        if cache.feed_texts.misses > misses:
            cache.outputs.pop(rel, None)  # made without a text lost from the cache: made again next time
        else:
            cache.outputs[rel] = {"key": "site", "inputs": key, "size": len(data)}
    return True
