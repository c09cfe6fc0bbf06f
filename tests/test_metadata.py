"""Metadata as link previews, search engines and feed readers read it (issue 14, part 3)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_cli
from htmlread import Page

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://press.turksoy.example/"
RELEASES = ["turksoy-isesco-agreement", "ashimbayev-raev-meeting"]


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def properties(html: Page) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in html.tags("meta"):
        if "property" in meta:
            found.setdefault(meta["property"], []).append(meta["content"])
    return found


def jsonld(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    return json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[0])


def hreflangs(html: Page) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in html.find_all("link", rel="alternate")
            if "hreflang" in link and "type" not in link}


def feeds(html: Page) -> list[dict[str, str]]:
    return html.find_all("link", rel="alternate", type="application/atom+xml")


def lead(out: Path, lang: str, release_id: str) -> str:
    """The lead paragraph as the release's ninjs item has it (its first body paragraph)."""
    item = json.loads((out / lang / f"{release_id}.json").read_text(encoding="utf-8"))
    return next(b["value"] for b in item["bodies"] if b["contentType"] == "text/plain").split("\n\n")[0]


@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
@pytest.mark.parametrize("release_id", RELEASES)
def test_open_graph_for_link_previews(built_office, release_id, lang):
    out = built_office / "out"
    og = properties(page(out / lang / f"{release_id}.html"))
    logo = {"turksoy-isesco-agreement": "turksoy-logo.svg", "ashimbayev-raev-meeting": "kazinform-logo.svg"}[release_id]
    assert og["og:image"] == [f"{BASE}assets/{logo}"]
    assert (out / "assets" / logo).is_file()
    assert og["article:published_time"] == [{"turksoy-isesco-agreement": "2011-04-08",
                                             "ashimbayev-raev-meeting": "2022-06-27"}[release_id]]
    assert "article:modified_time" not in og  # never corrected
    description = og["og:description"][0]
    if release_id == "ashimbayev-raev-meeting":
        # A wire item has no standfirst: its lead paragraph describes it, typeset as on the page.
        assert description == lead(out, lang, release_id).replace("'", "’")
    else:
        assert description.startswith({"en": "TÜRKSOY Secretary General Düsen Kaseinov said",
                                        "tr": "TÜRKSOY Genel Sekreteri Düsen Kaseinov,",
                                        "kk": "ТҮРКСОЙ-дың Бас хатшысы Дүйсен Қасейінов"}[lang])
    meta = {m["name"]: m["content"] for m in page(out / lang / f"{release_id}.html").tags("meta") if "name" in m}
    assert meta["description"] == description


@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
def test_jsonld_modified_and_author(built_office, lang):
    article = jsonld(built_office / f"out/{lang}/ashimbayev-raev-meeting.html")
    assert article["datePublished"] == article["dateModified"] == "2022-06-27"
    assert article["author"]["@type"] == "Organization"
    assert article["author"]["name"] == article["publisher"]["name"]
    assert article["author"]["url"] == "https://www.inform.kz"
    assert article["description"] == lead(built_office / "out", lang, "ashimbayev-raev-meeting")


@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
def test_hreflang_x_default_points_to_the_original(built_office, lang):
    links = hreflangs(page(built_office / f"out/{lang}/turksoy-isesco-agreement.html"))
    assert links == {"en": f"{BASE}en/turksoy-isesco-agreement.html", "tr": f"{BASE}tr/turksoy-isesco-agreement.html",
                     "kk": f"{BASE}kk/turksoy-isesco-agreement.html",
                     "x-default": f"{BASE}en/turksoy-isesco-agreement.html"}
    index = hreflangs(page(built_office / f"out/{lang}/index.html"))
    assert index == {"en": f"{BASE}en/", "tr": f"{BASE}tr/", "kk": f"{BASE}kk/", "x-default": BASE}


def test_sitemap_has_x_default_too(built_office):
    root = ET.parse(built_office / "out/sitemap.xml").getroot()
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        if loc.endswith(".html") and loc.removeprefix(BASE).count("/") == 1:  # a release's page
            assert links["x-default"] == f"{BASE}en/{loc.rsplit('/', 1)[1]}", loc
        else:  # a listing's: the root page, where a reader chooses a language (as on the page)
            assert links["x-default"] == BASE, loc


def test_feeds_are_discoverable_from_every_page(built_office):
    out = built_office / "out"
    for lang in ("en", "tr", "kk"):
        for name in ("index.html", *[f"{r}.html" for r in RELEASES]):
            found = feeds(page(out / lang / name))
            assert [f["href"] for f in found] == ["feed.xml"], (lang, name)
            assert (out / lang / found[0]["href"]).is_file()
    root = feeds(page(out / "index.html"))
    assert [(f["hreflang"], f["href"], f["title"]) for f in root] == [
        ("en", "en/feed.xml", "Press releases"), ("tr", "tr/feed.xml", "Basın bültenleri"),
        ("kk", "kk/feed.xml", "Баспасөз релиздері")]


class _Paragraphs(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.paragraphs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "p":
            self.paragraphs.append("")

    def handle_data(self, data):
        self.paragraphs[-1] += data


@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
def test_atom_entries_carry_summary_and_content(built_office, lang):
    out = built_office / "out"
    root = ET.parse(out / f"{lang}/feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}id").rsplit("/", 1)[1]: e for e in root.findall(f"{ATOM}entry")}
    for release_id in RELEASES:
        entry = entries[f"{release_id}.html"]
        item = json.loads((out / lang / f"{release_id}.json").read_text(encoding="utf-8"))
        body = next(b["value"] for b in item["bodies"] if b["contentType"] == "text/plain").split("\n\n")
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html"
        html = _Paragraphs(content.text)
        assert set(html.tags) == {"p"}
        assert html.paragraphs == body  # quotes with their marks and speaker, as the page prints them
        summary = entry.findtext(f"{ATOM}summary")
        assert summary == (item["descriptions"][0]["value"] if "descriptions" in item else body[0])
        assert entry.find(f"{ATOM}author/{ATOM}uri").text.startswith("https://www.")


def test_atom_times_are_the_embargo_or_noon_utc(built_office):
    root = ET.parse(built_office / "out/en/feed.xml").getroot()
    times = {e.findtext(f"{ATOM}id").rsplit("/", 1)[1]: (e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}updated"))
             for e in root.findall(f"{ATOM}entry")}
    assert times == {"ashimbayev-raev-meeting.html": ("2022-06-27T12:00:00Z", "2022-06-27T12:00:00Z"),
                     "turksoy-isesco-agreement.html": ("2011-04-08T12:00:00Z", "2011-04-08T12:00:00Z")}


def test_an_embargoed_and_corrected_release(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "embargo: 2011-04-08 10:00 Asia/Almaty\nversion: 2\ncorrections:\n"
                      "  - date: 2011-04-09\n    note: Corrects the director's name.\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "html")
    assert result.exit_code == 0, result.output
    html = page(root / "out/en/hello.html")
    og = properties(html)
    assert og["article:published_time"] == ["2011-04-08T10:00:00+06:00"]
    assert og["article:modified_time"] == ["2011-04-09"]
    article = jsonld(root / "out/en/hello.html")
    assert article["datePublished"] == "2011-04-08T10:00:00+06:00" and article["dateModified"] == "2011-04-09"
    entry = ET.parse(root / "out/en/feed.xml").getroot().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == "2011-04-08T10:00:00+06:00"
    assert entry.findtext(f"{ATOM}updated") == "2011-04-09T12:00:00Z"
    assert ET.parse(root / "out/en/feed.xml").getroot().findtext(f"{ATOM}updated") == "2011-04-09T12:00:00Z"
    # Its note first, as the page prints it: a trial's feed showed a number changed with no word why.
    assert entry.findtext(f"{ATOM}content").startswith(
        "<p><strong>Corrected on April 9, 2011:</strong> Corrects the director&#39;s name.</p><p>The first paragraph.")


def test_a_label_s_typed_space_before_a_french_mark_never_breaks(project):
    """'Corrigé le %(date)s :', typed as French typists do: a trial's colon opened a line in
    Chromium, as the record's texts no longer do."""
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "version: 2\ncorrections:\n  - date: 2011-04-09\n    note: The director's name.\n",
                      encoding="utf-8")
    messages = root / "locales/tr/LC_MESSAGES/messages.po"
    messages.write_text(messages.read_text(encoding="utf-8").replace(
        'msgstr "%(date)s tarihinde düzeltildi:"', 'msgstr "%(date)s tarihinde düzeltildi :"'), encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    po = root / "locales/tr/releases/hello.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "The director\'s name."\nmsgstr ""',
                                                         'msgid "The director\'s name."\nmsgstr "Müdürün adı."'),
                  encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--lang", "tr", "--format", "html").exit_code == 0
    assert "9 Nisan 2011 tarihinde düzeltildi\u00a0:</strong>" in (root / "out/tr/hello.html").read_text(encoding="utf-8")


def test_markup_in_a_record_stays_text_in_the_feeds_content(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text().replace("The first paragraph.", "The first <b>paragraph</b> & more."))
    assert run_cli("build", "--project", str(root), "--format", "html", "--lang", "en").exit_code == 0
    entry = ET.parse(root / "out/en/feed.xml").getroot().find(f"{ATOM}entry")
    content = entry.findtext(f"{ATOM}content")
    assert "<p>The first &lt;b&gt;paragraph&lt;/b&gt; &amp; more.</p>" in content
    assert _Paragraphs(content).paragraphs[0] == "The first <b>paragraph</b> & more."


def test_no_base_url_no_absolute_metadata(project):
    root = project("minimal")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text().replace("base_url: https://news.office.example/\n", ""))
    assert run_cli("build", "--project", str(root), "--format", "html", "--lang", "en").exit_code == 0
    html = page(root / "out/en/hello.html")
    assert "og:image" not in properties(html) and feeds(html) == []
    assert not (root / "out/en/feed.xml").exists()
