"""Per-language newsroom index, Atom feed, root page and sitemap.

Only public versions are listed: ready to publish (not drafts), and either
never embargoed or past their embargo, compared in the embargo's own
timezone. Listings are made from what the build cache keeps of each version
(build.listing), so an unchanged archive lists itself without parsing.

    out/index.html          choose a language
    out/<lang>/index.html   newest first, with dates and standfirsts
    out/<lang>/feed.xml     Atom 1.0 (needs base_url: feed ids are absolute)
    out/sitemap.xml         with hreflang alternates (needs base_url)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable

from markupsafe import escape

from . import lang as L
from .model import Config, Quote, Text
from .render import Renderer, Urls, quote_text

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


def plan_site(config: Config, renderer: Renderer, entries: dict[str, list[Entry]],
              fingerprint) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """Every site file as (key of what shapes it, how to make it), by path relative to out/.

    ``fingerprint(lang)`` covers a language's templates, catalogs and config; the
    build compares keys and makes only the files whose key changed.
    """
    urls = Urls(config.base_url)
    plan: dict[str, tuple[str, Callable[[], bytes]]] = {}

    def data(items: list[Entry]) -> str:
        # The same JSON as dataclasses.astuple gives, without its deep copy of every entry
        # (most of a one-release rebuild's time in a large archive, under pressgen serve).
        return json.dumps([[getattr(e, f.name) for f in dataclasses.fields(e)] for e in items], default=str)

    for code in config.languages:
        listed = newest_first(entries.get(code, []))
        key = "\x1f".join([fingerprint(code), data(listed), ",".join(config.languages)])
        plan[f"{code}/index.html"] = (key, lambda c=code, l=listed: render_index(renderer, config, c, l).encode("utf-8"))
        if config.base_url:
            plan[f"{code}/feed.xml"] = (key, lambda c=code, l=listed: atom_feed(renderer, config, c, l, urls))
    first = config.languages[0]
    # The root page names every language's feed in that language (when there are feeds).
    shaping = config.languages if config.base_url else [first]
    plan["index.html"] = ("\x1f".join([*map(fingerprint, shaping), ",".join(config.languages)]),
                          lambda: render_root(renderer, config).encode("utf-8"))
    if config.base_url:
        everything = [e for code in config.languages for e in entries.get(code, [])]
        # Only what the sitemap shows: a changed headline leaves it as it is.
        shape = json.dumps(sorted((e.id, e.lang, e.date.isoformat(), e.languages, e.meta.get("source"))
                                  for e in everything))
        plan["sitemap.xml"] = ("\x1f".join([config.base_url, shape]), lambda: sitemap(config, everything, urls))
    return plan


def render_index(renderer: Renderer, config: Config, code: str, entries: list[Entry]) -> str:
    env, interface = renderer.language(code)
    organisations = {key: interface.organisation(org) for key, org in config.organisations.items()}
    return env.get_template("index.html").render(
        lang=code, html_lang=L.bcp47(code), entries=entries, organisations=organisations, root="../",
        languages=[(c, L.native_name(c)) for c in config.languages], base_url=config.base_url,
        feed="feed.xml" if config.base_url else None,
    )


def render_root(renderer: Renderer, config: Config) -> str:
    first = config.languages[0]
    env, _ = renderer.language(first)
    # Feed autodiscovery for each language's feed, titled in its language.
    feeds = [(code, renderer.language(code)[1].gettext("Press releases"), f"{code}/feed.xml")
             for code in config.languages] if config.base_url else []
    return env.get_template("root.html").render(
        html_lang=L.bcp47(first), root="", languages=[(c, L.native_name(c)) for c in config.languages],
        organisations=list(config.organisations.values()), feeds=feeds,
    )


def atom_feed(renderer: Renderer, config: Config, code: str, entries: list[Entry], urls: Urls) -> bytes:
    _, interface = renderer.language(code)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": L.bcp47(code)})
    index = f"{config.base_url}{code}/"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = index
    ET.SubElement(feed, f"{{{ATOM}}}title").text = interface.gettext("Press releases")
    # The newest change's moment, never the clock: an unchanged archive gives the same bytes.
    updated = max((e.updated for e in entries), default=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _rfc3339(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=f"{index}feed.xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=index)
    for item in entries:
        org = interface.organisation(config.organisations[item.organisation])
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = urls.page(code, item.id)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item.headline
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _rfc3339(item.published)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(item.updated)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure", type="application/pdf", href=urls.page(code, item.id, "pdf"))
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = org.name.value
        if org.website:
            ET.SubElement(author, f"{{{ATOM}}}uri").text = org.website
        # The standfirst, else the lead paragraph (a wire item has no standfirst).
        summary = item.summary or item.meta.get("lead")
        if summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        paragraphs = entry_paragraphs(item.meta, code, interface.gettext)
        if paragraphs:
            # type="html": the markup is escaped in the XML, and every text is escaped in
            # the markup, so a record's '<script>' reaches a feed reader as text.
            ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = "".join(
                f"<p>{escape(p)}</p>" for p in paragraphs)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


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


def sitemap(config: Config, entries: list[Entry], urls: Urls) -> bytes:
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for code in config.languages:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{config.base_url}{code}/"
    for item in sorted(entries, key=lambda e: (e.id, e.lang)):
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = urls.page(item.lang, item.id)
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = item.date.isoformat()
        for other in item.languages:
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=L.bcp47(other), href=urls.page(other, item.id))
        source = item.meta.get("source")
        if source in item.languages:
            # As on the page: a reader whose language has no version gets the original.
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang="x-default", href=urls.page(source, item.id))
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def _rfc3339(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
