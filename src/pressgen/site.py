"""Per-language newsroom index, Atom feed, root page and sitemap.

Only public versions are listed: ready to publish (not drafts), and either
never embargoed or past their embargo, compared in the embargo's own
timezone. Listings are made from what the build cache keeps of each version
(build.listing), so an unchanged archive lists itself without parsing.

    out/index.html          choose a language
    out/<lang>/index.html   newest first, with dates and standfirsts
    out/<lang>/tags/…       a page per tag as it reads in that language (listings.py, tags.py)
    out/<lang>/feed.xml     Atom 1.0 (needs base_url: feed ids are absolute)
    out/sitemap.xml         with hreflang alternates (needs base_url)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from html import escape
from dataclasses import dataclass, field
from operator import attrgetter
from collections.abc import Mapping
from typing import Callable

from markupsafe import Markup

from . import lang as L
from .cache import combine
from .errors import PressgenError
from .listings import Listing, month_start, plan_listings, tag_listings
from .model import Config, Organisation, Quote, Text
from .render import Renderer, Urls, paragraph_html, quote_text
from .tags import collated, group_tags, tag_alternates

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Entry:
    """One public version in a listing."""

    id: str
    lang: str
    headline: str
    summary: str | None
    date: dt.date
    published: dt.datetime
    """The embargo's lift, or else the release's date at 12:00 UTC (see ``published_moment``)."""
    organisation: str
    languages: tuple[str, ...]
    """Every public language of the release, for hreflang."""
    meta: dict = field(default_factory=dict, compare=False, repr=False)
    """The listing it was made from (build.listing), kept with the page it lists."""

    @classmethod
    def from_listing(cls, release_id: str, lang: str, meta: dict, languages: tuple[str, ...]) -> "Entry":
        date = dt.date.fromisoformat(meta["date"])
        published = dt.datetime.fromisoformat(meta["embargo"]) if meta["embargo"] else published_moment(date)
        return cls(release_id, lang, meta["headline"], meta["summary"], date, published, meta["organisation"], languages,
                   meta)


    @property
    def updated(self) -> dt.datetime:
        """The last correction's day (at 12:00 UTC, as a date is), else when it was published."""
        modified = self.meta.get("modified")
        return max(self.published, published_moment(dt.date.fromisoformat(modified))) if modified else self.published


def published_moment(date: dt.date) -> dt.datetime:
    """The moment a feed gives a release that has a date and no time (no embargo).

    Atom needs a time of day, and feed readers show it in their reader's timezone. Noon
    UTC falls on the release's own date everywhere from UTC-11 to UTC+11, so a release
    of April 8 reads as April 8 in Baku, Almaty and New York alike; midnight UTC would
    make it April 7 west of Greenwich. (An embargoed release has its embargo's moment.)

    >>> published_moment(dt.date(2011, 4, 8)).isoformat()
    '2011-04-08T12:00:00+00:00'
    """
    return dt.datetime.combine(date, dt.time(12), dt.timezone.utc)


def newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.published, e.date, e.id), reverse=True)


def entry_key(entry: Entry) -> str:
    """What a listing shows of an entry: its listing's digest (outputs.listing), and where it links."""
    return f"{entry.lang}/{entry.id}:{entry.meta.get('digest') or json.dumps(entry.meta, sort_keys=True)}:" \
           f"{','.join(entry.languages)}"


class ListingParts:
    """What one language's listing pages share, each part rendered once rather than on every
    page: each entry's card (partials/entry.html), for all depths at once when the card only
    prints ``up`` (only_printed), else for the pages at one depth, and the search box
    (partials/search.html) for all pages at one depth. A release is on five or more pages
    (newsroom, organisation, month, tags), and its card was most of each page's time; the
    search box another tenth.

    Cards are kept by the entry's identity within one build, never by its content (two
    releases may read the same). plan_site has the pages made newest first, so a release's
    pages come close together: the last KEPT cards are enough, and an archive's cards are
    never all in memory at once."""

    KEPT = 1000
    """Cards kept for their next page (a few MB). The pages of a rare tag come later than
    that: their cards are rendered again, as every card was before."""

    UP = "\ue000up\ue000"
    """Printed for ``up`` in a card made for every depth at once (a character of Unicode's
    private use, which escaping leaves as it is and no release text holds)."""

    def __init__(self, renderer: Renderer, code: str, organisations: dict):
        self.env = renderer.language(code)[0]
        self.code = code
        self.organisations = organisations
        self.cards: dict[tuple[int, str], Markup] = {}
        self.boxes: dict[str, Markup] = {}
        # A release is listed at up to four folder depths (the newsroom's first page, its other
        # pages, months and tags' pages, organisations' pages): a card whose template only
        # prints ``up`` is made once for all of them.
        self.any_depth = only_printed(self.env, "partials/entry.html", "up")

    def card(self, entry: Entry, up: str) -> Markup:
        """The card of ``entry`` on a page ``up`` from out/<lang>/ (its links start with it)."""
        if self.any_depth:
            card = self.cards.get((id(entry), self.UP))
            if card is None:
                card = self._make(entry, self.UP)
            return Markup(str.replace(card, self.UP, up))
        return self.cards.get((id(entry), up)) or self._make(entry, up)

    def _make(self, entry: Entry, up: str) -> Markup:
        card = self.cards[id(entry), up] = Markup(self.env.get_template("partials/entry.html").render(
            entry=entry, up=up, lang=self.code, organisations=self.organisations))
        if len(self.cards) > self.KEPT:
            del self.cards[next(iter(self.cards))]  # the oldest
        return card

    def search_box(self, up: str) -> Markup:
        """The search box of a page ``up`` from out/<lang>/ (its scripts are at ``up``../pagefind/)."""
        if up not in self.boxes:
            self.boxes[up] = Markup(self.env.get_template("partials/search.html").render(
                lang=self.code, root=f"{up}../"))
        return self.boxes[up]


def only_printed(env, template: str, name: str) -> bool:
    """Whether ``template`` uses the variable ``name`` only as ``{{ name }}``, printed as it is
    (no filter, test, condition or call) straight into the page, at most inside an ``if`` or a
    ``for``: then one rendering with a stand-in printed for it serves every value, the stand-in
    replaced. An office's own template may use it otherwise: also by capturing its output (``{%
    set x %}``, ``{% filter %}``, a block that ``self`` renders again, a macro or call block) or
    in a template it includes, imports or extends, which this one cannot see into: never, then.

    >>> from jinja2 import DictLoader, Environment
    >>> env = Environment(loader=DictLoader({"a": '<a href="{{ up }}x">', "b": "{% if up %}{{ up }}{% endif %}",
    ...     "c": "{% set back %}{{ up }}{% endset %}{{ back }}", "d": '{{ up }}{% include "a" %}',
    ...     "e": "{% block b %}{{ up }}{% endblock %}{{ self.b()|length }}", "f": "{% if x %}{{ up }}{% endif %}"}))
    >>> [only_printed(env, t, "up") for t in "abcdef"]
    [True, False, False, False, False, True]
    """
    from jinja2 import nodes

    # What a printed value may sit in: the page itself, a condition's branch, a loop's body.
    plain = (nodes.Template, nodes.If, nodes.For, nodes.Output)
    elsewhere = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)

    def printed(node, parent, inside_plain: bool) -> bool:
        if isinstance(node, elsewhere):
            return False
        if isinstance(node, nodes.Name) and node.name == name:
            return isinstance(parent, nodes.Output) and inside_plain
        inside_plain = inside_plain and isinstance(node, plain)
        return all(printed(child, node, inside_plain) for child in node.iter_child_nodes())
    source, filename, _ = env.loader.get_source(env, template)
    # Named, so that a syntax error says which file and line, as a rendered template's does.
    return printed(env.parse(source, template, filename), None, True)


def placement(entry: Entry) -> tuple:
    """What decides which newsroom pages, feeds and sitemap rows list an entry, and where: its
    moment and date (order, month), organisation, tags as written (a tag's pages and name), the
    languages it is in (alternates), its source (x-default) and its former ids (the pages that
    lead to it, removed when no longer named). An edit that keeps all of them
    (a headline, a paragraph, a translation) changes only the files that show the entry."""
    return entry.published, entry.date, entry.id, entry.organisation, tuple(tags_of(entry)), entry.languages, \
        entry.meta.get("source"), tuple(former_ids(entry))


def in_place(entries: dict[str, list[Entry]], last: dict[str, dict], release_ids: set[str],
             languages: tuple[str, ...]) -> set[tuple[str, str]] | None:
    """The (language, id) entries of ``release_ids`` when every one of them is listed where the
    last newsroom had it (``last``: what each page was listed as, cache.listed) and no version
    of them came or went: then only the files that show them need making (plan_site's
    ``only``). None when one moved, came or went: then the whole newsroom is planned."""
    ours = {(e.lang, e.id): e for code in languages for e in entries.get(code, []) if e.id in release_ids}
    only: set[tuple[str, str]] = set()
    for release_id in release_ids:
        # The languages a release was listed in, as Entry.languages has them (config order).
        before = tuple(code for code in languages if f"{code}/{release_id}.html" in last)
        for code in languages:
            entry = ours.get((code, release_id))
            if (entry is None) != (code not in before):
                return None
            if entry is None:
                continue
            was = Entry.from_listing(release_id, code, last[f"{code}/{release_id}.html"], before)
            if placement(entry) != placement(was):
                return None
            only.add((code, release_id))
    return only


def plan_site(config: Config, renderer: Renderer, entries: dict[str, list[Entry]], fingerprint,
              feed_texts: Callable[[str], dict], only: set[tuple[str, str]] | None = None,
              kept: dict | None = None, remember: dict | None = None,
              published_in: Callable[[str], bool] = lambda code: False,
              withdrawn: Mapping[str, list[Entry]] | None = None) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """Every site file as (digest of what shapes it, how to make it), by path relative to out/.

    ``fingerprint(lang)`` covers a language's templates, catalogs and config, and
    ``feed_texts(digest)`` gives what a feed entry shows beyond its listing. The
    build compares keys and makes only the files whose key changed. A key is made
    from the digests of the entries a file lists, never from their texts, so an
    archive of 10,000 releases is checked in a fraction of a second.

    With ``only`` (in_place: those entries are where the last newsroom had them, nothing
    else changed), the listing pages and feeds that show one of them, each with the key the
    whole plan gives it: no other file's key can have changed (an edit at 10,000 releases
    plans a dozen files, not 12,000 and the sitemap). ``kept`` is what a whole plan leaves for
    the next one (the tags' alternates, which the stamp keeps: stamp.py), which an ``only``
    plan takes from it: the tags are as they were. A whole plan fills ``remember`` with what
    each listing page and feed lists (sitememory.py), from which plan_remembered plans the
    next edit's files without the archive's other entries. ``published_in(lang)``: whether
    something went out in a language with no release listed now (live_languages).
    ``withdrawn``: the withdrawn versions online, listed nowhere, whose former ids keep their
    pointers (links in emails sent before the rename lead to the page marked withdrawn).
    """
    urls = Urls(config.base_url)
    newsroom = config.newsroom
    plan: dict[str, tuple[str, Callable[[], bytes]]] = {}
    listed = {code: newest_first(entries.get(code, [])) for code in config.languages}
    live = live_languages(config, listed, published_in)
    # Each entry's part of the keys of the pages and feeds it is on, made once.
    keys: dict[int, str] = {}

    def key_of(entry: Entry) -> str:
        if id(entry) not in keys:
            keys[id(entry)] = entry_key(entry)
        return keys[id(entry)]

    shown = {id(e) for code in config.languages for e in listed[code] if only is None or (code, e.id) in only}
    pages = {code: plan_listings(listed[code], newsroom.page_size, attrgetter("date"), attrgetter("organisation"))
             for code in config.languages}
    tags = {code: group_tags(listed[code], tags_of) for code in config.languages}
    for code in config.languages:
        pages[code] += tag_listings(tags[code], newsroom.page_size)
    # Which languages have each page (the same page in another language: hreflang, language links).
    languages_of: dict[str, list[str]] = {}
    for code in live:
        for page in pages[code]:
            languages_of.setdefault(page.path, []).append(code)
    tag_pages = {(code, tag.slug): -(-len(tag.entries) // newsroom.page_size)
                 for code in config.languages for tag in tags[code]}
    if only is None:
        tag_links = tag_alternates(listed, tags_of, attrgetter("id"))
        if kept is not None:
            kept["tag_links"] = tag_links
    elif kept and kept.get("tag_links") is not None:
        tag_links = kept["tag_links"]  # a tag shared by every release was a tenth of a second
    else:
        # The alternates of the tags of the entries shown alone.
        tag_links = tag_alternates(listed, tags_of, attrgetter("id"),
                                   {(code, tag.slug): tag.entries for code in config.languages for tag in tags[code]
                                    if any(id(e) in shown for e in tag.entries)})
    translated: dict[str, dict] = {}

    def organisations(code: str) -> dict:
        """The organisations in a language, translated once for all its pages that are made
        (each text a catalog look-up and its checks: a tenth of a listing page's time)."""
        if code not in translated:
            translated[code] = translated_organisations(renderer, config, code)
        return translated[code]

    made_parts: dict[str, ListingParts] = {}

    def parts(code: str) -> ListingParts:
        if code not in made_parts:
            made_parts[code] = ListingParts(renderer, code, organisations(code))
        return made_parts[code]

    # Whether the index of tags can be collated (installing PyICU makes it again).
    collation = f"collated: {L.has_collation()}"
    # The sitemap's rows of the listings: each one's first page, with the same page in the
    # other languages (its later pages are the way through it, not pages to find).
    listing_rows: list[tuple] = []
    for code in live:
        has_tags = bool(tags[code])
        # Only the newsroom's front page links to the index of tags; only the index is collated.
        shapings = {"all": f"tags: {has_tags}", "tags": collation}
        # The organisations with pages of their own in this language (the others are not linked).
        org_pages = tuple(sorted({e.organisation for e in listed[code]}))
        # What every page of the language starts its key with (an archive has thousands of pages).
        head = "\x1f".join([fingerprint(code), ",".join(live), ",".join(org_pages)])
        # Newest first across kinds (newsroom, organisation, month and tag pages by their first
        # entry), so that a release's pages are made close together and its cards (ListingParts)
        # wait for a few dozen pages, not for the whole language.
        newest = {id(e): n for n, e in enumerate(listed[code])}
        for page in sorted(pages[code], key=lambda p: newest[id(p.entries[0])] if p.entries else -1):
            if only is not None and not any(id(e) in shown for e in page.entries):
                continue
            if page.kind == "tag":
                alternates = tag_page_alternates(config, code, page, tag_links, tag_pages)
            else:
                alternates = {c: page.path for c in languages_of[page.path]}
            if page.page == 1:
                listing_rows.append((None, code, None, tuple((c, alternates[c].removesuffix("index.html"))
                                                             for c in config.languages if c in alternates),
                                     page.path.removesuffix("index.html")))
            key = listing_key(head, page, alternates, shapings.get(page.kind, ""), map(key_of, page.entries))
            plan[f"{code}/{page.path}"] = (key, lambda c=code, p=page, a=alternates, t=has_tags, o=org_pages:
                                          render_listing(renderer, config, c, p, a, t, organisations(c),
                                                         parts(c), o, live)
                                          .encode("utf-8"))
            if remember is not None and page.entries:
                _remember(remember, f"{code}/{page.path}", ("listing", page.path, page.kind, page.page, page.pages,
                                                           page.previous, page.next, page.subject, page.links,
                                                           alternates, has_tags, org_pages, live), page.entries)
        # A renamed release's old pages, each leading to its page (links sent before the rename),
        # also once it is withdrawn: its page stays, marked, and so do the ways to it.
        for entry in (*listed[code], *((withdrawn or {}).get(code, []) if only is None else ())):
            if former_ids(entry) and (only is None or id(entry) in shown or entry.meta["withdrawn"]):
                for former in former_ids(entry):
                    key = combine("\x1f".join([head, "moved", former, key_of(entry)]))
                    plan[f"{code}/{former}.html"] = (key, lambda c=code, e=entry: render_moved(renderer, config, c, e)
                                                     .encode("utf-8"))
        # A renamed organisation's listing at each former key (former_keys) leads to its listing,
        # and its feed is made there too: links and feed readers that have the old address go on.
        renamed = {org: config.organisations[org].former_keys for org in org_pages
                   if org in config.organisations and config.organisations[org].former_keys}
        if only is None:
            for org, olds in renamed.items():
                for old in olds:
                    key = combine("\x1f".join([head, "organisation moved", old, org]))
                    plan[f"{code}/org/{old}/index.html"] = (key, lambda c=code, o=org: render_org_moved(
                        renderer, config, c, o).encode("utf-8"))
        if config.base_url:
            feeds = [("", listed[code])] + [(f"org/{folder}/", [e for e in listed[code] if e.organisation == org])
                                           for org in sorted({e.organisation for e in listed[code]})
                                           for folder in (org, *renamed.get(org, ()))]
            for folder, chosen in feeds:
                latest = chosen[:newsroom.feed_size]
                if only is not None and not any(id(e) in shown for e in latest):
                    continue
                key = feed_key(fingerprint(code), folder, map(key_of, latest))
                plan[f"{code}/{folder}feed.xml"] = (key, lambda c=code, f=folder, l=latest:
                                                    atom_feed(renderer, config, c, l, urls, f, feed_texts))
                if remember is not None and latest:
                    _remember(remember, f"{code}/{folder}feed.xml", ("feed", folder), latest)
    if only is not None:
        return plan  # the root page and the sitemap show no entry's listing: as they were
    first = config.languages[0]
    # The root page names every language's feed in that language (when there are feeds).
    shaping = live if config.base_url else [first]
    plan["index.html"] = (combine("\x1f".join([*map(fingerprint, shaping), ",".join(live)])),
                          lambda: render_root(renderer, config, live).encode("utf-8"))
    if config.base_url:
        everything = [e for code in config.languages for e in entries.get(code, [])]
        plan.update(plan_sitemaps(config, everything, urls, listing_rows))
    return plan


def listing_key(head: str, page: Listing, alternates: dict[str, str], shaping: str, entry_keys) -> str:
    """A listing page's key: what shapes it (its language's templates, catalogs and config in
    ``head``, its place, its alternates) and its entries' keys (entry_key)."""
    return combine("\x1f".join([head, page.path, page.kind, str(page.page), str(page.pages), str(page.previous),
                                str(page.next), page.subject, repr(page.links), repr(alternates), shaping,
                                *entry_keys]))


def feed_key(fingerprint: str, folder: str, entry_keys) -> str:
    """A feed's key: its language's fingerprint, its folder and its latest entries' keys."""
    return combine("\x1f".join([fingerprint, folder, *entry_keys]))


def _remember(remember: dict, rel: str, what: tuple, entries) -> None:
    """What a file lists, by the ids of its entries, and each entry's files (plan_remembered)."""
    remember.setdefault("files", {})[rel] = (*what, tuple(entry.id for entry in entries))
    shows = remember.setdefault("shows", {})
    for entry in entries:
        shows.setdefault(f"{entry.lang}/{entry.id}", []).append(rel)


def plan_remembered(config: Config, renderer: Renderer, files: dict[str, tuple], entry_of: Callable[[str, str], Entry],
                    fingerprint, feed_texts: Callable[[str], dict]) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """plan_site's ``only`` plan from what the last whole plan remembered (``remember``) of the
    files that show the entries edited in place: each listing page and feed as it was placed,
    its entries from ``entry_of(lang, id)``, with the key the whole plan gives it. An edit at
    10,000 releases makes the Entry of the few dozen releases on those pages, not of all 30,000,
    and does not paginate, group or tag the archive again."""
    urls = Urls(config.base_url)
    collation = f"collated: {L.has_collation()}"
    made: dict[str, tuple[dict, ListingParts]] = {}
    keys: dict[int, str] = {}

    def key_of(entry: Entry) -> str:
        if id(entry) not in keys:
            keys[id(entry)] = entry_key(entry)
        return keys[id(entry)]

    def language(code: str) -> tuple[dict, ListingParts]:
        if code not in made:
            organisations = translated_organisations(renderer, config, code)
            made[code] = (organisations, ListingParts(renderer, code, organisations))
        return made[code]

    plan: dict[str, tuple[str, Callable[[], bytes]]] = {}
    for rel, (kind, *what) in files.items():
        code = rel.partition("/")[0]
        if kind == "feed":
            folder, ids = what
            latest = [entry_of(code, release_id) for release_id in ids]
            plan[rel] = (feed_key(fingerprint(code), folder, map(key_of, latest)),
                         lambda c=code, f=folder, l=latest: atom_feed(renderer, config, c, l, urls, f, feed_texts))
            continue
        path, kind, number, pages, previous, following, subject, links, alternates, has_tags, org_pages, live, ids = what
        page = Listing(path, kind, [entry_of(code, release_id) for release_id in ids], number, pages, previous,
                       following, subject, links)
        shaping = {"all": f"tags: {has_tags}", "tags": collation}.get(kind, "")
        head = "\x1f".join([fingerprint(code), ",".join(live), ",".join(org_pages)])
        plan[rel] = (listing_key(head, page, alternates, shaping, map(key_of, page.entries)),
                     lambda c=code, p=page, a=alternates, t=has_tags, o=org_pages, v=live:
                     render_listing(renderer, config, c, p, a, t, *language(c), o, v).encode("utf-8"))
    return plan


def tags_of(entry: Entry) -> list[str]:
    return entry.meta.get("tags") or []


def former_ids(entry: Entry) -> list[str]:
    return entry.meta.get("former_ids") or []


def tag_page_alternates(config: Config, code: str, page: Listing, tag_links: dict[tuple[str, str], dict[str, str]],
                        tag_pages: dict[tuple[str, str], int]) -> dict[str, str]:
    """The same page of the tag that the same releases' tags lead to in each other language
    (tags.tag_alternates), where that tag has as many pages."""
    slug = page.path.split("/")[1]
    others = tag_links.get((code, slug), {})
    alternates = {}
    for other in config.languages:
        theirs = slug if other == code else others.get(other)
        if theirs and page.page <= tag_pages.get((other, theirs), 0):
            alternates[other] = f"tags/{theirs}/" + ("index.html" if page.page == 1 else f"page/{page.page}.html")
    return alternates


class _Organisations(dict):
    """The office's organisations by key, translated; a former key (former_keys) gives its
    organisation, and a key pressgen.yaml no longer has (``gone``) a stand-in. An entry the
    newsroom keeps from the last build (its version's snapshot names the organisation, and the
    build says to put it back in pressgen.yaml) is listed under it: a trial's newsroom failed
    at a line inside pressgen's own partials/entry.html."""

    def __init__(self, translated: dict[str, Organisation], config: Config, gone: Callable[[str], Organisation]):
        super().__init__(translated)
        self.config = config
        self.gone = gone

    def __missing__(self, key: str) -> Organisation:
        now = self.config.organisation_key(key)
        return self[now] if now is not None and now in self else self.gone(key)


def translated_organisations(renderer: Renderer, config: Config, code: str) -> dict[str, Organisation]:
    """Every organisation in the language ``code``, for the newsroom's pages."""
    interface = renderer.language(code)[1]
    return _Organisations({key: interface.organisation(org) for key, org in config.organisations.items()}, config,
                          lambda key: _gone(renderer, config, code, key))


def _organisation(renderer: Renderer, config: Config, code: str, key: str) -> Organisation:
    """One organisation in the language ``code``, or the stand-in of one gone (_gone)."""
    now = config.organisation_key(key)
    if now is not None:
        return renderer.language(code)[1].organisation(config.organisations[now])
    return _gone(renderer, config, code, key)


def _gone(renderer: Renderer, config: Config, code: str, key: str) -> Organisation:
    """The stand-in of an organisation pressgen.yaml no longer has: its name and short name as
    they last went out (published/<lang>.messages.yaml: this language's translation, else the
    English source another language's record holds), else its key. A trial's newsroom showed
    the bare key of an organisation renamed without former_keys."""
    def text(field: str) -> Text:
        context = f"{key}: {field}"
        for lang in dict.fromkeys((code, *config.languages)):
            published = renderer.language(lang)[1].published
            found = published.by_context(context) if published is not None else None
            if found is not None:
                return Text(found[1] if lang == code else found[0], 0, context)
        return Text(key, 0, context)
    return Organisation(key, text("name"), text("short name"))


def render_listing(renderer: Renderer, config: Config, code: str, page: Listing, alternates: dict[str, str],
                   has_tags: bool = False, organisations: dict | None = None,
                   parts: ListingParts | None = None, org_pages: tuple[str, ...] | None = None,
                   live: tuple[str, ...] | None = None) -> str:
    """One listing page of the newsroom, linking to the same page in other languages: ``alternates``
    by language, paths relative to out/<lang>/ (a tag's page has another path in each). The
    masthead links the organisations in ``org_pages`` to their pages (None: all of them); an
    organisation with no release listed in the language has none."""
    env, interface = renderer.language(code)
    if organisations is None:
        organisations = translated_organisations(renderer, config, code)
    if parts is None:
        parts = ListingParts(renderer, code, organisations)
    up = page.up
    canonical = page.path.removesuffix("index.html")
    heading = {
        "all": None,
        # Its name as a Text: one shown in English on a Turkish page says so (lang="en"). A key gone from
        # pressgen.yaml gives its stand-in's name as it went out (_Organisations.__missing__, which `in`
        # does not ask: a trial's listing was headed with the bare key).
        "organisation": _name_of(organisations, page.subject) if page.kind == "organisation" else None,
        "month": L.month_and_year(month_start(page.subject), code) if page.kind == "month" else "",
        "years": interface.gettext("Archive"),
        "year": page.subject,
        "tag": page.subject,
        "tags": interface.gettext("Tags"),
    }[page.kind]
    if page.kind == "tags":
        page = dataclasses.replace(page, links=tuple(collated(page.links, L.collation_key(code))))
    feed = None
    if config.base_url and page.kind in ("all", "organisation"):
        feed = up + (f"org/{page.subject}/" if page.kind == "organisation" else "") + "feed.xml"
    return env.get_template("index.html").render(
        lang=code, html_lang=L.bcp47(code), entries=page.entries, organisations=organisations, root=f"{up}../",
        up=up, listing=page, heading=heading, canonical=canonical, base_url=config.base_url, feed=feed,
        has_tags=has_tags, entry_card=lambda entry: parts.card(entry, up), search_box=lambda: parts.search_box(up),
        org_pages=org_pages,
        # Each language links to this same page where it has one, else to its newsroom.
        languages=[(c, L.native_name(c), f"{up}../{c}/{alternates.get(c, 'index.html')}",
                    c in alternates) for c in (live or config.languages)],
        alternate_paths={c: path.removesuffix("index.html") for c, path in alternates.items()},
        month_name=lambda subject: L.month_and_year(month_start(subject), code),
    )


def _name_of(organisations: dict, key: str) -> Text | str:
    try:
        return organisations[key].name
    except KeyError:
        return key


def render_moved(renderer: Renderer, config: Config, code: str, entry: Entry) -> str:
    """The page at a renamed release's former id (moved.html): it sends the reader on to the
    release's page at once, and names it for a reader whose browser does not."""
    env, _ = renderer.language(code)
    urls = Urls(config.base_url)
    return env.get_template("moved.html").render(
        html_lang=L.bcp47(code), root="../", entry=entry, target=f"{entry.id}.html",
        canonical=urls.page(code, entry.id) if config.base_url else None)


def render_org_moved(renderer: Renderer, config: Config, code: str, org: str) -> str:
    """An organisation's listing at a former key (moved.html): it sends the reader on to its
    listing under its key of today."""
    env, interface = renderer.language(code)
    name = interface.organisation(config.organisations[org]).name
    urls = Urls(config.base_url)
    return env.get_template("moved.html").render(
        html_lang=L.bcp47(code), root="../../../", entry=MovedTo(name), target=f"../{org}/index.html",
        canonical=f"{urls.base}{code}/org/{org}/" if config.base_url else None)


@dataclass(frozen=True)
class MovedTo:
    """What moved.html shows of a page that moved: its headline (an organisation's name)."""

    headline: Text


def live_languages(config: Config, listed: dict[str, list],
                   published_in: Callable[[str], bool] = lambda code: False) -> tuple[str, ...]:
    """The languages the newsroom is made in: the office's first, each other one with a release
    listed in it, and each one something went out in (``published_in``: a page in out/, a record
    in published/), whose newsroom stays while nothing is listed (all withdrawn, embargoed, or
    failing today). A language added to pressgen.yaml had an empty newsroom, linked from the root
    page and every switcher, its labels in English under its lang (a trial's), before its first
    translation went out."""
    return tuple(code for n, code in enumerate(config.languages) if n == 0 or listed.get(code) or published_in(code))


def render_root(renderer: Renderer, config: Config, live: tuple[str, ...] | None = None) -> str:
    # The languages whose messages.po can be read: one that cannot (a merge conflict left in it,
    # named by the build) held back, not the whole newsroom (a trial's build stopped here).
    languages = live or tuple(config.languages)
    readable = [code for code in languages if _readable(renderer, code)]
    first = readable[0] if readable else config.languages[0]
    env, _ = renderer.language(first)
    # Feed autodiscovery for each language's feed, titled in its language.
    feeds = [(code, renderer.language(code)[1].gettext("Press releases"), f"{code}/feed.xml")
             for code in readable] if config.base_url else []
    return env.get_template("root.html").render(
        html_lang=L.bcp47(first), root="", languages=[(c, L.native_name(c)) for c in languages],
        organisations=list(config.organisations.values()), feeds=feeds,
    )


def _readable(renderer: Renderer, code: str) -> bool:
    try:
        renderer.language(code)
    except PressgenError:
        return False
    return True


def atom_feed(renderer: Renderer, config: Config, code: str, entries: list[Entry], urls: Urls,
              folder: str = "", feed_texts: Callable[[str], dict] = lambda digest: {}) -> bytes:
    """The Atom feed of ``entries`` (the latest only), beside its listing in out/<lang>/<folder>."""
    _, interface = renderer.language(code)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": L.bcp47(code)})
    index = f"{config.base_url}{code}/{folder}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = index
    title = interface.gettext("Press releases")
    if folder.startswith("org/"):
        title = f"{title} · {_organisation(renderer, config, code, folder.split('/')[1]).short_name}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    # The newest change's moment, never the clock: an unchanged archive gives the same bytes.
    updated = max((e.updated for e in entries), default=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _rfc3339(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=f"{index}feed.xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=index)
    for item in entries:
        org = _organisation(renderer, config, code, item.organisation)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = urls.page(code, item.id)
        # Named by the address it first went out under, as an entry's id never changes (RFC 4287):
        # a renamed release came out of a trial's feed as a second story.
        ET.SubElement(entry, f"{{{ATOM}}}id").text = urls.page(code, (former_ids(item) or [item.id])[0])
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item.headline
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _rfc3339(item.published)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(item.updated)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure", type="application/pdf", href=urls.page(code, item.id, "pdf"))
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = org.name.value
        if org.website:
            ET.SubElement(author, f"{{{ATOM}}}uri").text = org.website
        texts = {**feed_texts(item.meta.get("digest", "")), **item.meta}
        # The standfirst, else the lead paragraph (a wire item has no standfirst).
        summary = item.summary or texts.get("lead")
        if summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        paragraphs = entry_paragraphs(texts, code, interface.gettext)
        if paragraphs:
            # type="html": the markup is escaped in the XML, and every text is escaped in
            # the markup, so a record's '<script>' reaches a feed reader as text.
            ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = "".join(
                [*correction_html(texts, code, interface.gettext), *(paragraph_html(p) for p in paragraphs)])
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def correction_html(meta: dict, code: str, gettext) -> list[str]:
    """A listed version's correction notes as its page prints them above the body."""
    return [str(Markup("<p><strong>{}</strong> {}</p>").format(
                gettext("Corrected on %(date)s:") % {"date": L.long_date(dt.date.fromisoformat(day), code)}, note))
            for day, note in meta.get("corrections") or []]


def entry_paragraphs(meta: dict, code: str, gettext) -> list[str]:
    """The body of a listed version as the page prints it: paragraphs, and quotes with their
    marks and speaker (render.quote_text, as ninjs items have them)."""
    paragraphs = []
    for block in meta.get("body") or []:
        if len(block) == 1:
            paragraphs.append(block[0])
        else:
            words, by = block
            quote = Quote(Text(words, 0, "quote"), Text(by, 0, "quote attribution") if by else None)
            paragraphs.append(quote_text(quote, meta.get("style", "statement"), code, gettext))
    return paragraphs


SITEMAP_BYTES = 45 * 1024 * 1024
"""Below the protocol's 50 MB a file, with room for what the estimate misses."""


def plan_sitemaps(config: Config, entries: list[Entry], urls: Urls,
                  listings: list[tuple] | None = None) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """sitemap.xml, and once the archive passes the protocol's limits (newsroom.sitemap_size
    URLs, 50 MB), sitemap-1.xml, sitemap-2.xml, … listed by sitemap.xml as a sitemap index.
    ``listings``: the listing pages' rows (sitemap), each language's newsroom among them;
    without them, each language's newsroom alone."""
    # Only what the sitemap shows: a changed headline leaves it as it is.
    rows = [(None, code, None, (), None) for code in config.languages] if listings is None else \
        sorted(listings, key=lambda row: (config.languages.index(row[1]), row[4]))
    rows += sorted((e.id, e.lang, e.date.isoformat(), e.languages, e.meta.get("source")) for e in entries)
    chunks: list[list[tuple]] = [[]]
    size = 0
    for row in rows:
        # Each URL is written once as <loc> and once in every alternate: a generous estimate.
        estimate = 200 + (len(row[0] or row[4] or "") + len(config.base_url or "") + 60) * (2 + len(row[3]))
        if chunks[-1] and (len(chunks[-1]) >= config.newsroom.sitemap_size or size + estimate > SITEMAP_BYTES):
            chunks.append([])
            size = 0
        chunks[-1].append(row)
        size += estimate
    if len(chunks) == 1:
        return {"sitemap.xml": (combine(config.base_url + json.dumps(rows)), lambda: sitemap(rows, urls))}
    plan: dict[str, tuple[str, Callable[[], bytes]]] = {}
    names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks):
        plan[name] = (combine(config.base_url + json.dumps(chunk)), lambda c=chunk: sitemap(c, urls))
    plan["sitemap.xml"] = (combine(config.base_url + json.dumps(names)), lambda: sitemap_index(config, names))
    return plan


def sitemap(rows: list[tuple], urls: Urls) -> bytes:
    """A urlset of (release id, language, lastmod, its languages, source language) rows;
    a row without an id is a listing page: (None, language, None, its alternates as
    (language, path) pairs, its path), paths relative to out/<language>/ ('' or None: the
    language's newsroom). A listing has no lastmod: what it lists changes more often than
    any one date would say.

    Written a <url> at a time, as ElementTree would write and indent the whole tree: at
    10,000 releases x 3 the tree was 120 MB for 18 MB of XML, the build's peak memory."""
    # As ElementTree: the xhtml namespace declared only where a link uses it, an empty set closed at once.
    namespaces = f'xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if any(row[3] for row in rows) else "")
    if not rows:
        return f"<?xml version='1.0' encoding='utf-8'?>\n<urlset {namespaces} />\n".encode("utf-8")
    chunks = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset {namespaces}>\n".encode("utf-8")]
    for release_id, lang, lastmod, languages, source in rows:
        lines = ["  <url>"]
        if release_id is None:
            lines.append(f"    <loc>{_text(urls.base + lang + '/' + (source or ''))}</loc>")
            # As on the page: x-default is the root page, where a reader chooses a language.
            for other, path in languages:
                lines.append(f'    <xhtml:link rel="alternate" hreflang={_attribute(L.bcp47(other))} '
                             f'href={_attribute(f"{urls.base}{other}/{path}")} />')
            if languages:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={_attribute(urls.base)} />')
        else:
            lines.append(f"    <loc>{_text(urls.page(lang, release_id))}</loc>")
            lines.append(f"    <lastmod>{_text(lastmod)}</lastmod>")
            # As on the page: a reader whose language has no version gets the original (x-default).
            for hreflang, other in [*((L.bcp47(other), other) for other in languages),
                                    *([("x-default", source)] if source in languages else [])]:
                lines.append(f'    <xhtml:link rel="alternate" hreflang={_attribute(hreflang)} '
                             f'href={_attribute(urls.page(other, release_id))} />')
        lines.append("  </url>\n")
        chunks.append("\n".join(lines).encode("utf-8"))
    chunks.append(b"</urlset>\n")
    return b"".join(chunks)


def _text(value: str) -> str:
    # html's escape, not xml.sax.saxutils' (the same three characters): that imports urllib.request,
    # http.client and ssl, 0.02 s of every build.
    return escape(value, quote=False)


def _attribute(value: str) -> str:
    """Quoted as ElementTree quotes an attribute."""
    return '"' + _text(value).translate(_ATTRIBUTE) + '"'


_ATTRIBUTE = str.maketrans({'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


def sitemap_index(config: Config, names: list[str]) -> bytes:
    ET.register_namespace("", SITEMAP)
    index = ET.Element(f"{{{SITEMAP}}}sitemapindex")
    for name in names:
        ET.SubElement(ET.SubElement(index, f"{{{SITEMAP}}}sitemap"), f"{{{SITEMAP}}}loc").text = config.base_url + name
    ET.indent(index)
    return ET.tostring(index, encoding="utf-8", xml_declaration=True) + b"\n"


def _rfc3339(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
